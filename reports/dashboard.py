"""What the dashboard shows: the year to date against last year and the targets, charts
and the station comparison, every figure with the link to its list."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from core.choices import CATEGORY, CHANNEL, GRADE, SPENDING_CATEGORY

from . import indicators as ind
from .builder import CENTER, cases_by_station, target_progress
from .links import indicator_url, list_url
from .periods import Period

KEY_FIGURES = ["cases.accepted", "cases.closed", "recipients.total", "consultations.total", "services.total",
               "matters.duty_lawyer", "amount.recovered", "rate.closure", "rate.satisfaction", "publicity.events",
               "subsidy.paid.total", "cases.overdue_at_end"]


def dashboard_period(year: int, today: date) -> Period:
    if year == today.year:
        if (today.month, today.day) == (12, 31):
            return Period(str(year), date(year, 1, 1), today, "year")
        return Period(f"{year}-01-01:{today.isoformat()}", date(year, 1, 1), today, "range")
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), "year")


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
    out = []
    for code, name, unit in ind.INDICATORS:
        out.append({"code": code, "name": name, "unit": unit, "value": values[code], "last": last[code],
                    "change": ind.change(values[code], last[code]), "url": indicator_url(code, p, station)})
    return out


def monthly_cases(p: Period, station) -> dict:
    from cases.models import Case

    qs = Case.objects.filter(accepted_on__gte=p.start, accepted_on__lte=p.end)
    if station is not None:
        qs = qs.filter(station=station)
    rows = qs.annotate(m=TruncMonth("accepted_on")).values("m", "category").annotate(n=Count("id")).order_by()
    months = [(y, m) for y in p.years() for m in range(1, 13)
              if date(y, m, 1) <= p.end and date(y, m, calendar.monthrange(y, m)[1]) >= p.start]
    counts = {(r["m"].year, r["m"].month, r["category"]): r["n"] for r in rows}
    datasets = [{"label": CATEGORY.zh[c], "data": [counts.get((y, m, c), 0) for y, m in months]}
                for c in CATEGORY.codes]
    links = []
    for y, m in months:
        start = max(date(y, m, 1), p.start)
        end = min(date(y, m, calendar.monthrange(y, m)[1]), p.end)
        links.append(list_url("cases:case_list", [("accepted_from", start.isoformat()), ("accepted_to", end.isoformat()),
                                                  *([("station", station.pk)] if station else [])]))
    return {"labels": [f"{m}月" for _y, m in months], "datasets": datasets, "links": links}


def funding_use(p: Period) -> dict:
    from funding.models import Spending

    spent = {r["category"]: float(r["s"] or 0) for r in Spending.objects.filter(date__gte=p.start, date__lte=p.end)
             .values("category").annotate(s=Sum("amount")).order_by()}
    return {"labels": [SPENDING_CATEGORY.zh[c] for c in SPENDING_CATEGORY.codes],
            "data": [spent.get(c, 0) for c in SPENDING_CATEGORY.codes],
            "links": [list_url("funding:spending_list", [("date_from", p.start.isoformat()),
                                                         ("date_to", p.end.isoformat()), ("category", c)])
                      for c in SPENDING_CATEGORY.codes]}


def station_comparison(p: Period) -> list[dict]:
    """One grouped query per domain: cases, applications, consultations, events."""
    from intake.models import Application, Consultation
    from publicity.models import Event
    from stations.models import Station

    start, stop = p.datetime_range()
    consult = {r["station"]: r["n"] or 0 for r in Consultation.objects.filter(
        occurred_at__gte=start, occurred_at__lt=stop).values("station").annotate(n=Sum("person_count")).order_by()}
    apps = {r["station"]: r["n"] for r in Application.objects.exclude(status="draft").filter(
        received_on__gte=p.start, received_on__lte=p.end).values("station").annotate(n=Count("id")).order_by()}
    events = {r["station"]: r["n"] for r in Event.objects.filter(date__gte=p.start, date__lte=p.end)
              .values("station").annotate(n=Count("id")).order_by()}
    cases = {r["station"]: r for r in cases_by_station(p)}
    stations = list(Station.objects.active_at(p.end).exclude(active=False, closed_on__isnull=True).order_by("name"))
    keys = [None, *[s.pk for s in stations]]
    for extra in (set(cases) | set(consult) | set(apps) | set(events)) - set(keys):
        keys.append(extra)
    names = {s.pk: s.name for s in Station.objects.filter(pk__in=[k for k in keys if k])}
    s, e = p.start.isoformat(), p.end.isoformat()
    rows = []
    for key in keys:
        st = [("station", key if key else "center")]
        c = cases.get(key, {})
        rows.append({
            "name": names.get(key, CENTER) if key else CENTER,
            "accepted": c.get("accepted", 0),
            "accepted_url": list_url("cases:case_list", [("accepted_from", s), ("accepted_to", e), *st]),
            "closed": c.get("closed", 0),
            "closed_url": list_url("cases:case_list", [("closed_from", s), ("closed_to", e), *st]),
            "open": c.get("open", 0),
            "open_url": list_url("cases:case_list", [("accepted_to", e), ("status", "awaiting"),
                                                     ("status", "assigned"), *st]),
            "applications": apps.get(key, 0),
            "applications_url": list_url("intake:application_list", [("received_from", s), ("received_to", e), *st]),
            "consultations": consult.get(key, 0),
            "consultations_url": list_url("intake:consultation_list", [("date_from", s), ("date_to", e), *st]),
            "events": events.get(key, 0),
            "events_url": list_url("publicity:event_list", [("date_from", s), ("date_to", e), *st]),
        })
    return rows


def dashboard_context(request) -> dict:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    station = _station_for(request)
    p = dashboard_period(year, today)
    values = ind.compute(p, station)
    last = ind.compute(p.last_year(), station)
    all_figures = figures(p, station, values, last)
    by_code = {f["code"]: f for f in all_figures}
    progress = target_progress(year, station, values, today)
    target_by_code = {r["code"]: r for r in progress}
    key = [{**by_code[c], "target": target_by_code.get(c)} for c in KEY_FIGURES]
    groups = [{"label": ind.BY_CODE[f"cases.accepted.group.{g}"][0], "value": values[f"cases.accepted.group.{g}"],
               "url": by_code[f"cases.accepted.group.{g}"]["url"]} for g in ind.GROUPS]
    channel_values = {"visit": values["consultations.visit"],
                      "phone": values["consultations.phone"] - values["consultations.hotline"],
                      "hotline": values["consultations.hotline"], "letter": values["consultations.letter"],
                      "online": values["consultations.online"], "event": values["consultations.event"]}
    channels = [{"label": CHANNEL.zh[c], "value": channel_values[c],
                 "url": list_url("intake:consultation_list", [("date_from", p.start.isoformat()),
                                                              ("date_to", p.end.isoformat()), ("channel", c),
                                                              *([("station", station.pk)] if station else [])])}
                for c in CHANNEL.codes]
    grades = [{"label": GRADE.zh[g], "value": values[f"quality.{g}"], "url": by_code[f"quality.{g}"]["url"]}
              for g in GRADE.codes]
    charts = {
        "monthly": monthly_cases(p, station),
        "groups": {"labels": [g["label"] for g in groups], "data": [g["value"] for g in groups],
                   "links": [g["url"] for g in groups]},
        "channels": {"labels": [c["label"] for c in channels], "data": [c["value"] for c in channels],
                     "links": [c["url"] for c in channels]},
        "grades": {"labels": [g["label"] for g in grades], "data": [g["value"] for g in grades],
                   "links": [g["url"] for g in grades]},
        "funding": funding_use(p) if station is None else None,
    }
    from stations.models import Station

    return {
        "period": p, "year": year, "years": list(range(today.year, today.year - 4, -1)), "station": station,
        "stations": Station.objects.order_by("name") if request.user.is_center else [],
        "key": key, "figures": all_figures, "groups": groups, "channels": channels, "grades": grades,
        "charts": charts, "targets": progress,
        "comparison": station_comparison(p) if station is None and request.user.is_center else None,
    }


def target_table(year: int, today: date) -> list[dict]:
    """Every target of the year (county and stations) with completion and projection."""
    from stations.models import Station

    from .models import Target

    p = dashboard_period(year, today) if year <= today.year else Period(str(year), date(year, 1, 1),
                                                                         date(year, 1, 1), "year")
    station_ids = set(Target.objects.filter(year=year).values_list("station_id", flat=True).distinct())
    rows = []
    for sid in sorted(station_ids, key=lambda x: (x is not None, x or 0)):
        station = Station.objects.get(pk=sid) if sid else None
        values = ind.compute(p, station) if year <= today.year else {}
        for r in target_progress(year, station, values, today):
            r["station"] = station
            r["url"] = indicator_url(r["code"], p, station) if values else None
            rows.append(r)
    return rows
