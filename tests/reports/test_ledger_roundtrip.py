"""A ledger imported with `import_ledger`, then `build_report`: the figures a county would check by hand."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command

from reports.builder import HEADER_ROW


def _ledger(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案件"
    ws.append(["受理日期", "案件类别", "案件来源", "诉讼阶段", "援助形式", "案由", "受援人姓名", "性别", "出生日期",
               "人群类别", "群体性案件", "受援人数", "承办人", "承办人类型", "指派日期", "结案日期", "结案方式",
               "挽回经济损失", "涉案金额", "质量等级", "补贴金额", "补贴发放日期", "工作站"])
    ws.append(["2025-01-10", "民事", "申请", "仲裁", "劳动争议仲裁代理", "劳动报酬", "甲", "男", "1980-01-01",
               "农民工", "是", 12, "赵律师", "执业律师", "2025-01-12", "2025-05-20", "调解", "56000", "60000", "优秀",
               "1500", "2025-06-30", ""])
    ws.append(["2025-06-30", "刑事", "通知辩护", "死刑复核", "刑事辩护", "故意伤害", "乙", "女", "2010-03-01",
               "", "否", 1, "钱律师", "法律援助律师", "2025-07-01", "", "", "", "", "", "", "", "城关镇法律援助工作站"])
    ws.append(["2025-07-01", "民事", "申请", "一审", "民事诉讼代理", "婚姻家庭", "丙", "女", "1950-05-05",
               "低保特困", "否", 1, "", "", "", "", "", "", "", "", "", "", ""])
    ws.append(["2025-03-03", "行政", "申请", "一审", "行政诉讼代理", "行政", "丁", "男", "1990-01-01",
               "", "否", 1, "孙工作者", "基层法律服务工作者", "2025-03-04", "2025-04-04", "终止", "", "", "", "", "", ""])
    c = wb.create_sheet("咨询")
    c.append(["日期", "方式", "人次", "工作站"])
    c.append(["2025-01-01", "来访", 3, ""])
    c.append(["2025-06-30", "12348", 2, "城关镇法律援助工作站"])
    c.append(["2025-07-01", "来电", 1, ""])
    m = wb.create_sheet("值班与代书")
    m.append(["日期", "类型", "认罪认罚", "人次"])
    m.append(["2025-02-02", "值班律师法律帮助", "是", 4])
    m.append(["2025-02-03", "代拟法律文书", "否", 1])
    b = wb.create_sheet("经费预算")
    b.append(["年度", "来源", "金额"])
    b.append([2025, "县级财政", "300,000元"])
    s = wb.create_sheet("经费支出")
    s.append(["日期", "类别", "金额"])
    s.append(["2025-06-30", "办案补贴", 1500])
    s.append(["2025-07-01", "宣传", 800])
    wb.save(path)


@pytest.mark.django_db(transaction=False)
def test_imported_ledger_figures_in_the_half_year_report(org, tmp_path):
    path = tmp_path / "ledger.xlsx"
    _ledger(path)
    call_command("import_ledger", str(path))
    out = tmp_path / "r.xlsx"
    call_command("build_report", "--period", "2025H1", "--output", str(out))
    rows = {r[0]: r for r in openpyxl.load_workbook(out)["指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    v = {code: r[3] for code, r in rows.items()}
    assert v["cases.accepted"] == 3  # 10 Jan, 30 Jun, 3 Mar; 1 Jul is H2
    assert (v["cases.accepted.criminal"], v["cases.accepted.civil"], v["cases.accepted.administrative"]) == (1, 1, 1)
    assert v["cases.accepted.criminal.notified"] == 1 and v["cases.accepted.criminal.trial"] == 1
    assert v["cases.accepted.group.migrant_worker"] == 1 and v["cases.accepted.migrant_wage"] == 1
    assert v["cases.accepted.group.minor"] == 1 and v["cases.accepted.group.women"] == 0
    assert v["cases.accepted.mass"] == 1 and v["recipients.total"] == 14
    assert v["cases.accepted.by_lawyer"] == 2
    assert v["cases.closed"] == 1 and v["cases.terminated"] == 1  # 终止 is not closed
    assert v["cases.open_at_end"] == 1
    assert v["amount.recovered"] == 56000 and v["amount.involved"] == 60000
    assert v["quality.excellent"] == 1
    assert v["consultations.total"] == 5 and v["consultations.phone"] == 2 and v["consultations.hotline"] == 2
    assert v["matters.duty_lawyer"] == 4 and v["matters.duty_lawyer.plea"] == 4 and v["matters.drafting"] == 1
    assert v["services.total"] == 14 + 5 + 4 + 1
    assert v["subsidy.paid.total"] == 1500 and v["subsidy.paid.cases"] == 1
    assert v["funding.budget"] == 300000 and v["funding.spent"] == 1500 and v["rate.subsidy_share"] == 100.0
    station = tmp_path / "s.xlsx"
    call_command("build_report", "--period", "2025H1", "--station", "station-a", "--output", str(station))
    s = {r[0]: r[3] for r in openpyxl.load_workbook(station)["指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert s["cases.accepted"] == 1 and s["consultations.total"] == 2
