"""Indicators of the service network (STATISTICS.md), each defined once (core/indicators.py): what is
active at the end date (opened by it, not closed by it, not switched off without a closing date)."""

from __future__ import annotations

from django.db.models import Q

from core.indicators import Family, Measure
from core.periods import Period

from .models import ContactPoint, Liaison, Station, Volunteer, open_on


def _active(model):
    """The records of `model` active at the end date: open on it (models.open_on, which keeps the past closures
    of a record reactivated since), and not switched off without a closing date."""
    def where(p: Period) -> Q:
        return open_on(model, p.end) & ~Q(active=False, closed_on__isnull=True)
    return where


STATIONS = Family("stations", lambda p: Station.objects.all(), "pk")
POINTS = Family("contact_points", lambda p: ContactPoint.objects.all(), "station")
LIAISONS = Family("liaisons", lambda p: Liaison.objects.all(), "contact_point__station")
VOLUNTEERS = Family("volunteers", lambda p: Volunteer.objects.all(), "station")

measures = [
    Measure("network.stations", "法律援助工作站", "个", STATIONS, _active(Station), stock=True),
    Measure("network.contact_points", "联系点", "个", POINTS, _active(ContactPoint), stock=True),
    Measure("network.liaisons", "联络员", "人", LIAISONS, _active(Liaison), stock=True),
    Measure("network.volunteers", "法律援助志愿者", "人", VOLUNTEERS, _active(Volunteer), stock=True),
]
