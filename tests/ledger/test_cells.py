"""Every cell format of LEDGER.md, read by the importer's cell parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledger.importing import CellError, group_list, parse_bool, parse_date, parse_int, parse_money


@pytest.mark.parametrize("value", [
    dt.date(2025, 3, 7), dt.datetime(2025, 3, 7, 14, 30), "2025-03-07", "2025/3/7", "2025年3月7日",
    " 2025-3-7 ", 45723, 45723.0,
])
def test_every_date_form_reads_as_the_same_day(value):
    assert parse_date(value) == dt.date(2025, 3, 7)


@pytest.mark.parametrize("value", ["2025.13.01", "七月", "2025-02-30", "3/7/2025"])
def test_an_unreadable_date_is_a_cell_error(value):
    with pytest.raises(CellError):
        parse_date(value)


def test_empty_optional_cells_are_none():
    assert parse_date(None) is None and parse_date("  ") is None
    assert parse_money(None) is None and parse_int("") is None and parse_bool(None) is None
    assert group_list(None) == []


@pytest.mark.parametrize("value,expected", [
    (1234.5, "1234.50"), (800, "800.00"), ("1,234.50", "1234.50"), ("12,000元", "12000.00"),
    ("3000 元", "3000.00"), ("0", "0.00"), (Decimal("99.999"), "100.00"),
])
def test_money_reads_numbers_and_text_with_separators_and_yuan(value, expected):
    assert parse_money(value) == Decimal(expected)


def test_negative_money_is_refused():
    with pytest.raises(CellError, match="金额不能为负数"):
        parse_money(-5)
    with pytest.raises(CellError, match="金额不能为负数"):
        parse_money("-1,000元")


def test_lists_take_every_separator_and_ignore_repeats():
    assert group_list("农民工、妇女,老年人，残疾人;低保特困") == [
        "migrant_worker", "women", "elderly", "disabled", "low_income"]
    assert group_list("农民工、农民工") == ["migrant_worker"]
    with pytest.raises(CellError, match="未知的人群类别「外来人口」"):
        group_list("农民工、外来人口")


def test_yes_no_cells():
    assert parse_bool("是") is True and parse_bool("否") is False
    with pytest.raises(CellError, match="应为「是」或「否」"):
        parse_bool("对")


def test_whole_numbers_respect_their_minimum():
    assert parse_int("3") == 3 and parse_int(2.0) == 2
    with pytest.raises(CellError, match="应为不小于 1 的整数"):
        parse_int(0, minimum=1)
    with pytest.raises(CellError, match="应为整数"):
        parse_int(1.5)


def test_a_serial_date_reads_in_the_workbooks_date_system():
    from openpyxl.utils.datetime import MAC_EPOCH

    assert parse_date(44261, epoch=MAC_EPOCH) == dt.date(2025, 3, 7)
    assert parse_date(45723, epoch=None) == dt.date(2025, 3, 7)
    with pytest.raises(CellError):
        parse_date(2958465, epoch=MAC_EPOCH)  # past year 9999 in the 1904 system


@pytest.mark.parametrize(("value", "expected"), [
    ("咨询拖欠工资_x000D_\n已告知", "咨询拖欠工资\r\n已告知"),
    ("a_x0009_b", "a\tb"),
    ("_x005F_x000D_ stays", "_x000D_ stays"),  # Excel's escape of a literal "_x000D_"
    ("nul_x0000_kept", "nul_x0000_kept"),  # nothing a database text cannot hold
    ("half_xD800_kept", "half_xD800_kept"),
])
def test_a_text_cell_loses_excels_escapes(value, expected):
    from core.cells import cell_text

    assert cell_text(value) == expected
