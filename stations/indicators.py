"""Indicators of the service network (STATISTICS.md), each defined once (core/indicators.py): what is
active at the end date (opened by it, not closed by it, not switched off without a closing date)."""

from __future__ import annotations

from django.db.models import Q

from core.indicators import Family, Measure
from core.periods import Period

from .models import ContactPoint, Liaison, Station, Volunteer


def _active(p: Period) -> Q:
    day = p.end
    return ((Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
            & ~Q(active=False, closed_on__isnull=True))


STATIONS = Family("stations", lambda p: Station.objects.all(), "pk")
POINTS = Family("contact_points", lambda p: ContactPoint.objects.all(), "station")
LIAISONS = Family("liaisons", lambda p: Liaison.objects.all(), "contact_point__station")
VOLUNTEERS = Family("volunteers", lambda p: Volunteer.objects.all(), "station")

measures = [
    Measure("network.stations", "法律援助工作站", "个", STATIONS, _active, stock=True),
    Measure("network.contact_points", "联系点", "个", POINTS, _active, stock=True),
    Measure("network.liaisons", "联络员", "人", LIAISONS, _active, stock=True),
    Measure("network.volunteers", "法律援助志愿者", "人", VOLUNTEERS, _active, stock=True),
]
