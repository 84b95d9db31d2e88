"""Reads for publicity: what a user may see (own station for station staff) and totals."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.access import station_scope

from .models import Event, EventPhoto, MediaReport


def events_visible_to(user) -> QuerySet[Event]:
    return station_scope(Event.objects.all(), user, capability="publicity_log")


def shown_photos() -> QuerySet[EventPhoto]:
    """Photos not removed (removed ones are kept, with who and when, but shown nowhere)."""
    return EventPhoto.objects.filter(removed_at__isnull=True)


def event_list(user) -> QuerySet[Event]:
    # A correlated count, not a join: a join grouped the list's page query by event over every event.
    photos = (EventPhoto.objects.filter(event=OuterRef("pk"), removed_at__isnull=True).order_by()
              .values("event").annotate(n=Count("pk")).values("n"))
    return (events_visible_to(user).select_related("station")
            .annotate(photo_count=Coalesce(Subquery(photos), 0)).order_by("-date", "-pk"))


def event_for_detail(user, pk: int) -> Event:
    from core.access import get_visible

    # the media reports of the event the user may open (a station's staff: not the center's reports of it)
    reports = Prefetch("media_reports", queryset=media_visible_to(user).order_by("date", "pk"))
    return get_visible(events_visible_to(user).select_related("station", "created_by")
                       .prefetch_related("staff", "lawyers", "volunteers", reports,
                                         Prefetch("photos", queryset=shown_photos())), pk=pk)


def event_totals(qs: QuerySet[Event]) -> dict:
    """Totals of a (filtered) set of events in one aggregate query (kept in the shared cache until an event
    changes, core.counts)."""
    from core.counts import cached_totals

    return cached_totals("events", qs, lambda: qs.order_by().aggregate(
        count=Count("pk"),
        materials=Coalesce(Sum("materials"), 0),
        onsite=Coalesce(Sum("onsite"), 0),
        audience=Coalesce(Sum("audience"), 0),
    ))


def photos_visible_to(user) -> QuerySet[EventPhoto]:
    return shown_photos().filter(event__in=events_visible_to(user)).select_related("event")


def media_visible_to(user) -> QuerySet[MediaReport]:
    return station_scope(MediaReport.objects.select_related("event", "station"), user,
                         capability="publicity_log")
