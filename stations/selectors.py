"""Reads for the station network: who may see which station, volunteers and duty rosters,
and the figures of a station's year (each one SQL aggregate)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.access import station_scope

from .models import ContactPoint, DutyShift, Handler, Liaison, Provider, Station, Volunteer


def can_view_stations(user) -> bool:
    """Station pages: center staff who manage stations or read dashboards see every station;
    station staff (dashboard_view) see their own; nobody else."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.can("station_manage") or user.can("dashboard_view")


def stations_visible_to(user) -> QuerySet[Station]:
    qs = Station.objects.all()
    if not can_view_stations(user):
        return qs.none()
    if user.is_center:
        return qs
    return qs.filter(pk=user.station_id)


def station_list(user) -> QuerySet[Station]:
    active_points = ContactPoint.objects.filter(station=OuterRef("pk"), active=True).order_by()
    return stations_visible_to(user).annotate(
        point_count=Coalesce(Subquery(active_points.values("station").annotate(n=Count("pk")).values("n")[:1],
                                      output_field=IntegerField()), Value(0)),
        staff_count=Count("users", filter=Q(users__is_active=True), distinct=True),
    ).order_by("-active", "name")


def contact_points_of(station: Station) -> QuerySet[ContactPoint]:
    return (ContactPoint.objects.filter(station=station).select_related("legal_adviser")
            .prefetch_related("liaisons").order_by("-active", "name"))


def liaisons_of(station: Station) -> QuerySet[Liaison]:
    return (Liaison.objects.filter(contact_point__station=station).select_related("contact_point")
            .order_by("-active", "contact_point__name", "name"))


def station_open_on(station: Station | int | None, day: dt.date) -> bool:
    """Whether `station` (or its pk) was open on `day` (models.open_on: opened by then, not closed by then, not
    within a past closure): the one rule by which a new record of a day is refused at a station that was not
    open that day. No station (the center itself) is always open."""
    if station is None:
        return True
    pk = station if isinstance(station, int) else station.pk
    return Station.objects.active_at(day).filter(pk=pk).exists()


def station_staff(station: Station):
    return station.users.filter(is_active=True).order_by("username")


# --- Figures -------------------------------------------------------------------

def station_year_figures(user, station: Station) -> list[dict]:
    """This year's figures of a station, as the statistics define them (reports offers `station_figures`
    through the shell, core.registry), each with the link to its list; none when reports is not installed."""
    from core.registry import provided

    figures = provided("station_figures")
    return figures(user, station) if figures else []


def network_summary(user, year: int | None = None) -> list[Station]:
    """Every visible active station with this year's figures (as the statistics define them)."""
    from core.registry import provided

    figures = provided("network_figures")
    found = figures() if figures else {}
    stations = list(stations_visible_to(user).filter(active=True).order_by("name"))
    for s in stations:
        for key, value in found.get(s.pk, {}).items():
            setattr(s, f"n_{key}", value)
    return stations


def network_busiest(user, rows: int) -> tuple[list[Station], int]:
    """The `rows` busiest visible active stations of this year (by cases accepted, then consultations, then
    name) with their figures, and how many there are: a province's 2,000 stations are sorted by key and name
    alone, and only the rows shown are read whole."""
    from core.registry import provided

    figures = provided("network_figures")
    found = figures() if figures else {}
    keys = list(stations_visible_to(user).filter(active=True).values_list("pk", "name"))

    def busy(row):
        pk, name = row
        values = found.get(pk, {})
        return -(values.get("cases") or 0), -(values.get("consultations") or 0), name

    chosen = [pk for pk, _name in sorted(keys, key=busy)[:rows]]
    by_pk = Station.objects.in_bulk(chosen)
    shown = [by_pk[pk] for pk in chosen if pk in by_pk]
    links = provided("station_figure_urls")
    for s in shown:
        for key, value in found.get(s.pk, {}).items():
            setattr(s, f"n_{key}", value)
        s.figure_urls = links(user, s) if links else {}
    return shown, len(keys)


# --- Volunteers and duty rosters ----------------------------------------------

def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    return station_scope(Volunteer.objects.select_related("station"), user, capability="volunteer_manage")


def duty_shifts_visible_to(user) -> QuerySet[DutyShift]:
    return station_scope(DutyShift.objects.select_related("handler", "handler__provider", "station"), user,
                         capability="duty_roster_manage")


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_grid(user, monday: dt.date) -> list[dict]:
    """Seven days Mon–Sun, each with its shifts, from one query."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    shifts = duty_shifts_visible_to(user).filter(date__range=(days[0], days[-1])).order_by("date", "place_kind",
                                                                                              "place")
    by_day: dict[dt.date, list] = {d: [] for d in days}
    for shift in shifts:
        by_day[shift.date].append(shift)
    return [{"date": d, "shifts": by_day[d]} for d in days]


# --- Type-ahead for filter selects (core.forms_renderer.LookupOptions) ---------

LOOKUP_ROWS = 20


def lookup(kind: str, q: str, user=None) -> list[dict] | None:
    """Up to LOOKUP_ROWS handlers, stations, providers or open contact points whose name contains `q`, by
    name; a handler shows its provider too (a province has many 张伟), a contact point its station. None for a
    kind that does not exist."""
    q = q.strip()[:50]
    if kind == "handlers":
        rows = (Handler.objects.filter(name__icontains=q).order_by("name", "pk")
                .values_list("pk", "name", "provider__name")[:LOOKUP_ROWS]) if q else []
        return [{"id": pk, "text": f"{name}（{provider}）" if provider else name} for pk, name, provider in rows]
    if kind == "volunteers":  # a station's own and the center's pool for station staff (as their forms offer)
        mine = Q() if user is None or user.is_center else Q(station=user.station_id) | Q(station__isnull=True)
        rows = (Volunteer.objects.filter(mine, active=True, name__icontains=q).order_by("name", "pk")
                .values_list("pk", "name")[:LOOKUP_ROWS]) if q else []
        return [{"id": pk, "text": name} for pk, name in rows]
    if kind == "contact_points":  # station staff: their own station's (as their forms offer)
        mine = Q() if user is None or user.is_center else Q(station=user.station_id)
        rows = (ContactPoint.objects.filter(mine, active=True, name__icontains=q).order_by("name", "pk")
                .values_list("pk", "name", "station__name")[:LOOKUP_ROWS]) if q else []
        return [{"id": pk, "text": f"{name}（{station}）"} for pk, name, station in rows]
    model = {"stations": Station, "providers": Provider}.get(kind)
    if model is None:
        return None
    found = model.objects.filter(name__icontains=q)
    if kind == "stations" and user is not None and not user.is_center:
        found = found.filter(pk=user.station_id)  # station staff: their own station (they see no other)
    rows = found.order_by("name", "pk").values_list("pk", "name")[:LOOKUP_ROWS]
    return [{"id": pk, "text": name} for pk, name in rows] if q else []
