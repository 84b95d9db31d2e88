"""Indicators of publicity (STATISTICS.md), each defined once (core/indicators.py)."""

from __future__ import annotations

from django.db.models import Q

from core.choices import CITY_PLUS_LEVELS
from core.indicators import Family, Measure
from core.periods import Period

from .models import Event, MediaReport

EVENTS = Family("events", lambda p: Event.objects.all(), "station")
MEDIA = Family("media", lambda p: MediaReport.objects.all(), "station")


def _dated(p: Period) -> Q:
    return Q(date__gte=p.start, date__lte=p.end)


measures = [
    Measure("publicity.events", "宣传活动", "场次", EVENTS, _dated),
    Measure("publicity.materials", "发放宣传资料", "份", EVENTS, _dated, "materials"),
    Measure("publicity.onsite", "现场咨询", "人次", EVENTS, _dated, "onsite"),
    Measure("publicity.audience", "受众", "人次", EVENTS, _dated, "audience"),
    Measure("publicity.media_reports", "媒体报道", "篇", MEDIA, _dated),
    Measure("publicity.media_reports.city_plus", "市级以上媒体报道", "篇", MEDIA,
            lambda p: _dated(p) & Q(level__in=sorted(CITY_PLUS_LEVELS))),
]
