from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from reports.periods import parse_period, shift_year

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("text,start,end,kind", [
    ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
    ("2025H1", date(2025, 1, 1), date(2025, 6, 30), "h1"),
    ("2025h2", date(2025, 7, 1), date(2025, 12, 31), "h2"),
    ("2025-01-01:2025-11-30", date(2025, 1, 1), date(2025, 11, 30), "range"),
    (" 2024H2 ", date(2024, 7, 1), date(2024, 12, 31), "h2"),
])
def test_periods_parse_to_inclusive_dates(text, start, end, kind):
    p = parse_period(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)


@pytest.mark.parametrize("text", ["", "25", "2025H3", "2025-02-30:2025-03-01", "2025-03-01:2025-02-01", "abc",
                                  "2025-01-01", "2025Q1"])
def test_bad_periods_are_refused_with_a_message(text):
    with pytest.raises(ValidationError):
        parse_period(text)


def test_half_year_boundary_30_june_is_h1_and_1_july_is_h2():
    h1, h2 = parse_period("2025H1"), parse_period("2025H2")
    assert h1.start <= date(2025, 6, 30) <= h1.end
    assert not (h1.start <= date(2025, 7, 1) <= h1.end)
    assert h2.start == date(2025, 7, 1)


def test_datetime_range_is_shanghai_midnight_to_midnight():
    start, stop = parse_period("2025").datetime_range()
    assert start == datetime(2025, 1, 1, tzinfo=SH)
    assert stop == datetime(2026, 1, 1, tzinfo=SH)
    last_second_31_dec = datetime(2025, 12, 31, 23, 59, 59, tzinfo=SH)
    assert start <= last_second_31_dec < stop
    # 1 Jan 00:00 Shanghai is still 31 Dec in UTC: it belongs to the new year.
    new_year = datetime(2026, 1, 1, tzinfo=SH)
    assert new_year.astimezone(ZoneInfo("UTC")).day == 31 and not new_year < stop
    h1_start, h1_stop = parse_period("2025H1").datetime_range()
    assert h1_stop == datetime(2025, 7, 1, tzinfo=SH)
    assert datetime(2025, 6, 30, 23, 59, tzinfo=SH) < h1_stop
    assert h1_stop - timedelta(microseconds=1) >= datetime(2025, 6, 30, tzinfo=SH)


def test_last_year_is_the_same_period_shifted_back_and_leap_day_safe():
    assert parse_period("2025H1").last_year().start == date(2024, 1, 1)
    assert parse_period("2025H1").last_year().end == date(2024, 6, 30)
    p = parse_period("2025-01-01:2025-02-28").last_year()
    assert (p.start, p.end) == (date(2024, 1, 1), date(2024, 2, 29))  # the whole February both years
    p = parse_period("2024-02-29:2024-03-31").last_year()
    assert (p.start, p.end) == (date(2023, 2, 28), date(2023, 3, 31))
    assert shift_year(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert shift_year(date(2025, 2, 28), -1, is_end=True) == date(2024, 2, 29)


def test_labels_for_documents():
    assert parse_period("2025").label == "2025年"
    assert parse_period("2025H1").label == "2025年上半年"
    assert parse_period("2025H1").span_word == "上半年"
    assert parse_period("2025-01-01:2025-11-30").label == "2025年1月1日至11月30日"
    assert parse_period("2025-01-01:2025-12-31").code == "2025"
