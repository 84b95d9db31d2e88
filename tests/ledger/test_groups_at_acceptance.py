"""A ledger's beneficiary groups are the facts at each case's acceptance (STATISTICS.md), found by an
independent count of an adversarial ledger against build_report.

STATISTICS.md: "a case counts in every group its primary recipient belongs to at the acceptance date (declared
groups plus the derived ones of DOMAIN.md §4)"; "Facts are taken as they were when the event happened: ... the
recipient's groups and age at acceptance ... Editing a handler, a person, a station or a vocabulary later
changes no figure of a past period." DOMAIN.md §4: declared groups "come from the clerk or the vulnerable-persons
registry". LEDGER.md: import_ledger "reads the sheets below that are present (any subset, any order)".

So the figures of a set of ledger rows must not depend on whether they come in one workbook or in two.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command

from reports.builder import HEADER_ROW
from tests.ledger.builders import rid

CASE_HEADER = ["受理日期", "案件类别", "诉讼阶段", "援助形式", "案由", "受援人姓名", "证件号码", "人群类别"]


def _workbook(path, *, cases=(), registry=()):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if registry:
        ws = wb.create_sheet("困难群体")
        ws.append(["姓名", "证件号码", "类别", "来源单位", "有效期至"])
        for row in registry:
            ws.append(list(row))
    if cases:
        ws = wb.create_sheet("案件")
        ws.append(CASE_HEADER)
        for accepted, name, number, cause, groups in cases:
            ws.append([accepted, "民事", "一审", "民事诉讼代理", cause, name, number, groups])
    wb.save(path)
    return str(path)


def _figures(tmp_path, period):
    out = tmp_path / f"{period}.xlsx"
    call_command("build_report", "--period", period, "--output", str(out))
    sheet = openpyxl.load_workbook(out)["指标"]
    return {r[0]: r[3] for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}


@pytest.mark.django_db(transaction=False)
def test_registry_sheet_in_the_same_workbook_gives_groups_at_acceptance(org, tmp_path):
    """A 困难群体 sheet beside the 案件 sheet counts as it does when imported in a file of its own: 低保 valid
    on 30 Jun → 低保特困 for the case accepted that day (not for the one of 1 Jul); 优抚对象 → 军人军属."""
    dibao, youfu = rid(401, born=dt.date(1980, 1, 1)), rid(402, born=dt.date(1982, 1, 1))
    path = _workbook(
        tmp_path / "one.xlsx",
        registry=[("低保户", dibao, "低保", "民政局", dt.date(2025, 6, 30)), ("优抚户", youfu, "优抚对象", "退役军人事务局", None)],
        cases=[(dt.date(2025, 6, 30), "低保户", dibao, "房屋", None),
               (dt.date(2025, 7, 1), "低保户", dibao, "房屋", None),
               (dt.date(2025, 8, 4), "优抚户", youfu, "房屋", None)])
    call_command("import_ledger", path)
    v = _figures(tmp_path, "2025")
    assert v["cases.accepted"] == 3
    assert v["cases.accepted.group.low_income"] == 1  # the registry sheet is written before the cases
    assert v["cases.accepted.group.military"] == 1


@pytest.mark.django_db(transaction=False)
def test_registry_in_an_earlier_file_gives_the_same_groups(org, tmp_path):
    """The same rows in two files give the same figures."""
    dibao, youfu = rid(401, born=dt.date(1980, 1, 1)), rid(402, born=dt.date(1982, 1, 1))
    call_command("import_ledger", _workbook(
        tmp_path / "registry.xlsx",
        registry=[("低保户", dibao, "低保", "民政局", dt.date(2025, 6, 30)), ("优抚户", youfu, "优抚对象", "退役军人事务局", None)]))
    call_command("import_ledger", _workbook(
        tmp_path / "cases.xlsx",
        cases=[(dt.date(2025, 6, 30), "低保户", dibao, "房屋", None),
               (dt.date(2025, 7, 1), "低保户", dibao, "房屋", None),
               (dt.date(2025, 8, 4), "优抚户", youfu, "房屋", None)]))
    v = _figures(tmp_path, "2025")
    assert v["cases.accepted.group.low_income"] == 1
    assert v["cases.accepted.group.military"] == 1


@pytest.mark.django_db(transaction=False)
def test_a_later_rows_declared_group_does_not_reach_an_earlier_case(org, tmp_path):
    """Two people, each with an April row (no 人群类别) and an August row declaring 农民工. Person A's rows come
    in one workbook, person B's in two. At the April acceptances neither was declared a migrant worker, so
    2025H1 counts no migrant worker and no migrant-wage case for either (B's split import already gives 0)."""
    a, b = rid(403, born=dt.date(1983, 3, 3)), rid(404, born=dt.date(1984, 4, 4))
    call_command("import_ledger", _workbook(tmp_path / "a.xlsx", cases=[
        (dt.date(2025, 8, 1), "农民工甲", a, "劳动报酬", "农民工"),
        (dt.date(2025, 4, 1), "农民工甲", a, "劳动报酬", None)]))
    call_command("import_ledger", _workbook(tmp_path / "b1.xlsx", cases=[
        (dt.date(2025, 4, 2), "农民工乙", b, "劳动报酬", None)]))
    call_command("import_ledger", _workbook(tmp_path / "b2.xlsx", cases=[
        (dt.date(2025, 8, 2), "农民工乙", b, "劳动报酬", "农民工")]))
    h1 = _figures(tmp_path, "2025H1")
    assert h1["cases.accepted"] == 2
    assert h1["cases.accepted.group.migrant_worker"] == 0  # not August's declaration
    assert h1["cases.accepted.migrant_wage"] == 0
    h2 = _figures(tmp_path, "2025H2")
    assert h2["cases.accepted.group.migrant_worker"] == 2 and h2["cases.accepted.migrant_wage"] == 2
