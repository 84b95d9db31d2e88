"""Report periods (STATISTICS.md): `2025`, `2025H1`, `2025H2` or `2025-01-01:2025-11-30`.

A period is a pair of dates, both included, in Asia/Shanghai. DateFields are
compared with the dates directly; DateTimeFields (Consultation.occurred_at) with
the half-open range [start 00:00, end + 1 day 00:00) in Asia/Shanghai.

A period must have started. One that has not ended is taken as of today: `end` is
today, `nominal_end` the period's own last day, and the label says 截至 that day, so
its stock figures (期末…) are today's and equal the dashboard's.
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
    nominal_end: date | None = None  # the period's own last day when it has not ended (end is then the as-of day)

    @property
    def running(self) -> bool:
        """The period has not ended: its figures are taken as of `end` (today when it was parsed)."""
        return self.nominal_end is not None and self.nominal_end > self.end

    @property
    def as_of_label(self) -> str:
        """截至2026年12月2日 for a period that has not ended, else empty."""
        return f"截至{_zh_date(self.end)}" if self.running else ""

    @property
    def label(self) -> str:
        """Chinese heading for documents: 2025年 / 2025年上半年 / 2025年1月1日至11月30日, with （截至…）
        for a period that has not ended."""
        own = self.nominal_end or self.end
        if self.kind == "year":
            text = f"{self.start.year}年"
        elif self.kind == "h1":
            text = f"{self.start.year}年上半年"
        elif self.kind == "h2":
            text = f"{self.start.year}年下半年"
        else:
            end = f"{own.month}月{own.day}日" if own.year == self.start.year else _zh_date(own)
            text = f"{_zh_date(self.start)}至{end}"
        return f"{text}（{self.as_of_label}）" if self.running else text

    @property
    def span_word(self) -> str:
        """The word a work summary uses for the period: 全年 / 上半年 / 下半年 / 本期 (截至… when running)."""
        if self.running:
            return f"{self.start.month}月{self.start.day}日至{self.end.month}月{self.end.day}日"
        return {"year": "全年", "h1": "上半年", "h2": "下半年"}.get(self.kind, "本期")

    @property
    def query(self) -> list[tuple[str, str]]:
        """URL parameters that reproduce exactly this period (the as-of day included) in a link."""
        return [("period", self.code), *([("as_of", self.end.isoformat())] if self.running else [])]

    @property
    def year(self) -> int:
        """The target year of the period: the year of its end date."""
        return self.end.year

    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def last_year(self) -> Period:
        """The same dates one year back (for a running period: 1 Jan to the same day last year)."""
        return Period(code=f"{self.code}-1y", start=shift_year(self.start, -1, is_end=False),
                      end=shift_year(self.end, -1, is_end=not self.running), kind=self.kind,
                      nominal_end=shift_year(self.nominal_end, -1, is_end=True) if self.running else None)

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


def parse_period(text: str, *, today: date | None = None, check_started: bool = True) -> Period:
    """Parse a period code and take it as of `today` (Asia/Shanghai by default).

    Refused with a clear message: anything unparsable, a period that has not started. A period that has
    not ended ends today (`running`). What a user types also goes through `period_from_input`."""
    p = _parse(text)
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    if p.start > today:
        if not check_started:
            return p
        raise ValidationError(_("The period “%(period)s” has not started yet: today is %(today)s."),
                              params={"period": text.strip(), "today": today.isoformat()}, code="not_started")
    if p.end > today:
        return Period(p.code, p.start, today, p.kind, nominal_end=p.end)
    return p


def period_from_input(text: str, *, today: date | None = None) -> Period:
    """parse_period for what a user typed (forms, build_report, links): also refuses a period that starts
    before the center was founded (CenterProfile.founded_year)."""
    p = parse_period(text, today=today)
    first = first_year()
    if p.start.year < first:
        raise ValidationError(
            _("The period “%(period)s” starts before %(year)s, the year the center was founded (center profile)."),
            params={"period": (text or "").strip(), "year": first}, code="before_center")
    return p


def first_year() -> int:
    """The first year a period may start in: the center's founding year (CenterProfile)."""
    from core.models import CenterProfile

    return CenterProfile.get().founded_year


def _parse(text: str) -> Period:
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
