"""Audit of DOMAIN.md §11 (targets and reports) against STATISTICS.md: the workbook, the Word draft, targets.

Each test is one confirmed defect; it fails on the current code because of it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
from freezegun import freeze_time

from cases import editing
from cases.services import case_assign, case_change_handler
from reports.builder import HEADER_ROW, build
from reports.models import Target
from reports.periods import parse_period
from reports.summary import change_words
from tests.factories import HandlerFactory, make_case

D = dt.date


def _rows(path, name):
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[name].iter_rows(min_row=HEADER_ROW, values_only=True)]


def test_it_lists_each_accepted_case_at_the_stage_it_was_counted_in(org, clerk, handler_profile, tmp_path):
    """STATISTICS.md: "A dashboard figure opens the list of the records it counts, with the same filter";
    DECISIONS.md: `cases.accepted.criminal.<stage>` count the stage at acceptance and "a later change of stage
    moves no figure of a past period". The workbook's case list (受理案件, the 案件 ledger columns, whose
    诉讼阶段 a ledger import reads as the stage at acceptance) must agree with those counts: hand-counting the
    list's 侦查 rows gives the 侦查阶段 figure of the 指标 sheet."""
    case = make_case(category="criminal", stage="investigation", aid_form="criminal_defence", role="defence",
                     cause="theft", accepted_on=D(2025, 3, 3))
    case_assign(case=case, handler=handler_profile, on=D(2025, 3, 4), by=clerk)
    editing.case_change_stage(case=case, to_stage="trial", on=D(2025, 9, 1), by=clerk)  # after the period
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=out)
    indicators = {r[0]: r[3] for r in _rows(out, "指标")[1:]}
    assert indicators["cases.accepted.criminal.investigation"] == 1
    assert indicators["cases.accepted.criminal.trial"] == 0
    rows = _rows(out, "受理案件")
    col = rows[0].index("诉讼阶段")
    stages = [r[col] for r in rows[1:]]
    assert stages.count("侦查") == indicators["cases.accepted.criminal.investigation"]
    assert stages.count("审判") == indicators["cases.accepted.criminal.trial"]


def test_it_does_not_project_a_year_below_what_the_year_recorded_in_a_second_half_report(org, tmp_path):
    """DOMAIN.md §11: completion "with a projection to year end"; STATISTICS.md (DECISIONS, Targets):
    "Projection to year end: value so far ÷ days elapsed × days in the year". A 2025H2 report's 目标 sheet
    divides the July–December figure by the 365 days since 1 January, so its 预计全年 is the second half
    alone: 2 cases, while the year (already over) accepted 5. A projection must not claim the year ends
    below what it already recorded."""
    for d in [D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1), D(2025, 8, 1), D(2025, 9, 1)]:
        make_case(accepted_on=d)
    Target.objects.create(year=2025, code="cases.accepted", value=10)
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H2"), xlsx_path=out)
    header, row = _rows(out, "目标")[:2]
    row = dict(zip(header, row, strict=True))
    assert row["编码"] == "cases.accepted"
    assert row["预计全年"] >= 5  # 1 Jan – 31 Dec 2025 accepted 5 cases
    assert row["预计完成率(%)"] >= 50.0


def test_it_refuses_a_negative_target_or_an_absurd_year_on_the_edit_form(client_for, org):
    """Working rules / DOMAIN.md §11 (targets per year): bad input must give a clear message and change
    nothing. Setting a target refuses a negative value and a year outside 2000–2100 (TargetSetForm); editing
    the same target (/reports/targets/<pk>/, TargetForm, also the admin's form) saves year 5 and −100."""
    target = Target.objects.create(year=2025, code="cases.accepted", value=100)
    c = client_for("director")
    refused = c.post("/reports/targets/", {"year": "2025", "code": "cases.closed", "station": "", "value": "-100"})
    assert refused.status_code == 200 and not Target.objects.filter(code="cases.closed").exists()
    response = c.post(f"/reports/targets/{target.pk}/",
                      {"year": "5", "code": "cases.accepted", "station": "", "value": "-100"})
    target.refresh_from_db()
    assert (target.year, target.value) == (2025, Decimal("100"))
    assert response.status_code == 200


def test_it_writes_money_targets_in_yuan_with_two_decimals_on_the_target_sheet(org, tmp_path):
    """STATISTICS.md: "Money in yuan with two decimals". The 指标 sheet writes the target of a money indicator
    (target.subsidy.paid.total) in the money format, but the 目标 sheet writes the same target and its
    projection as plain numbers (1000.5, shown without the yuan format), unlike its own 完成 column."""
    Target.objects.create(year=2025, code="subsidy.paid.total", value=Decimal("1000.50"))
    out = tmp_path / "r.xlsx"
    build(parse_period("2025"), xlsx_path=out)
    wb = openpyxl.load_workbook(out)
    indicator = {r[0].value: r for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1)}
    money_format = indicator["subsidy.paid.total"][3].number_format
    assert "0.00" in money_format
    assert indicator["target.subsidy.paid.total"][3].number_format == money_format
    header = [c.value for c in wb["目标"][HEADER_ROW]]
    (row,) = [r for r in wb["目标"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value == "subsidy.paid.total"]
    cells = dict(zip(header, row, strict=True))
    assert cells["完成"].number_format == money_format
    assert cells["目标"].number_format == money_format, "the target 1000.50 元 is not written as money"
    assert cells["预计全年"].number_format == money_format, "the projected 元 are not written as money"


@freeze_time("2025-11-20 10:00:00+08:00")
def test_it_lists_the_handler_and_the_handler_type_of_the_same_assignment(org, clerk, tmp_path):
    """STATISTICS.md: the handler's type at assignment counts (律师承办案件), and the assignment date is the
    first assignment's. After a change of handler, the case list's row names the first assignment's handler
    with that handler's type and date (reports/DECISIONS.md), not the new handler with the old one's type:
    hand-counting the list's lawyer rows gives the 律师承办案件 figure, and each row is one assignment."""
    lawyer = HandlerFactory(kind="practising_lawyer", name="王律师")
    worker = HandlerFactory(kind="grassroots_worker", name="李法工")
    case = make_case(accepted_on=D(2025, 3, 3))
    case_assign(case=case, handler=lawyer, on=D(2025, 3, 4), by=clerk)
    case_change_handler(case=case, handler=worker, on=D(2025, 10, 8), reason="律师调离", by=clerk)
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=out)
    indicators = {r[0]: r[3] for r in _rows(out, "指标")[1:]}
    header, *rows = _rows(out, "受理案件")
    (row,) = [dict(zip(header, r, strict=True)) for r in rows]
    assert (row["承办人"], row["承办人类型"], row["承办机构"]) == (
        "王律师", "执业律师", lawyer.provider.name if lawyer.provider else None)
    assert row["指派日期"].date() == D(2025, 3, 4)
    lawyer_rows = sum(r[header.index("承办人类型")] in ("执业律师", "法律援助律师") for r in rows)
    assert lawyer_rows == indicators["cases.accepted.by_lawyer"] == 1


def test_it_writes_a_change_that_rounds_to_nothing_as_what_it_is_not_as_level():
    """STATISTICS.md: change % has one decimal; the Word draft's 与上年同期持平 says the figures are equal. 20,001
    against 20,000 is +0.005 %, 0.0 % once rounded: the draft says it rose, by less than 0.1 %, and gives last
    year's figure; only equal figures are 持平."""
    assert change_words(20000, 20000, "人次") == "与上年同期持平"
    assert change_words(20001, 20000, "人次") == "同比增长不足0.1%（上年同期20,000人次）"
    assert change_words(19999, 20000, "件") == "同比下降不足0.1%（上年同期20,000件）"
    assert change_words(Decimal("100000.01"), Decimal("100000.00"), "元") == (
        "同比增长不足0.1%（上年同期100,000.00元）")
    assert change_words(110, 100, "件") == "同比增长10.0%"
    assert change_words(5, 0, "件") == ""
