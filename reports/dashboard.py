"""What the dashboard shows: the year to date against last year and the targets, charts
and the station comparison, every figure with the link to its list."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from core.choices import CATEGORY, CHANNEL, GRADE, SPENDING_CATEGORY
from core.counts import cached, settled_at
from core.holidays import next_year_warning
from core.indicators import CENTER as CENTER_SCOPE
from core.periods import first_year

from . import indicators as ind
from .builder import CENTER, target_progress
from .links import indicator_url, list_url
from .periods import Period, parse_period

KEY_FIGURES = ["cases.accepted", "cases.closed", "recipients.total", "consultations.total", "services.total",
               "matters.duty_lawyer", "amount.recovered", "rate.closure", "rate.satisfaction", "publicity.events",
               "subsidy.paid.total", "cases.overdue_at_end"]


def dashboard_period(year: int, today: date) -> Period:
    """The year, as of today while it runs: the same period a report of that year requested today has."""
    return parse_period(str(year), today=today, check_started=False)


def _station_for(request):
    """Station staff see their own station only; center staff may pick one (?station=pk)."""
    from stations.models import Station

    user = request.user
    if not user.is_center:
        return user.station
    raw = request.GET.get("station")
    if not raw:
        return None
    try:
        return Station.objects.get(pk=int(raw))
    except (ValueError, Station.DoesNotExist):
        raise Http404 from None


def figures(p: Period, station, values: dict, last: dict) -> list[dict]:
    before = last_year_period(p)
    out = []
    for code, name, unit in ind.INDICATORS:
        out.append({"code": code, "name": name, "unit": unit, "value": values[code], "last": last[code],
                    "change": ind.change(values[code], last[code]), "url": indicator_url(code, p, station),
                    "last_url": indicator_url(code, before, station)})
    return out


def last_year_period(p: Period) -> Period:
    """The same period last year (Period.last_year) as dates a link can carry: for a year not yet ended, 1 Jan
    to the same day last year, its stock figures as of that day, as the 上年同期 column counts them."""
    last = p.last_year()
    return Period(f"{last.start.isoformat()}:{last.end.isoformat()}", last.start, last.end, "range")


def _month(y: int, m: int, p: Period) -> Period:
    start = max(date(y, m, 1), p.start)
    end = min(date(y, m, calendar.monthrange(y, m)[1]), p.end)
    return Period(f"{start.isoformat()}:{end.isoformat()}", start, end, "range")


def monthly_cases(p: Period, station) -> dict:
    """Cases accepted per month and category: the cases.accepted.<category> definitions grouped by month."""
    months = [(y, m) for y in p.years() for m in range(1, 13)
              if date(y, m, 1) <= p.end and date(y, m, calendar.monthrange(y, m)[1]) >= p.start]
    qs = ind.REGISTRY["cases.accepted"].records(p, station)
    rows = qs.annotate(m=TruncMonth("accepted_on")).values("m", "category").annotate(n=Count("id")).order_by()
    counts = {(r["m"].year, r["m"].month, r["category"]): r["n"] for r in rows}
    # A segment (one category in one month) opens that category's list of the month; the month's whole bar
    # is the sum of its segments.
    datasets = [{"label": CATEGORY.zh[c], "data": [counts.get((y, m, c), 0) for y, m in months],
                 "links": [indicator_url(f"cases.accepted.{c}", _month(y, m, p), station) for y, m in months]}
                for c in CATEGORY.codes]
    links = [indicator_url("cases.accepted", _month(y, m, p), station) for y, m in months]
    return {"labels": [f"{m}月" for _y, m in months], "datasets": datasets, "links": links}


def funding_use(p: Period) -> dict:
    spent = ind.REGISTRY.grouped(["funding.spent"], p, "category")
    return {"labels": [SPENDING_CATEGORY.zh[c] for c in SPENDING_CATEGORY.codes],
            "data": [float(spent.get(c, {}).get("funding.spent", 0)) for c in SPENDING_CATEGORY.codes],
            "links": [list_url("funding:spending_list", [("date_from", p.start.isoformat()),
                                                         ("date_to", p.end.isoformat()), ("category", c)])
                      for c in SPENDING_CATEGORY.codes]}


COMPARISON = {"accepted": "cases.accepted", "closed": "cases.closed", "open": "cases.open_at_end",
              "applications": "applications.received", "consultations": "consultations.total",
              "events": "publicity.events"}


COMPARISON_ROWS = 30  # rows of the dashboard's station comparison (the center's own among them)


def station_comparison(p: Period) -> list[dict]:
    """Each station's (and the center's own) figures from the indicators' definitions, one grouped query
    per family; every figure opens its list for that station."""
    from stations.models import Station

    found: dict = {}
    for codes in (["cases.accepted", "cases.closed", "cases.open_at_end"], ["applications.received"],
                  ["consultations.total"], ["publicity.events"]):
        for key, vals in ind.REGISTRY.grouped(codes, p, "station").items():
            found.setdefault(key, {}).update(vals)
    stations = list(Station.objects.active_at(p.end).exclude(active=False, closed_on__isnull=True).order_by("name"))
    keys = [None, *[s.pk for s in stations]]
    keys += sorted(k for k in found if k not in keys)
    by_pk = {s.pk: s for s in Station.objects.filter(pk__in=[k for k in keys if k])}
    rows = []
    for key in keys:
        scope = by_pk[key] if key else CENTER_SCOPE
        vals = found.get(key, {})
        row = {"name": by_pk[key].name if key else CENTER}
        for name, code in COMPARISON.items():
            row[name] = vals.get(code, 0)
            row[f"{name}_url"] = indicator_url(code, p, scope)
        rows.append(row)
    return rows


def _scope(p: Period, station) -> str:
    return f"{p.code}:{p.end}:{station.pk if station is not None else '-'}"


def figure_makers(p: Period, station) -> dict[str, Callable[[], object]]:
    """The dashboard's figures of one period and scope, by cache name: each made by its function, served
    from the shared cache (core.counts.cached, settled) and kept warm for the county (reports.warm_figures)."""
    makers = {
        "dashboard-values": lambda: ind.compute_all(p, station),
        "dashboard-last": lambda: ind.compute_all(p.last_year(), station),
        "dashboard-monthly": lambda: monthly_cases(p, station),
    }
    if station is None:
        makers["dashboard-funding"] = lambda: funding_use(p)
        makers["dashboard-stations"] = lambda: station_comparison(p)
    return makers


def dashboard_context(request) -> dict:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not first_year() <= year <= today.year:
        year = today.year
    station = _station_for(request)
    p = dashboard_period(year, today)
    # Every figure from the shared cache until a record changes, at most COUNTS_CACHE_SECONDS (core.counts):
    # a province's dashboard is computed once a minute at most, not once per page view.
    scope, makers = _scope(p, station), figure_makers(p, station)

    def figure(name):
        return cached(name, scope, makers[name], settle=True)

    values, last = figure("dashboard-values"), figure("dashboard-last")
    all_figures = figures(p, station, values, last)
    by_code = {f["code"]: f for f in all_figures}
    progress = target_progress(year, station, values, today)
    target_by_code = {r["code"]: r for r in progress}
    key = [{**by_code[c], "target": target_by_code.get(c)} for c in KEY_FIGURES]
    groups = [{"label": ind.BY_CODE[f"cases.accepted.group.{g}"][0], "value": values[f"cases.accepted.group.{g}"],
               "url": by_code[f"cases.accepted.group.{g}"]["url"]} for g in ind.GROUPS]
    channel_codes = {"visit": "consultations.visit", "phone": "consultations.phone_only",
                     "hotline": "consultations.hotline", "letter": "consultations.letter",
                     "online": "consultations.online", "event": "consultations.event"}
    channels = [{"label": CHANNEL.zh[c], "value": values[channel_codes[c]],
                 "url": indicator_url(channel_codes[c], p, station)} for c in CHANNEL.codes]
    grades = [{"label": GRADE.zh[g], "value": values[f"quality.{g}"], "url": by_code[f"quality.{g}"]["url"]}
              for g in GRADE.codes]
    charts = {
        "monthly": figure("dashboard-monthly"),
        "groups": {"labels": [g["label"] for g in groups], "data": [g["value"] for g in groups],
                   "links": [g["url"] for g in groups]},
        "channels": {"labels": [c["label"] for c in channels], "data": [c["value"] for c in channels],
                     "links": [c["url"] for c in channels]},
        "grades": {"labels": [g["label"] for g in grades], "data": [g["value"] for g in grades],
                   "links": [g["url"] for g in grades]},
        "funding": figure("dashboard-funding") if station is None else None,
    }
    from stations.models import Station

    comparison = figure("dashboard-stations") if station is None and request.user.is_center else None
    comparison_total = len(comparison) if comparison else 0
    if comparison and comparison_total > COMPARISON_ROWS:
        # A province's thousands of stations: the center's own row and the busiest stations by cases accepted;
        # every station's figures are on the stations list.
        comparison = [comparison[0], *sorted(comparison[1:], key=lambda r: (-(r["accepted"] or 0), r["name"]))
                      [:COMPARISON_ROWS - 1]]
    return {
        "period": p, "year": year, "years": list(range(today.year, max(today.year - 4, first_year() - 1), -1)), "station": station,
        "stations": Station.objects.order_by("name").values("pk", "name") if request.user.is_center else [],
        "key": key, "figures": all_figures, "groups": groups, "channels": channels, "grades": grades,
        "charts": charts, "targets": progress,
        "comparison": comparison, "comparison_total": comparison_total,
        "calendar_warning": next_year_warning(request.user, today),
        "made_at": _made_at(settled_at("dashboard-values", scope)),
    }


def _made_at(when: float | None):
    """The time the figures shown were made, when they are more than a minute old (else None)."""
    if when is None or time.time() - when < 60:
        return None
    return datetime.fromtimestamp(when, tz=timezone.get_current_timezone())


def target_table(year: int, today: date) -> list[dict]:
    """Every target of the year (county and stations) with completion and projection."""
    from stations.models import Station

    from .models import Target

    p = dashboard_period(year, today)
    station_ids = set(Target.objects.filter(year=year).values_list("station_id", flat=True).distinct())
    rows = []
    for sid in sorted(station_ids, key=lambda x: (x is not None, x or 0)):
        station = Station.objects.get(pk=sid) if sid else None
        # the dashboard's figures of the same period and scope: cached and settled like them, and kept warm for
        # the county, so the page does not compute every indicator of each station on each view
        values = (cached("dashboard-values", _scope(p, station), figure_makers(p, station)["dashboard-values"],
                         settle=True) if year <= today.year else {})
        for r in target_progress(year, station, values, today):
            r["station"] = station
            r["url"] = indicator_url(r["code"], p, station) if values else None
            rows.append(r)
    return rows
