"""Query parameters read by hand (a year, a day, an id), validated: a bad value is dropped with a message
on the page, never a server error (issue 13). Filtersets and forms validate their own fields."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _


def _warn(request, name: str, value: str) -> None:
    messages.warning(request, _("“%(value)s” is not a valid value for %(name)s; it was left out.")
                     % {"value": value[:40], "name": name})


def query_year(request, name: str = "year", *, default: int | None = None, earliest: int = 1990,
               latest: int | None = None) -> int:
    """A year between `earliest` and next year (or `latest`); the default (this year) otherwise."""
    today = timezone.localdate()
    default = default or today.year
    text = (request.GET.get(name) or "").strip()
    if not text:
        return default
    latest = latest or today.year + 1
    if text.isascii() and text.isdigit() and earliest <= int(text) <= latest:
        return int(text)
    _warn(request, name, text)
    return default


def query_date(request, name: str) -> dt.date | None:
    """A day written 2026-12-03, or None (with a message when something else was given)."""
    text = (request.GET.get(name) or "").strip()
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None or not (1900 <= day.year <= 2100):
        _warn(request, name, text)
        return None
    return day


def query_id(request, name: str) -> int | None:
    """A record id (a positive integer that fits the database), or None."""
    text = (request.GET.get(name) or request.POST.get(name) or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return int(text)
    return None
