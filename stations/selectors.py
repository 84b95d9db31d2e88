"""Reads for the station network: who may see which station, volunteers and duty rosters,
and the figures of a station's year (each one SQL aggregate)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.access import station_scope

from .models import ContactPoint, DutyShift, Handler, Liaison, Station, Volunteer


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


def station_staff(station: Station):
    return station.users.filter(is_active=True).order_by("username")


def active_handlers() -> QuerySet[Handler]:
    return Handler.objects.filter(active=True).select_related("provider").order_by("name")


# --- Figures -------------------------------------------------------------------

def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _link(url_name: str, params: dict) -> str | None:
    """URL of another app's filtered list, or None while that list does not exist yet."""
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None
    from urllib.parse import urlencode

    return f"{base}?{urlencode(params)}"


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def station_year_figures(station: Station, year: int | None = None) -> list[dict]:
    """This year's consultations (人次), preliminary intake, publicity events and cases of a station,
    each a single aggregate query, each with a link to the matching filtered list."""
    year = year or timezone.localdate().year
    first, last = _year_bounds(year)
    figures = []
    from django.utils.translation import gettext as _

    consultation = _model("intake.Consultation")
    if consultation is not None:
        value = consultation.objects.filter(station=station, occurred_at__year=year).aggregate(
            n=Coalesce(Sum("person_count"), 0))["n"]
        figures.append({"code": "consultations", "label": _("Consultations (person-times)"), "value": value,
                        "url": _link("intake:consultation_list", {"station": station.pk, "date_from": first,
                                                                  "date_to": last})})
    application = _model("intake.Application")
    if application is not None:
        value = application.objects.filter(station=station, received_on__range=(first, last)).count()
        figures.append({"code": "applications", "label": _("Preliminary intake"), "value": value,
                        "url": _link("intake:application_list", {"station": station.pk, "received_from": first,
                                                                 "received_to": last})})
    event = _model("publicity.Event")
    if event is not None:
        value = event.objects.filter(station=station, date__range=(first, last)).count()
        figures.append({"code": "events", "label": _("Publicity events"), "value": value,
                        "url": _link("publicity:event_list", {"station": station.pk, "date_from": first,
                                                              "date_to": last})})
    case = _model("cases.Case")
    if case is not None:
        value = case.objects.filter(station=station, accepted_on__range=(first, last)).count()
        figures.append({"code": "cases", "label": _("Cases"), "value": value,
                        "url": _link("cases:case_list", {"station": station.pk, "accepted_from": first,
                                                         "accepted_to": last})})
    return figures


def network_summary(user, year: int | None = None) -> QuerySet[Station]:
    """Every visible active station with this year's four figures, in one query."""
    year = year or timezone.localdate().year
    first, last = _year_bounds(year)
    qs = stations_visible_to(user).filter(active=True)
    annotations = {}

    def sub(model, filters: dict, agg):
        inner = (model.objects.filter(station=OuterRef("pk"), **filters).order_by().values("station")
                 .annotate(v=agg).values("v")[:1])
        return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))

    consultation = _model("intake.Consultation")
    if consultation is not None:
        annotations["n_consultations"] = sub(consultation, {"occurred_at__year": year}, Sum("person_count"))
    application = _model("intake.Application")
    if application is not None:
        annotations["n_applications"] = sub(application, {"received_on__range": (first, last)}, Count("pk"))
    event = _model("publicity.Event")
    if event is not None:
        annotations["n_events"] = sub(event, {"date__range": (first, last)}, Count("pk"))
    case = _model("cases.Case")
    if case is not None:
        annotations["n_cases"] = sub(case, {"accepted_on__range": (first, last)}, Count("pk"))
    return qs.annotate(**annotations).order_by("name")


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
