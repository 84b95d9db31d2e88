"""Workbench panel for center staff who log publicity: this year's totals and the latest events.
(Station staff see their station's events in the stations panel.)"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Panel

from . import selectors
from .selectors import events_visible_to  # noqa: F401 - offered to stations (core.registry.provided)


def panels(request) -> list[Panel]:
    user = request.user
    if not user.is_center or not user.can("publicity_log"):
        return []
    year = timezone.localdate().year
    events = selectors.events_visible_to(user).filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    totals = selectors.event_totals(events)
    media = selectors.media_visible_to(user).filter(date__year=year).aggregate(
        total=Count("pk"), city_plus=Count("pk", filter=Q(level__in=["city", "province", "national"])))
    recent = list(selectors.events_visible_to(user).select_related("station").order_by("-date", "-pk")[:5])
    return [Panel(_("Publicity this year"), "publicity/_panel.html", {
        "year": year, "totals": totals, "media": media, "recent": recent,
        "date_from": dt.date(year, 1, 1), "date_to": dt.date(year, 12, 31),
    }, order=70)]
