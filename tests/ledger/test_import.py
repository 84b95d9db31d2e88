"""Importing ledgers: row semantics, bad input, all-or-nothing, idempotency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from applicants.models import Person, VulnerableEntry
from cases.models import Assignment, Case
from core.models import DocumentSequence
from funding.models import Budget, Spending, Subsidy
from intake.models import Consultation, Matter
from ledger.importing import import_ledger
from publicity.models import Event, MediaReport
from stations.models import Handler, Provider

from .builders import build_ledger, case_row, consultation_row, rid, wrong_check_digit

pytestmark = pytest.mark.django_db


def run(path, **kw):
    return import_ledger(path, **kw)


def nothing_imported():
    return (Case.objects.count(), Consultation.objects.count(), Person.objects.filter(cases__isnull=False).count(),
            Event.objects.count(), Budget.objects.count(), Spending.objects.count()) == (0, 0, 0, 0, 0, 0)


# ---- cases ---------------------------------------------------------------------------------------------

def test_a_closed_case_row_becomes_a_closed_case_with_its_person_handler_firm_and_subsidy(tmp_path, org, director):
    path = build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{
        "案号": "（2024）示法援民字第15号", "证件号码": rid(7, female=True), "人群类别": "农民工",
        "承办人": "周律师", "承办人类型": "执业律师", "承办机构": "新桥律师事务所",
        "指派日期": "2024/3/9", "结案日期": "2024年6月30日", "结案方式": "调解", "质量等级": "优秀",
        "挽回经济损失": "12,000元", "涉案金额": 15000, "补贴金额": "1,500元", "补贴发放日期": "2024-07-15",
        "工作站": "station-a"})]})
    result = run(path, user=director, filename="l.xlsx")
    assert result.ok, result.errors
    assert result.counts["案件"] == {"rows": 1, "created": 1, "matched": 0}
    case = Case.objects.get()
    assert case.number == "（2024）示法援民字第15号" and case.seq == 15 and case.year == 2024
    assert case.status == "closed" and case.closed_on == dt.date(2024, 6, 30) and case.outcome == "mediation"
    assert case.assigned_on == dt.date(2024, 3, 9) and case.grade == "excellent"
    assert case.graded_on == dt.date(2024, 6, 30)
    assert case.amount_recovered == Decimal("12000.00") and case.amount_involved == Decimal("15000.00")
    assert case.station.code == "station-a"
    assert set(case.recipient_groups) == {"migrant_worker", "women"}
    person = case.recipient
    assert person.sex == "F" and person.birth_date == dt.date(1985, 6, 15)
    assert case.handler.name == "周律师" and case.handler.provider.name == "新桥律师事务所"
    assert Assignment.objects.get(case=case).handler == case.handler
    subsidy = Subsidy.objects.get(case=case)
    assert subsidy.status == "paid" and subsidy.amount == Decimal("1500.00") and subsidy.paid_on == dt.date(2024, 7, 15)
    assert not Spending.objects.exists()  # 经费支出 carries the money; no double counting
    assert "l.xlsx" in case.history.first().history_change_reason
    assert case.history.first().history_user == director


def test_later_numbers_follow_an_imported_case_number(tmp_path, org, director):
    from django.db import transaction

    from core.numbering import issue_case_number

    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"案号": "（2024）示法援民字第15号"})]}),
        user=director)
    with transaction.atomic():
        assert issue_case_number(year=2024, category="civil")[1] == 16


def test_ledger_numbers_outside_the_sequence_are_kept_with_a_warning_not_refused(tmp_path, org, director):
    from django.db import transaction

    from core.numbering import issue_case_number

    parsed = run(build_ledger(tmp_path / "l.xlsx", {"案件": [
        case_row(**{"案号": "（2024）甲站民字第7号"}),
        case_row(**{"案号": "（2024）乙站民字第7号", "证件号码": rid(2)}),  # a second sequence, same 序号
        case_row(**{"案号": "示援民〔2024〕12号", "证件号码": rid(3)}),  # no 第…号
    ]}), user=director)
    assert not parsed.errors
    assert sorted(Case.objects.values_list("number", "seq")) == [
        ("示援民〔2024〕12号", 0), ("（2024）乙站民字第7号", 0), ("（2024）甲站民字第7号", 7)]
    assert any("序号 7" in w and "已被其他案号使用" in w for w in parsed.warnings)
    assert any("不含“第…号”" in w for w in parsed.warnings)
    with transaction.atomic():
        assert issue_case_number(year=2024, category="civil")[1] == 8
    again = run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"案号": "（2024）乙站民字第7号",
                                                                       "证件号码": rid(2)})]}), user=director)
    assert not again.errors and Case.objects.count() == 3


def test_a_case_without_number_gets_the_next_one(tmp_path, org, director):
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"案号": "（2024）示法援民字第3号"}),
                                                    case_row(**{"证件号码": rid(2)})]}), user=director)
    assert sorted(Case.objects.values_list("seq", flat=True)) == [3, 4]
    assert DocumentSequence.objects.get(scope="case:civil", year=2024).last == 4


@pytest.mark.parametrize("dates,status", [
    ({}, "awaiting"),
    ({"承办人": "周律师", "指派日期": dt.date(2024, 3, 8)}, "assigned"),
    ({"结案日期": dt.date(2024, 5, 1), "结案方式": "判决"}, "closed"),
    ({"承办人": "周律师", "指派日期": dt.date(2024, 3, 8), "结案日期": dt.date(2024, 5, 1), "结案方式": "终止"},
     "terminated"),
])
def test_an_imported_case_lands_in_the_state_its_dates_imply(tmp_path, org, dates, status):
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**dates)]}))
    case = Case.objects.get()
    assert case.status == status
    if status == "terminated":
        assert case.terminated_on == dt.date(2024, 5, 1) and case.closed_on is None and case.outcome == ""


def test_a_termination_without_a_date_is_a_terminated_case_open_at_no_end_date(tmp_path, org):
    from reports import indicators as ind
    from reports.periods import parse_period

    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"结案方式": "终止"}),
                                                    case_row(**{"证件号码": rid(2), "结案方式": "判决"})]}))
    terminated, undated = Case.objects.order_by("pk")
    assert (terminated.status, terminated.terminated_on, terminated.closed_on) == ("terminated", None, None)
    assert (undated.status, undated.outcome, undated.closed_on) == ("awaiting", "judgment", None)
    v = ind.compute(parse_period("2024"))
    assert v["cases.accepted"] == 2 and v["cases.terminated"] == 0 and v["cases.closed"] == 0
    assert v["cases.open_at_end"] == 1  # the undated judgment is still open as far as the dates tell


def test_inconsistencies_the_contract_does_not_name_are_warnings_and_the_row_is_imported(tmp_path, org):
    parsed = run(build_ledger(tmp_path / "l.xlsx", {"案件": [
        case_row(**{"承办人": "周律师", "指派日期": dt.date(2024, 4, 1), "结案日期": dt.date(2024, 3, 20),
                    "结案方式": "调解"}),
        case_row(**{"证件号码": rid(2), "质量等级": "良好", "补贴发放日期": dt.date(2024, 5, 1)}),
        case_row(**{"证件号码": rid(3), "指派日期": dt.date(2024, 3, 9), "承办机构": "新桥律师事务所",
                    "通知机关": "法院"}),
    ]}))
    assert parsed.errors == []
    assert {w.split(": ")[0] + ": " + w.split(": ")[1] for w in parsed.warnings} == {
        "案件!2: 结案日期", "案件!3: 质量等级", "案件!3: 补贴发放日期", "案件!4: 承办人", "案件!4: 承办人类型",
        "案件!4: 通知机关"}
    closed_early, graded, unnamed = Case.objects.order_by("pk")
    assert (closed_early.status, closed_early.closed_on) == ("closed", dt.date(2024, 3, 20))
    assert (graded.status, graded.grade, graded.graded_on) == ("awaiting", "good", None)
    assert not Subsidy.objects.exists()
    assert (unnamed.status, unnamed.handler, unnamed.organ, unnamed.source) == ("assigned", None, "", "application")
    assert not Provider.objects.filter(name="新桥律师事务所").exists()


@pytest.mark.parametrize("cells,source", [
    ({"案件类别": "刑事", "通知机关": "法院"}, "notice"),
    ({"案件类别": "刑事"}, "application"),
    ({"案件类别": "刑事", "案件来源": "通知辩护", "通知机关": "检察院"}, "notice"),
])
def test_a_notifying_organ_on_a_criminal_case_without_a_source_means_notified_defence(tmp_path, org, cells,
                                                                                      source):
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"援助形式": "刑事辩护", "诉讼阶段": "审判",
                                                              "案由": "盗窃", **cells})]}))
    assert Case.objects.get().source == source


def test_groups_from_the_ledger_are_added_to_derived_ones_never_removed(tmp_path, org):
    elderly = rid(3, born=dt.date(1950, 1, 1), female=True)
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"证件号码": elderly, "人群类别": "残疾人"})]}))
    case = Case.objects.get()
    assert case.recipient_groups == ["women", "elderly", "disabled"]
    assert case.recipient.declared_groups == ["disabled"]


def test_persons_are_deduplicated_by_id_number(tmp_path, org):
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(), case_row(**{"受理日期": dt.date(2024, 8, 1)})]}))
    assert Case.objects.count() == 2 and Person.objects.count() == 1


def test_the_station_comes_from_the_column_else_the_option_else_the_center(tmp_path, org, station_b):
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row(**{"工作站": "城关镇"}), consultation_row()]})
    run(path, station=station_b)
    assert sorted(Consultation.objects.values_list("station__code", flat=True)) == ["station-a", "station-b"]
    run(build_ledger(tmp_path / "m.xlsx", {"咨询": [consultation_row(**{"日期": "2024-09-09"})]}))
    assert Consultation.objects.get(occurred_at__date=dt.date(2024, 9, 9)).station is None


def test_handlers_are_found_in_the_roster_before_they_are_created(tmp_path, org, handler_profile):
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [case_row(**{"承办人": handler_profile.name})]}))
    assert Case.objects.get().handler == handler_profile
    run(build_ledger(tmp_path / "m.xlsx", {"案件": [case_row(**{"承办人": "新律师", "承办机构": "新所",
                                                                "受理日期": "2024-4-1"})]}))
    assert Handler.objects.filter(name="新律师", provider__name="新所").exists()
    assert Provider.objects.filter(name="新所").exists()


# ---- other sheets --------------------------------------------------------------------------------------

def test_every_other_sheet_creates_its_records(tmp_path, org):
    path = build_ledger(tmp_path / "l.xlsx", {
        "咨询": [consultation_row(**{"方式": 12348, "人次": 3, "人群类别": "农民工、妇女", "电话": "13800001111"})],
        "宣传活动": [{"日期": "2024/3/15", "活动名称": "普法", "活动形式": "进社区", "发放资料": 100, "受众": "250"}],
        "媒体报道": [{"日期": "2024-03-16", "媒体": "县融媒体中心", "级别": "县级", "标题": "普法进社区"}],
        "值班与代书": [{"日期": "2024-03-17", "类型": "值班律师法律帮助", "律师": "李娜", "认罪认罚": "是", "人次": 2}],
        "经费预算": [{"年度": 2024, "来源": "中央转移支付", "金额": "1,000,000元"}],
        "经费支出": [{"日期": "2024-04-01", "类别": "培训", "金额": 800, "说明": "培训"}],
        "困难群体": [{"姓名": "孙七", "证件号码": rid(9), "类别": "低保", "来源单位": "民政局",
                  "有效期至": "2026-12-31"}],
    })
    result = run(path)
    assert result.ok, result.errors
    c = Consultation.objects.get()
    assert c.channel == "hotline" and c.person_count == 3 and c.person_groups == ["migrant_worker", "women"]
    assert c.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=8))).hour == 9
    assert Event.objects.get().audience == 250 and Event.objects.get().form == "community"
    assert MediaReport.objects.get().level == "county"
    matter = Matter.objects.get()
    assert matter.plea is True and matter.person_count == 2 and matter.handler.name == "李娜"
    assert Budget.objects.get().amount == Decimal("1000000.00")
    assert Spending.objects.get().category == "training"
    assert VulnerableEntry.objects.get().valid_until == dt.date(2026, 12, 31)
    assert all(v["created"] == 1 for v in result.counts.values())


# ---- bad input -----------------------------------------------------------------------------------------

BAD = [
    ("wrong ID check digit", "案件", case_row(**{"证件号码": wrong_check_digit(rid(1))}), "案件!2: 证件号码: 校验位错误"),
    ("ID typed into a number cell", "案件", case_row(**{"证件号码": float(rid(1))}),
     "案件!2: 证件号码: 证件号码被Excel存成了数字，末几位已丢失：请将该列设为文本格式后重新录入"),
    ("closing before acceptance", "案件", case_row(**{"结案日期": dt.date(2024, 3, 1), "结案方式": "判决"}),
     "案件!2: 结案日期: 早于受理日期"),
    ("unknown category", "案件", case_row(**{"案件类别": "刑民"}),
     "案件!2: 案件类别: 无效的取值「刑民」，应为 刑事/民事/行政"),
    ("negative money", "经费预算", {"年度": 2024, "来源": "县级财政", "金额": -100},
     "经费预算!2: 金额: 金额不能为负数"),  # 经费支出 takes red (negative) entries: a correction
    ("missing required date", "咨询", consultation_row(**{"日期": ""}), "咨询!2: 日期: 必填，不能为空"),
    ("bad channel", "咨询", consultation_row(**{"方式": "微信"}),
     "咨询!2: 方式: 无效的取值「微信」，应为 来访/来电/12348/来信/网络/现场"),
]


@pytest.mark.parametrize("label,sheet,bad,message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_row_gives_its_exact_error_and_imports_nothing(tmp_path, org, label, sheet, bad, message):
    good = {"案件": case_row(**{"证件号码": rid(5)}), "咨询": consultation_row(),
            "经费支出": {"日期": "2024-01-01", "类别": "办公", "金额": 100}}
    sheets = {"案件": [good["案件"]], "咨询": [good["咨询"]]}
    sheets[sheet] = [bad, *sheets.get(sheet, [])]  # the bad row is row 2, after the header
    result = run(build_ledger(tmp_path / "bad.xlsx", sheets))
    assert message in result.errors
    assert nothing_imported()


def test_every_error_of_a_file_is_listed(tmp_path, org):
    rows = [case_row(**{"证件号码": wrong_check_digit(rid(1))}), case_row(**{"案件类别": "X", "受理日期": "昨天"})]
    result = run(build_ledger(tmp_path / "bad.xlsx", {"案件": rows}))
    assert result.errors == [
        "案件!2: 证件号码: 校验位错误",
        "案件!3: 受理日期: 日期格式无法识别「昨天」，应为 2025-03-07、2025/3/7 或 2025年3月7日",
        "案件!3: 案件类别: 无效的取值「X」，应为 刑事/民事/行政",
    ]


def test_a_missing_required_column_is_an_error_naming_it(tmp_path, org):
    path = build_ledger(tmp_path / "bad.xlsx", {"咨询": [consultation_row()]},
                        headers={"咨询": ["日期", "姓名", "备注"]})
    result = run(path)
    assert result.errors == ["咨询!1: 方式: 缺少必填列"]
    assert "咨询!1: 备注: 未知列，已忽略" in result.warnings
    assert nothing_imported()


def test_unknown_columns_are_ignored_with_a_warning_and_headers_are_trimmed(tmp_path, org):
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [{"日期": "2024-01-02", "方式": "来访", "备注": "x"}]},
                        headers={"咨询": [" 日期 ", "方式 ", "备注"]})
    result = run(path)
    assert result.ok and result.warnings == ["咨询!1: 备注: 未知列，已忽略"]
    assert Consultation.objects.count() == 1


def test_an_empty_file_is_refused(tmp_path, org):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert run(path).errors == ["文件为空"]


def test_a_file_that_is_not_excel_is_refused(tmp_path, org):
    path = tmp_path / "notes.xlsx"
    path.write_text("姓名,证件号码\n张三,1\n", encoding="utf-8")
    assert run(path).errors == ["不是有效的 Excel 文件（.xlsx）"]


def test_a_too_large_file_is_refused_before_reading(tmp_path, org, settings, monkeypatch):
    settings.LEDGER_MAX_BYTES = 1024
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"x" * 2048)

    def no_reading(*a, **kw):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("openpyxl.load_workbook", no_reading)
    assert run(path).errors == ["文件过大（0.0 MB），上限为 0.0 MB"]


# ---- idempotency ---------------------------------------------------------------------------------------

def test_importing_the_same_file_twice_changes_nothing(tmp_path, org):
    from .builders import multi_year_ledger

    path = multi_year_ledger(tmp_path / "l.xlsx")
    first = run(path)
    assert first.ok, first.errors
    counts = (Case.objects.count(), Consultation.objects.count(), Event.objects.count(), Budget.objects.count(),
              Spending.objects.count(), Person.objects.count(), Handler.objects.count())
    second = run(path)
    assert all(c["created"] == 0 and c["matched"] == c["rows"] for c in second.counts.values())
    assert counts == (Case.objects.count(), Consultation.objects.count(), Event.objects.count(),
                      Budget.objects.count(), Spending.objects.count(), Person.objects.count(),
                      Handler.objects.count())


def test_identical_rows_are_separate_records_and_repeats_are_counted(tmp_path, org):
    row = consultation_row()
    run(build_ledger(tmp_path / "a.xlsx", {"咨询": [row, row]}))
    assert Consultation.objects.count() == 2
    result = run(build_ledger(tmp_path / "b.xlsx", {"咨询": [row, row, row]}))
    assert result.counts["咨询"] == {"rows": 3, "created": 1, "matched": 2}
    assert Consultation.objects.count() == 3


def test_a_case_row_with_a_known_number_is_matched_not_duplicated(tmp_path, org):
    row = case_row(**{"案号": "（2024）示法援民字第1号"})
    run(build_ledger(tmp_path / "a.xlsx", {"案件": [row]}))
    result = run(build_ledger(tmp_path / "b.xlsx", {"案件": [row]}))
    assert result.counts["案件"]["matched"] == 1 and Case.objects.count() == 1


def test_a_dry_run_validates_and_counts_but_writes_nothing(tmp_path, org):
    result = run(build_ledger(tmp_path / "a.xlsx", {"案件": [case_row()], "咨询": [consultation_row()]}),
                 dry_run=True)
    assert result.ok and result.counts["案件"]["created"] == 1
    assert nothing_imported() and not DocumentSequence.objects.filter(scope="case:civil").exists()


# ---- the command ---------------------------------------------------------------------------------------

def test_the_command_prints_a_count_per_sheet_and_exits_zero(tmp_path, org, capsys):
    path = build_ledger(tmp_path / "a.xlsx", {"案件": [case_row()], "咨询": [consultation_row()] * 2})
    call_command("import_ledger", str(path), "--station", "新桥镇")
    out = capsys.readouterr().out
    assert "案件: 1 行，新增 1，已存在 0" in out and "咨询: 2 行，新增 2，已存在 0" in out
    assert Consultation.objects.filter(station__code="station-b").count() == 2


def test_the_command_prints_every_error_and_fails(tmp_path, org, capsys):
    path = build_ledger(tmp_path / "a.xlsx", {"咨询": [consultation_row(**{"方式": "微信"}),
                                                        consultation_row(**{"日期": None})]})
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path))
    err = capsys.readouterr().err
    assert "咨询!2: 方式: 无效的取值「微信」" in err and "咨询!3: 日期: 必填，不能为空" in err
    assert not Consultation.objects.exists()


def test_the_command_exits_non_zero_in_a_real_process(tmp_path, org):
    import subprocess
    import sys

    path = tmp_path / "x.xlsx"
    path.write_text("not excel")
    proc = subprocess.run([sys.executable, "manage.py", "import_ledger", str(path), "--dry-run"],
                          capture_output=True, text=True, cwd=str(__import__("django").conf.settings.BASE_DIR))
    assert proc.returncode != 0 and "不是有效的 Excel 文件" in proc.stderr


def test_the_command_refuses_an_unknown_station(tmp_path, org):
    path = build_ledger(tmp_path / "a.xlsx", {"咨询": [consultation_row()]})
    with pytest.raises(CommandError, match="未知的工作站"):
        call_command("import_ledger", str(path), "--station", "nowhere")


def test_a_bulk_imported_case_is_what_case_open_would_open(tmp_path, org):
    from django.db import transaction

    from cases.services import case_open

    row = case_row(**{"证件号码": rid(40, born=dt.date(2010, 1, 1)), "人群类别": "农民工", "案件类别": "刑事",
                      "案件来源": "通知辩护", "通知机关": "法院", "诉讼阶段": "审判", "援助形式": "刑事辩护",
                      "案由": "盗窃", "受援人数": 2, "群体性案件": "是", "涉案金额": 5000})
    run(build_ledger(tmp_path / "l.xlsx", {"案件": [row]}))
    imported = Case.objects.get()
    with transaction.atomic():
        opened = case_open(recipient=imported.recipient, category="criminal", accepted_on=imported.accepted_on,
                           source="notice", organ="court", stage="trial", aid_form="criminal_defence", cause="theft",
                           recipient_count=2, is_mass=True, amount_involved=Decimal("5000"),
                           extra_groups=["migrant_worker"])
    fields = ["year", "category", "source", "organ", "stage", "aid_form", "cause", "is_litigation",
              "recipient_groups", "recipient_count", "is_mass", "amount_involved", "assign_due", "status", "station"]
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(opened, f) for f in fields}
    assert opened.seq == imported.seq + 1  # the block reservation used the same sequence
    assert imported.number == "（2024）示法援刑字第1号"


def test_numbers_reserved_in_a_block_are_gapless_and_follow_ledger_numbers(tmp_path, org):
    rows = [case_row(**{"证件号码": rid(50 + i), "受理日期": dt.date(2024, 1 + i, 1)}) for i in range(5)]
    rows.insert(2, case_row(**{"案号": "（2024）示法援民字第20号", "证件号码": rid(60)}))
    run(build_ledger(tmp_path / "l.xlsx", {"案件": rows}))
    assert sorted(Case.objects.values_list("seq", flat=True)) == [20, 21, 22, 23, 24, 25]


def test_a_date_in_the_future_is_refused(tmp_path, org):
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    result = run(build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row(**{"日期": tomorrow})]}))
    assert result.errors == ["咨询!2: 日期: 不能晚于今天"]


def test_a_workbook_without_ledger_sheets_is_refused(tmp_path, org):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "x.xlsx")
    result = run(tmp_path / "x.xlsx")
    assert result.errors == ["文件中没有台账工作表（案件、咨询、宣传活动、媒体报道、值班与代书、经费预算、经费支出、困难群体）"]
    assert result.warnings == ["Sheet1: 不是台账工作表，已忽略"]


def test_bulk_rows_have_history_and_later_records_get_fresh_ids(tmp_path, org, clerk):
    from tests.factories import ConsultationFactory

    run(build_ledger(tmp_path / "县台账.xlsx", {"咨询": [consultation_row()] * 3}), user=clerk)
    c = Consultation.objects.first()
    h = c.history.get()
    assert h.history_type == "+" and h.history_user == clerk and "县台账.xlsx" in h.history_change_reason
    assert c.created_at is not None and c.created_by == clerk
    later = ConsultationFactory()  # the id sequence moved past the imported rows
    assert later.pk > max(Consultation.objects.exclude(pk=later.pk).values_list("pk", flat=True))
