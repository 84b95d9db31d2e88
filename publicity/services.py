"""Writes for publicity. Station staff record and edit their own station's events only."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.stored import site_language
from stations.services import station_check_open

from .models import Event, EventPhoto, MediaReport

EVENT_FIELDS = ("date", "title", "form", "place", "station", "materials", "onsite", "audience", "note")
EVENT_M2M = ("staff", "lawyers", "volunteers")
MEDIA_FIELDS = ("date", "outlet", "level", "title", "link", "event", "station")


def _require(by) -> None:
    if by is None:
        raise PermissionDenied
    require(by, "publicity_log")


def _check_station(by, station_id) -> None:
    """Station staff may only write records of their own station: another station's is a refusal (403)."""
    if not by.is_center and station_id != by.station_id:
        raise PermissionDenied(_("You can only record events of your own station."))


def _own_record(by, obj) -> None:
    if not by.is_center and obj.station_id != by.station_id:
        raise PermissionDenied


def _store_photos(event: Event, photos) -> None:
    for upload in photos or []:
        ext = upload.name.rsplit(".", 1)[-1].lower()
        photo = EventPhoto(event=event, caption=upload.name[:200])
        photo.file.save(f"{uuid.uuid4().hex}.{'jpg' if ext == 'jpeg' else ext}", upload, save=False)
        photo.save()


@transaction.atomic
def photo_remove(*, photo: EventPhoto, by) -> EventPhoto:
    """Hide a photo (uploaded by mistake, or showing someone who did not agree). The file is kept
    and the removal recorded with who and when; the event's history notes it."""
    _require(by)
    photo = EventPhoto.objects.select_for_update().select_related("event").get(pk=photo.pk)
    _own_record(by, photo.event)
    if photo.removed_at is not None:
        raise ValidationError(_("This photo was already removed."))
    photo.removed_at, photo.removed_by = timezone.now(), by
    photo.save(update_fields=["removed_at", "removed_by"])
    event = photo.event
    event._history_user = by
    with site_language():  # the history is read in the center's language, whoever clicked (core.stored)
        reason = _("Photo removed: %(name)s") % {"name": photo.caption or photo.file.name}
    event._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # the history keeps 100
    event.save()
    return photo


def _apply(event: Event, data: dict) -> None:
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])


@transaction.atomic
def event_create(*, data: dict, by, photos=None) -> Event:
    _require(by)
    event = Event(created_by=by)
    _apply(event, data)
    if not by.is_center and "station" not in data:
        event.station_id = by.station_id
    _check_station(by, event.station_id)
    station_check_open(station=event.station_id, day=event.date)
    event.full_clean()
    event._history_user = by
    event.save()
    for name in EVENT_M2M:
        if name in data:
            getattr(event, name).set(data[name])
    _store_photos(event, photos)
    return event


@transaction.atomic
def event_update(*, event: Event, data: dict, by, photos=None) -> Event:
    _require(by)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _own_record(by, event)
    _apply(event, data)
    _check_station(by, event.station_id)
    event.full_clean()
    event._history_user = by
    event.save()
    for name in EVENT_M2M:
        if name in data:
            getattr(event, name).set(data[name])
    _store_photos(event, photos)
    return event


def _check_media(report: MediaReport, by) -> None:
    _check_station(by, report.station_id)
    if report.event_id and report.event.station_id != report.station_id and not by.is_center:
        raise PermissionDenied(_("Choose an event of your own station."))


@transaction.atomic
def media_create(*, data: dict, by) -> MediaReport:
    _require(by)
    report = MediaReport()
    for name in MEDIA_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if not by.is_center and "station" not in data:
        report.station_id = by.station_id
    _check_media(report, by)
    station_check_open(station=report.station_id, day=report.date)
    report.full_clean()
    report._history_user = by
    report.save()
    return report


@transaction.atomic
def media_update(*, report: MediaReport, data: dict, by) -> MediaReport:
    _require(by)
    report = MediaReport.objects.select_for_update().get(pk=report.pk)
    _own_record(by, report)
    for name in MEDIA_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    _check_media(report, by)
    report.full_clean()
    report._history_user = by
    report.save()
    return report
