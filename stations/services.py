"""Writes for the station network. Stations, contact points, liaisons and volunteers are
never deleted: they are deactivated with a date (and may be reactivated)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.registry import provided
from core.stored import site_language

from .models import Closure, ContactPoint, DutyShift, Handler, Liaison, Station, Volunteer
from .selectors import station_open_on

STATION_FIELDS = ("name", "code", "kind", "host_partner", "township", "address", "phone", "opened_on")
POINT_FIELDS = ("name", "village", "address", "phone", "legal_adviser", "adviser_from", "adviser_until",
                "opened_on")
LIAISON_FIELDS = ("contact_point", "name", "phone", "opened_on")
VOLUNTEER_FIELDS = ("name", "organisation", "skills", "phone", "station", "opened_on")
SHIFT_FIELDS = ("date", "place_kind", "place", "handler", "station", "note")


def _require(by, capability: str) -> None:
    if by is None:
        raise PermissionDenied
    require(by, capability)


def _save(obj, by, reason: str = "") -> None:
    """Save with its history row. A `reason` the service words itself is built under `site_language()`
    (core.stored): the history and the closures are read by colleagues in the center's language, whoever
    clicked."""
    obj.full_clean()
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


def _assign(obj, data: dict, allowed: tuple[str, ...]) -> None:
    for name in allowed:
        if name in data:
            setattr(obj, name, data[name])


def _opened_today_unless_said(obj) -> None:
    """A record entered without its opening date opens today: left empty it would count as open on every past
    end date (models.open_on) and raise the figures of periods already reported (network.*)."""
    if obj.opened_on is None:
        obj.opened_on = timezone.localdate()


def station_check_open(*, station, day: dt.date | None, field: str = "station") -> None:
    """Refuse a new record of `day` at `station` (a Station, its pk, or None for the center) when the station
    was not open that day (selectors.station_open_on): a closed station keeps its past and gets no new
    records. The one rule of every app's new records (consultations, applications, events, volunteers…)."""
    if day is not None and not station_open_on(station, day):
        raise ValidationError({field: _("This station was not open on that date: no new record can be made "
                                        "at it.")})


def _check_closing(obj, closed_on: dt.date) -> None:
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The deactivation date cannot be in the future.")})
    if obj.opened_on and closed_on < obj.opened_on:
        raise ValidationError({"closed_on": _("The deactivation date cannot be before the opening date.")})


def _deactivated(reason: str) -> str:
    """The user's own reason for a deactivation, or the service's word for it in the site's language."""
    if reason:
        return reason
    with site_language():
        return _("deactivated")


def _close(obj, *, closed_on: dt.date, by, reason: str) -> None:
    if not obj.active:
        raise ValidationError(_("This record is already inactive."))
    _check_closing(obj, closed_on)
    obj.active = False
    obj.closed_on = closed_on
    _save(obj, by, reason)
    Closure.objects.create(**{obj.CLOSURE_FIELD: obj}, closed_on=closed_on, reason=str(reason)[:200], closed_by=by)


def _open_closure(obj) -> Closure | None:
    """The closure a reactivation ends: the one written when `obj` was closed, or, for a record closed before
    closures were kept, one made from its closing date and the history row that closed it."""
    field = obj.CLOSURE_FIELD
    found = Closure.objects.filter(**{field: obj}, reopened_on__isnull=True).order_by("-closed_on", "-pk").first()
    if found is not None or obj.closed_on is None:
        return found  # switched off without a date: no span to keep
    closing = obj.history.filter(active=False).order_by("-history_id").first()
    return Closure(**{field: obj}, closed_on=obj.closed_on,
                   reason=((closing.history_change_reason or "") if closing else "")[:200],
                   closed_by_id=closing.history_user_id if closing else None)


def _reopen(obj, *, by) -> None:
    if obj.active:
        raise ValidationError(_("This record is already active."))
    closure = _open_closure(obj)
    obj.active = True
    obj.closed_on = None
    with site_language():
        reason = _("reactivated")
    _save(obj, by, reason)
    if closure is not None:  # the span it was closed stays closed for the periods it covers (models.open_on)
        closure.reopened_on = max(timezone.localdate(), closure.closed_on)
        closure.reopened_by = by
        closure.save()


# --- Stations -----------------------------------------------------------------

@transaction.atomic
def station_create(*, data: dict, by) -> Station:
    _require(by, "station_manage")
    station = Station()
    _assign(station, data, STATION_FIELDS)
    _opened_today_unless_said(station)
    _save(station, by)
    return station


@transaction.atomic
def station_update(*, station: Station, data: dict, by) -> Station:
    _require(by, "station_manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    _assign(station, data, STATION_FIELDS)
    _save(station, by)
    return station


def _close_under(records, *, closed_on: dt.date, by, reason: str) -> None:
    """Close, with their parent, the records still active under it: a contact point of a closed station and
    a liaison of a closed point are no longer the network's (network.contact_points, network.liaisons)."""
    for record in records.select_for_update():
        try:
            _close(record, closed_on=closed_on, by=by, reason=reason)
        except ValidationError as exc:
            raise ValidationError({"closed_on": [f"{record}：{m}" for m in exc.messages]}) from exc


def closing_with(record) -> dict[str, int]:
    """What deactivating a station or a contact point deactivates with it, to say so before it is done."""
    if isinstance(record, Station):
        return {"points": record.contact_points.filter(active=True).count(),
                "liaisons": Liaison.objects.filter(contact_point__station=record, active=True).count()}
    if isinstance(record, ContactPoint):
        return {"points": 0, "liaisons": record.liaisons.filter(active=True).count()}
    return {"points": 0, "liaisons": 0}


@transaction.atomic
def station_deactivate(*, station: Station, closed_on: dt.date, by, reason: str = "") -> Station:
    """Deactivate a station with its active contact points and their liaisons, on the same date."""
    _require(by, "station_manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    _close(station, closed_on=closed_on, by=by, reason=_deactivated(reason))
    with site_language():
        why = _("The station %(name)s was deactivated") % {"name": station.name}
    _close_under(Liaison.objects.filter(contact_point__station=station, active=True),
                 closed_on=closed_on, by=by, reason=why)
    _close_under(station.contact_points.filter(active=True), closed_on=closed_on, by=by, reason=why)
    return station


@transaction.atomic
def station_reactivate(*, station: Station, by) -> Station:
    _require(by, "station_manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    _reopen(station, by=by)
    return station


# --- Contact points and liaisons ----------------------------------------------

def _check_adviser(point: ContactPoint) -> None:
    """The adviser's contract period (ContactPoint.clean, which the admin runs too)."""
    point.clean()


@transaction.atomic
def contact_point_create(*, station: Station, data: dict, by) -> ContactPoint:
    _require(by, "station_manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    if not station.active:
        raise ValidationError(_("An inactive station cannot get new contact points."))
    point = ContactPoint(station=station)
    _assign(point, data, POINT_FIELDS)
    _opened_today_unless_said(point)
    station_check_open(station=station, day=point.opened_on, field="opened_on")
    _check_adviser(point)
    _save(point, by)
    return point


@transaction.atomic
def contact_point_update(*, point: ContactPoint, data: dict, by) -> ContactPoint:
    _require(by, "station_manage")
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    _assign(point, data, POINT_FIELDS)
    _check_adviser(point)
    _save(point, by)
    return point


@transaction.atomic
def contact_point_deactivate(*, point: ContactPoint, closed_on: dt.date, by, reason: str = "") -> ContactPoint:
    _require(by, "station_manage")
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    _close(point, closed_on=closed_on, by=by, reason=_deactivated(reason))
    with site_language():
        why = _("The contact point %(name)s was deactivated") % {"name": point.name}
    _close_under(point.liaisons.filter(active=True), closed_on=closed_on, by=by, reason=why)
    return point


@transaction.atomic
def contact_point_reactivate(*, point: ContactPoint, by) -> ContactPoint:
    _require(by, "station_manage")
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    if not point.station.active:
        raise ValidationError(_("Reactivate the station first."))
    _reopen(point, by=by)
    return point


@transaction.atomic
def liaison_create(*, station: Station, data: dict, by) -> Liaison:
    _require(by, "station_manage")
    point = data.get("contact_point")
    if point is None or point.station_id != station.pk:
        raise ValidationError({"contact_point": _("Choose a contact point of this station.")})
    if not point.active:
        raise ValidationError({"contact_point": _("This contact point is inactive.")})
    liaison = Liaison()
    _assign(liaison, data, LIAISON_FIELDS)
    _opened_today_unless_said(liaison)
    _save(liaison, by)
    return liaison


@transaction.atomic
def liaison_update(*, liaison: Liaison, data: dict, by) -> Liaison:
    _require(by, "station_manage")
    liaison = Liaison.objects.select_for_update().select_related("contact_point").get(pk=liaison.pk)
    point = data.get("contact_point", liaison.contact_point)
    if point.station_id != liaison.contact_point.station_id:
        raise ValidationError({"contact_point": _("Choose a contact point of this station.")})
    if point.pk != liaison.contact_point_id and not ContactPoint.objects.filter(pk=point.pk, active=True).exists():
        raise ValidationError({"contact_point": _("This contact point is inactive.")})
    _assign(liaison, data, LIAISON_FIELDS)
    _save(liaison, by)
    return liaison


@transaction.atomic
def liaison_deactivate(*, liaison: Liaison, closed_on: dt.date, by, reason: str = "") -> Liaison:
    _require(by, "station_manage")
    liaison = Liaison.objects.select_for_update().get(pk=liaison.pk)
    _close(liaison, closed_on=closed_on, by=by, reason=_deactivated(reason))
    return liaison


@transaction.atomic
def liaison_reactivate(*, liaison: Liaison, by) -> Liaison:
    _require(by, "station_manage")
    liaison = Liaison.objects.select_for_update().select_related("contact_point").get(pk=liaison.pk)
    if not liaison.contact_point.active:  # a liaison of a closed point is no longer the network's (_close_under)
        raise ValidationError(_("Reactivate the contact point first."))
    _reopen(liaison, by=by)
    return liaison


# --- Volunteers ---------------------------------------------------------------

def _check_volunteer_station(volunteer: Volunteer, by) -> None:
    """Station staff manage their own station's volunteers: another station's is a refusal (403)."""
    if not by.is_center and volunteer.station_id != by.station_id:
        raise PermissionDenied(_("You can only manage volunteers of your own station."))


@transaction.atomic
def volunteer_create(*, data: dict, by) -> Volunteer:
    _require(by, "volunteer_manage")
    volunteer = Volunteer()
    _assign(volunteer, data, VOLUNTEER_FIELDS)
    if not by.is_center and volunteer.station_id is None:
        volunteer.station_id = by.station_id
    _check_volunteer_station(volunteer, by)
    _opened_today_unless_said(volunteer)
    station_check_open(station=volunteer.station_id, day=volunteer.opened_on)
    _save(volunteer, by)
    return volunteer


def _station_name(station_id: int | None) -> str:
    return Station.objects.get(pk=station_id).name if station_id else _("the center")


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, data: dict, by) -> Volunteer:
    """Save the edited volunteer and return the record saved. A station's figures count its volunteers by
    their station (network.volunteers, as it was when the record was made), so a volunteer who has served
    where he is recorded (joined before today) is not moved to another station: his record there is
    deactivated today and he is recorded anew at the new station from today (the record returned), and each
    station's past periods keep counting him where he was."""
    _require(by, "volunteer_manage")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    _check_volunteer_station(volunteer, by)
    was = Volunteer.objects.get(pk=volunteer.pk)
    _assign(volunteer, data, VOLUNTEER_FIELDS)
    _check_volunteer_station(volunteer, by)
    today = timezone.localdate()
    if volunteer.station_id == was.station_id or (was.opened_on is not None and was.opened_on >= today):
        _save(volunteer, by)
        return volunteer
    if not was.active:
        raise ValidationError({"station": _(
            "An inactive volunteer keeps his station: record him anew at the new station.")})
    station_check_open(station=volunteer.station_id, day=today)
    moved = Volunteer(**{name: getattr(volunteer, name) for name in VOLUNTEER_FIELDS})
    moved.opened_on = today
    with site_language():
        moved_from = _("Moved from %(station)s") % {"station": _station_name(was.station_id)}
        moved_to = _("Moved to %(station)s") % {"station": _station_name(moved.station_id)}
    _save(moved, by, moved_from)
    _close(was, closed_on=today, by=by, reason=moved_to)
    return moved


@transaction.atomic
def volunteer_deactivate(*, volunteer: Volunteer, closed_on: dt.date, by, reason: str = "") -> Volunteer:
    _require(by, "volunteer_manage")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    _check_volunteer_station(volunteer, by)
    _close(volunteer, closed_on=closed_on, by=by, reason=_deactivated(reason))
    return volunteer


@transaction.atomic
def volunteer_reactivate(*, volunteer: Volunteer, by) -> Volunteer:
    _require(by, "volunteer_manage")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    _check_volunteer_station(volunteer, by)
    _reopen(volunteer, by=by)
    return volunteer


# --- Duty rosters -------------------------------------------------------------

PAID = ("date", "handler_id", "place_kind")  # what a posted month's duty subsidies were computed from
LAWYERS_ONLY = {"court", "procuratorate", "detention"}  # 派驻值班律师 (法律援助法 Art. 14)


def _posted(day: dt.date) -> bool:
    """Whether the duty subsidies of `day`'s month are posted (funding's, offered from its home.py)."""
    posted = provided("duty_month_posted")
    return bool(posted and posted(day.year, day.month))


def _check_shift(shift: DutyShift, was: DutyShift | None = None) -> None:
    """A new shift, or an edit of `was`: the lawyer is on the roster (an existing shift may keep a lawyer who
    has left it since), on duty once a day, and a month whose duty subsidies are posted keeps its days (paid
    once, DECISIONS.md): no day added to it, moved into or out of it, or given to another lawyer or place type."""
    # One lawyer's roster is written one save at a time (two clerks at once, a double click): the checks then
    # see the other's shift, and the lawyer as he is now.
    on_roster = list(Handler.objects.select_for_update().filter(pk=shift.handler_id).values_list("active", flat=True))
    if not any(on_roster) and (was is None or was.handler_id != shift.handler_id):
        raise ValidationError({"handler": _("This lawyer is no longer on the roster.")})
    changed = was is None or was.handler_id != shift.handler_id or was.place_kind != shift.place_kind
    if changed and shift.place_kind in LAWYERS_ONLY and not shift.handler.is_lawyer:
        # 值班律师 (Art. 14): a duty lawyer at a court, procuratorate or detention center is a lawyer.
        raise ValidationError({"handler": _(
            "Only a lawyer can be on duty at a court, procuratorate or detention center.")})
    if was is None or any(getattr(was, f) != getattr(shift, f) for f in PAID):
        for day in dict.fromkeys(d for d in (getattr(was, "date", None), shift.date) if d):
            if _posted(day):
                raise ValidationError({"date": _(
                    "The duty subsidies of %(year)s-%(month)02d are already posted: a day of that month can no "
                    "longer be added, moved, or given to another lawyer or place type.")
                    % {"year": day.year, "month": day.month}})
    clash = DutyShift.objects.filter(date=shift.date, handler=shift.handler).exclude(pk=shift.pk)
    if clash.exists():
        raise ValidationError({"handler": _("This lawyer is already on duty on that day.")})


@transaction.atomic
def duty_shift_create(*, data: dict, by) -> DutyShift:
    _require(by, "duty_roster_manage")
    shift = DutyShift()
    _assign(shift, data, SHIFT_FIELDS)
    station_check_open(station=shift.station_id, day=shift.date)
    _check_shift(shift)
    _save(shift, by)
    return shift


@transaction.atomic
def duty_shift_update(*, shift: DutyShift, data: dict, by) -> DutyShift:
    _require(by, "duty_roster_manage")
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    was = DutyShift(pk=shift.pk, **{f: getattr(shift, f) for f in PAID})
    _assign(shift, data, SHIFT_FIELDS)
    _check_shift(shift, was)
    _save(shift, by)
    return shift
