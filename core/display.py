"""The one way a date, a time or an amount of money is written on a page.

Dates and times in Beijing time, as 2026-12-02 or 2026-12-02 00:56; money in yuan as 1,324,900.00.

A DateTimeField holds UTC. Formatting it directly (`f"{dt:%Y-%m-%d}"`, `str(dt)`, `dt.isoformat()`,
`dt.date()`) gives the UTC day, which is the day before between 00:00 and 08:00 in Beijing. Views that
build a label (a breadcrumb, a sentence) pass the datetime itself to the template, which writes it
with the `local_time` filter, or call `time_text` here; both go through `local_datetime`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

EMPTY = "—"
CENT = Decimal("0.01")


def local_datetime(value: datetime) -> datetime:
    """An aware datetime in the center's time zone (Asia/Shanghai), whatever zone a request activated."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, timezone.get_default_timezone())


def local_date(value: date | datetime) -> date:
    """The Beijing day of a datetime; a date as it is."""
    return local_datetime(value).date() if isinstance(value, datetime) else value


def date_text(value: date | datetime | None) -> str:
    """2026-12-02: the Beijing day of a datetime, or a date; "" for None."""
    return "" if value is None else local_date(value).strftime("%Y-%m-%d")


def time_text(value: date | datetime | None) -> str:
    """2026-12-02 00:56 for a datetime in Beijing time, 2026-12-02 for a date, "" for None."""
    if isinstance(value, datetime):
        return local_datetime(value).strftime("%Y-%m-%d %H:%M")
    return date_text(value)


def money_text(value) -> str:
    """1,324,900.00: yuan with thousands separators and two decimals, rounded half up to the fen as a cashier
    does; "—" for None. Every page, list, history line and document writes money through here (the `yuan`
    filter, funding.money.fmt)."""
    if value is None or value == "":
        return EMPTY
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
