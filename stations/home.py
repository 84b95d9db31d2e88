"""Workbench panels: station staff see their station's year; the director sees the network."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Panel, provided

from . import selectors

NETWORK_ROWS = 20  # stations on the director's home: the busiest; the stations list has every one


def panels(request) -> list[Panel]:
    user = request.user
    year = timezone.localdate().year
    found = []
    if not user.is_center and selectors.can_view_stations(user) and user.station and user.station.active:
        events_visible_to = provided("events_visible_to")  # publicity's, offered from its home.py
        recent = list(events_visible_to(user).order_by("-date", "-pk")[:5]) if events_visible_to else []
        found.append(Panel(_("My station this year"), "stations/_panel_station.html", {
            "station": user.station, "year": year, "figures": selectors.station_year_figures(user, user.station),
            "recent": recent,
        }, order=20))
    elif user.is_center and user.can("station_manage") and user.can("dashboard_view"):
        # A province's thousands of stations (2,000 rows took 200 ms of every home page): the busiest by cases
        # accepted, then consultations; the stations list has every one.
        shown, total = selectors.network_busiest(user, NETWORK_ROWS)
        found.append(Panel(_("Station network this year"), "stations/_panel_network.html", {
            "year": year, "stations": shown, "total": total,
        }, order=60, width="col-12"))
    return found
