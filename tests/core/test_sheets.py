"""Each app defines the sheets of its own records (core.sheets); the ledger collects them."""

from __future__ import annotations

import importlib

import pytest

from core import sheets
from core.xlsx import SafeWorkbook

OWNERS = {
    "案件": "cases", "咨询": "intake", "值班与代书": "intake", "申请": "intake", "宣传活动": "publicity",
    "媒体报道": "publicity", "经费预算": "funding", "经费支出": "funding", "困难群体": "applicants",
    "申请人": "applicants",
}


def test_each_sheet_is_defined_by_the_app_whose_records_it_holds():
    for sheet, app in OWNERS.items():
        module = importlib.import_module(f"{app}.sheets")
        assert sheet in [s.name for s in module.SHEETS], sheet
    assert sorted(sheets.names()) == sorted(OWNERS)
    assert not hasattr(importlib.import_module("ledger.exporters"), "ROWS")


def test_the_ledger_sheets_come_in_ledger_order():
    assert sheets.ledger_sheets() == ["案件", "咨询", "宣传活动", "媒体报道", "值班与代书", "经费预算", "经费支出",
                                      "困难群体"]


def test_funding_adds_the_subsidy_to_the_case_sheet_before_the_station():
    cases_sheet = importlib.import_module("cases.sheets")
    assert "补贴金额" not in [c.header for c in cases_sheet.COLUMNS]  # cases never read the subsidy
    assert sheets.headers("案件")[-3:] == ["补贴金额", "补贴发放日期", "工作站"]
    assert [c.key for c in sheets.columns("案件")][-3:] == ["subsidy_amount", "subsidy_paid_on", "station"]


@pytest.mark.django_db
def test_a_case_row_carries_its_subsidy_in_the_added_columns(org):
    import datetime as dt
    from decimal import Decimal

    from cases.models import Case
    from funding.models import Subsidy
    from tests import factories as f

    with_subsidy, without = f.make_case(accepted_on=dt.date(2025, 4, 10)), f.make_case(accepted_on=dt.date(2025, 4, 11))
    Subsidy.objects.create(case=with_subsidy, computed_amount=Decimal("1200"), amount=Decimal("1150.50"),
                           status=Subsidy.Status.PAID, paid_on=dt.date(2025, 9, 1))
    rows = {r[0]: dict(zip(sheets.headers("案件"), r, strict=True))
            for r in sheets.rows("案件", Case.objects.filter(pk__in=[with_subsidy.pk, without.pk]))}
    paid, unpaid = rows[with_subsidy.number], rows[without.number]
    assert (paid["补贴金额"], paid["补贴发放日期"]) == (Decimal("1150.50"), dt.date(2025, 9, 1))
    assert (unpaid["补贴金额"], unpaid["补贴发放日期"]) == (None, None)
    assert paid["受理日期"] == dt.date(2025, 4, 10)
    assert paid["工作站"] == (with_subsidy.station.name if with_subsidy.station_id else None)


def test_an_unknown_sheet_is_refused_before_anything_is_written():
    book = SafeWorkbook()
    with pytest.raises(ValueError, match="unknown sheet"):
        sheets.write_sheet(book, "不存在", None)
    with pytest.raises(KeyError):
        sheets.HEADERS["不存在"]
