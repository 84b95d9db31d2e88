"""Links from figures to lists.

A figure opens the list of the records its indicator counts (`indicator_url`, reports/drilldown.py),
built from the indicator's own definition. `list_url` links to the apps' working lists (charts by
month, the station comparison's other columns)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .periods import Period


def list_url(name: str, params: list[tuple[str, object]] | None = None) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    params = [(k, v) for k, v in (params or []) if v is not None and v != ""]
    return f"{url}?{urlencode(params)}" if params else url


def indicator_url(code: str, p: Period, station=None) -> str | None:
    """The list behind a figure: the indicator's own records (reports/drilldown.py)."""
    from .drilldown import figure_url

    return figure_url(code, p, station)
