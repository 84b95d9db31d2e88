"""Report periods (STATISTICS.md): `2025`, `2025H1`, `2025H2` or `2025-01-01:2025-11-30`.

A period is a pair of dates, both included, in Asia/Shanghai. DateFields are
compared with the dates directly; DateTimeFields (Consultation.occurred_at) with
the half-open range [start 00:00, end + 1 day 00:00) in Asia/Shanghai.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})H([12])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date
    kind: str  # year, h1, h2, range

    @property
    def label(self) -> str:
        """Chinese heading for documents: 2025年 / 2025年上半年 / 2025年1月1日至11月30日."""
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "h1":
            return f"{self.start.year}年上半年"
        if self.kind == "h2":
            return f"{self.start.year}年下半年"
        end = f"{self.end.month}月{self.end.day}日" if self.end.year == self.start.year else _zh_date(self.end)
        return f"{_zh_date(self.start)}至{end}"

    @property
    def span_word(self) -> str:
        """The word a work summary uses for the period: 全年 / 上半年 / 下半年 / 本期."""
        return {"year": "全年", "h1": "上半年", "h2": "下半年"}.get(self.kind, "本期")

    @property
    def year(self) -> int:
        """The target year of the period: the year of its end date."""
        return self.end.year

    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def last_year(self) -> Period:
        return Period(code=f"{self.code}-1y", start=shift_year(self.start, -1, is_end=False),
                      end=shift_year(self.end, -1, is_end=True), kind=self.kind)

    def datetime_range(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes for DateTimeFields: start 00:00 to the day after end 00:00."""
        return (datetime.combine(self.start, time.min, tzinfo=SHANGHAI),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=SHANGHAI))

    def __str__(self) -> str:
        return self.code


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def shift_year(d: date, years: int, *, is_end: bool = False) -> date:
    """The same date `years` later (negative: earlier), leap-day safe.

    29 February becomes 28 February; an end date on the last day of February stays
    on the last day of February, so `2025-01-01:2025-02-28` compares with
    `2024-01-01:2024-02-29` (the whole of February both years).
    """
    year = d.year + years
    last = calendar.monthrange(year, d.month)[1]
    if is_end and d.day == calendar.monthrange(d.year, d.month)[1]:
        return date(year, d.month, last)
    return date(year, d.month, min(d.day, last))


def parse_period(text: str) -> Period:
    """Parse a period code; raise ValidationError (Chinese message) for anything else."""
    raw = (text or "").strip()
    if m := _YEAR.match(raw):
        y = int(m.group(1))
        _check_year(y, raw)
        return Period(raw, date(y, 1, 1), date(y, 12, 31), "year")
    if m := _HALF.match(raw):
        y, half = int(m.group(1)), m.group(2)
        _check_year(y, raw)
        code = f"{y}H{half}"
        if half == "1":
            return Period(code, date(y, 1, 1), date(y, 6, 30), "h1")
        return Period(code, date(y, 7, 1), date(y, 12, 31), "h2")
    if m := _RANGE.match(raw):
        try:
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        except ValueError:
            raise ValidationError(_("Invalid date in period “%(period)s”."), params={"period": raw},
                                  code="bad_date") from None
        if start > end:
            raise ValidationError(_("The period “%(period)s” ends before it starts."), params={"period": raw},
                                  code="reversed")
        _check_year(start.year, raw)
        _check_year(end.year, raw)
        if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
            return Period(str(start.year), start, end, "year")
        return Period(raw, start, end, "range")
    raise ValidationError(
        _("Unknown period “%(period)s”: use 2025, 2025H1, 2025H2 or 2025-01-01:2025-11-30."),
        params={"period": raw}, code="unknown")


def _check_year(y: int, raw: str) -> None:
    if not 1990 <= y <= 2100:
        raise ValidationError(_("Year out of range in period “%(period)s”."), params={"period": raw},
                              code="year_range")


def year_to_date(today: date) -> Period:
    return Period(f"{today.year}-01-01:{today.isoformat()}", date(today.year, 1, 1), today,
                  "year" if (today.month, today.day) == (12, 31) else "range")
