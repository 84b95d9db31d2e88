"""Views of the station network. Thin: look up through a selector (another station → 404),
check the capability (→ 403), validate a form, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import get_visible, require
from core.paging import paginate
from core.params import query_date
from core.registry import provided
from core.xlsx import SafeWorkbook, chunked, workbook_response

from . import selectors, services
from .forms import CloseForm, ContactPointForm, DutyShiftForm, LiaisonForm, StationForm, VolunteerForm
from .models import ContactPoint, Liaison, Station
from .viewutils import form_errors_from


def _can_view(user) -> None:
    if not selectors.can_view_stations(user):
        raise PermissionDenied


@login_required
def lookup(request, kind):
    """Names for a list filter's type-ahead (core.forms_renderer.LookupOptions): the names the filter offered
    in its select before, to any signed-in user with a role (one without has no list to filter)."""
    if not (request.user.role_codes or request.user.is_superuser):
        raise PermissionDenied
    found = selectors.lookup(kind, request.GET.get("q", ""))
    if found is None:
        raise Http404
    return JsonResponse({"results": found})


def _form_page(request, *, form, title, breadcrumbs, cancel_url, submit=None, extra=None, multipart=False):
    context = {"form": form, "title": title, "breadcrumbs": breadcrumbs + [(title, None)],
               "cancel_url": cancel_url, "submit_label": submit or _("Save"), "multipart": multipart}
    context.update(extra or {})
    return render(request, "stations/form.html", context)


def _stations_crumb(user) -> list:
    if user.can("station_manage") and user.is_center:
        return [(_("Stations"), reverse("stations:station_list"))]
    return []


# --- Stations -----------------------------------------------------------------

@login_required
def station_list(request):
    require(request.user, "station_manage")
    stations = selectors.station_list(request.user)
    return render(request, "stations/station_list.html", {
        "stations": stations, "breadcrumbs": [(_("Stations"), None)],
    })


@login_required
def my_station(request):
    if request.user.is_center or not selectors.can_view_stations(request.user):
        raise PermissionDenied
    return redirect("stations:station_detail", pk=request.user.station_id)


@login_required
def station_detail(request, pk):
    _can_view(request.user)
    station = get_visible(selectors.stations_visible_to(request.user), pk=pk)
    return render(request, "stations/station_detail.html", {
        "station": station,
        "year": timezone.localdate().year,
        "figures": selectors.station_year_figures(request.user, station),
        "points": selectors.contact_points_of(station),
        "liaisons": selectors.liaisons_of(station),
        "staff": selectors.station_staff(station),
        "volunteer_count": station.volunteers.filter(active=True).count(),
        "can_manage": request.user.can("station_manage") and request.user.is_center,
        "breadcrumbs": _stations_crumb(request.user) + [(station.name, None)],
    })


@login_required
def station_create(request):
    require(request.user, "station_manage")
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Station %(name)s created.") % {"name": station.name})
            return redirect("stations:station_detail", pk=station.pk)
    return _form_page(request, form=form, title=_("New station"), breadcrumbs=_stations_crumb(request.user),
                      cancel_url=reverse("stations:station_list"))


def _managed_station(request, pk) -> Station:
    require(request.user, "station_manage")
    return get_visible(selectors.stations_visible_to(request.user), pk=pk)


@login_required
def station_edit(request, pk):
    station = _managed_station(request, pk)
    form = StationForm(request.POST or None, instance=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_update(station=station, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("stations:station_detail", pk=station.pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _form_page(request, form=form, title=_("Edit station"), cancel_url=detail,
                      breadcrumbs=_stations_crumb(request.user) + [(station.name, detail)])


def _close_page(request, *, obj, action, title, detail_url, crumbs):
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(closed_on=form.cleaned_data["closed_on"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("%(name)s deactivated.") % {"name": obj})
            return redirect(detail_url)
    return _form_page(request, form=form, title=title, breadcrumbs=crumbs, cancel_url=detail_url,
                      submit=_("Deactivate"), extra={"danger": True, "object": obj})


def _reopen_page(request, *, obj, action, title, detail_url, crumbs):
    errors = []
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(name)s reactivated.") % {"name": obj})
            return redirect(detail_url)
    return render(request, "stations/confirm.html", {
        "title": title, "object": obj, "errors": errors, "cancel_url": detail_url,
        "submit_label": _("Reactivate"), "breadcrumbs": crumbs + [(title, None)],
    })


@login_required
def station_deactivate(request, pk):
    station = _managed_station(request, pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _close_page(
        request, obj=station, title=_("Deactivate station"), detail_url=detail,
        crumbs=_stations_crumb(request.user) + [(station.name, detail)],
        action=lambda closed_on, reason: services.station_deactivate(station=station, closed_on=closed_on,
                                                                     reason=reason, by=request.user))


@login_required
def station_reactivate(request, pk):
    station = _managed_station(request, pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _reopen_page(request, obj=station, title=_("Reactivate station"), detail_url=detail,
                        crumbs=_stations_crumb(request.user) + [(station.name, detail)],
                        action=lambda: services.station_reactivate(station=station, by=request.user))


# --- Contact points -----------------------------------------------------------

def _point_crumbs(user, point: ContactPoint) -> list:
    return _stations_crumb(user) + [(point.station.name, reverse("stations:station_detail",
                                                                 args=[point.station_id]))]


def _visible_point(request, pk) -> ContactPoint:
    return get_visible(ContactPoint.objects.select_related("station", "legal_adviser")
                       .filter(station__in=selectors.stations_visible_to(request.user)), pk=pk)


@login_required
def contactpoint_detail(request, pk):
    _can_view(request.user)
    point = _visible_point(request, pk)
    return render(request, "stations/contactpoint_detail.html", {
        "point": point, "liaisons": point.liaisons.order_by("-active", "name"),
        "can_manage": request.user.can("station_manage") and request.user.is_center,
        "breadcrumbs": _point_crumbs(request.user, point) + [(point.name, None)],
    })


@login_required
def contactpoint_create(request, pk):
    station = _managed_station(request, pk)
    form = ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.contact_point_create(station=station, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Contact point %(name)s added.") % {"name": point.name})
            return redirect("stations:station_detail", pk=station.pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _form_page(request, form=form, title=_("New contact point"), cancel_url=detail,
                      breadcrumbs=_stations_crumb(request.user) + [(station.name, detail)])


def _managed_point(request, pk) -> ContactPoint:
    require(request.user, "station_manage")
    return _visible_point(request, pk)


@login_required
def contactpoint_edit(request, pk):
    point = _managed_point(request, pk)
    form = ContactPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_update(point=point, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("stations:contactpoint_detail", pk=point.pk)
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return _form_page(request, form=form, title=_("Edit contact point"), cancel_url=detail,
                      breadcrumbs=_point_crumbs(request.user, point) + [(point.name, detail)])


@login_required
def contactpoint_deactivate(request, pk):
    point = _managed_point(request, pk)
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return _close_page(
        request, obj=point, title=_("Deactivate contact point"), detail_url=detail,
        crumbs=_point_crumbs(request.user, point) + [(point.name, detail)],
        action=lambda closed_on, reason: services.contact_point_deactivate(point=point, closed_on=closed_on,
                                                                           reason=reason, by=request.user))


@login_required
def contactpoint_reactivate(request, pk):
    point = _managed_point(request, pk)
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return _reopen_page(request, obj=point, title=_("Reactivate contact point"), detail_url=detail,
                        crumbs=_point_crumbs(request.user, point) + [(point.name, detail)],
                        action=lambda: services.contact_point_reactivate(point=point, by=request.user))


# --- Liaisons -----------------------------------------------------------------

@login_required
def liaison_create(request, pk):
    station = _managed_station(request, pk)
    initial = {}
    if request.GET.get("point", "").isdigit():
        initial["contact_point"] = int(request.GET["point"])
    form = LiaisonForm(request.POST or None, station=station, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            liaison = services.liaison_create(station=station, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Liaison %(name)s added.") % {"name": liaison.name})
            return redirect("stations:station_detail", pk=station.pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _form_page(request, form=form, title=_("New liaison"), cancel_url=detail,
                      breadcrumbs=_stations_crumb(request.user) + [(station.name, detail)])


def _managed_liaison(request, pk) -> Liaison:
    require(request.user, "station_manage")
    return get_visible(Liaison.objects.select_related("contact_point", "contact_point__station")
                       .filter(contact_point__station__in=selectors.stations_visible_to(request.user)), pk=pk)


@login_required
def liaison_edit(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    form = LiaisonForm(request.POST or None, instance=liaison, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_update(liaison=liaison, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("stations:station_detail", pk=station.pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return _form_page(request, form=form, title=_("Edit liaison"), cancel_url=detail,
                      breadcrumbs=_stations_crumb(request.user) + [(station.name, detail)],
                      extra={"history_object": liaison})


@login_required
def liaison_deactivate(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    detail = reverse("stations:station_detail", args=[station.pk])
    return _close_page(
        request, obj=liaison, title=_("Deactivate liaison"), detail_url=detail,
        crumbs=_stations_crumb(request.user) + [(station.name, detail)],
        action=lambda closed_on, reason: services.liaison_deactivate(liaison=liaison, closed_on=closed_on,
                                                                     reason=reason, by=request.user))


@login_required
def liaison_reactivate(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    detail = reverse("stations:station_detail", args=[station.pk])
    return _reopen_page(request, obj=liaison, title=_("Reactivate liaison"), detail_url=detail,
                        crumbs=_stations_crumb(request.user) + [(station.name, detail)],
                        action=lambda: services.liaison_reactivate(liaison=liaison, by=request.user))


# --- Volunteers ---------------------------------------------------------------

def _volunteer_crumb() -> list:
    return [(_("Volunteers"), reverse("stations:volunteer_list"))]


@login_required
def volunteer_list(request):
    require(request.user, "volunteer_manage")
    qs = selectors.volunteers_visible_to(request.user).order_by("-active", "name")
    show = request.GET.get("show", "active")
    if show == "active":
        qs = qs.filter(active=True)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(organisation__icontains=q)
    page = paginate(request, qs)
    return render(request, "stations/volunteer_list.html", {
        "page_obj": page, "volunteers": page.object_list, "show": show, "q": q,
        "breadcrumbs": [(_("Volunteers"), None)],
    })


def _visible_volunteer(request, pk):
    require(request.user, "volunteer_manage")
    return get_visible(selectors.volunteers_visible_to(request.user), pk=pk)


@login_required
def volunteer_detail(request, pk):
    volunteer = _visible_volunteer(request, pk)
    events_visible_to = provided("events_visible_to")  # publicity's, offered from its home.py
    events = (events_visible_to(request.user).filter(volunteers=volunteer).select_related("station")
              .order_by("-date", "-pk")[:20] if events_visible_to else [])
    return render(request, "stations/volunteer_detail.html", {
        "volunteer": volunteer, "events": events,
        "breadcrumbs": _volunteer_crumb() + [(volunteer.name, None)],
    })


@login_required
def volunteer_create(request):
    require(request.user, "volunteer_manage")
    form = VolunteerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Volunteer %(name)s added.") % {"name": volunteer.name})
            return redirect("stations:volunteer_detail", pk=volunteer.pk)
    return _form_page(request, form=form, title=_("New volunteer"), breadcrumbs=_volunteer_crumb(),
                      cancel_url=reverse("stations:volunteer_list"))


@login_required
def volunteer_edit(request, pk):
    volunteer = _visible_volunteer(request, pk)
    form = VolunteerForm(request.POST or None, instance=volunteer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(volunteer=volunteer, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("stations:volunteer_detail", pk=volunteer.pk)
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return _form_page(request, form=form, title=_("Edit volunteer"), cancel_url=detail,
                      breadcrumbs=_volunteer_crumb() + [(volunteer.name, detail)])


@login_required
def volunteer_deactivate(request, pk):
    volunteer = _visible_volunteer(request, pk)
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return _close_page(
        request, obj=volunteer, title=_("Deactivate volunteer"), detail_url=detail,
        crumbs=_volunteer_crumb() + [(volunteer.name, detail)],
        action=lambda closed_on, reason: services.volunteer_deactivate(volunteer=volunteer, closed_on=closed_on,
                                                                       by=request.user))


@login_required
def volunteer_reactivate(request, pk):
    volunteer = _visible_volunteer(request, pk)
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return _reopen_page(request, obj=volunteer, title=_("Reactivate volunteer"), detail_url=detail,
                        crumbs=_volunteer_crumb() + [(volunteer.name, detail)],
                        action=lambda: services.volunteer_reactivate(volunteer=volunteer, by=request.user))


# --- Duty rosters -------------------------------------------------------------

DUTY_HEADER = ["日期", "地点类型", "地点", "值班律师", "工作站", "备注"]


def _duty_crumb() -> list:
    return [(_("Duty roster"), reverse("stations:duty_list"))]


def _duty_filtered(request):
    qs = selectors.duty_shifts_visible_to(request.user)
    date_from, date_to = query_date(request, "date_from"), query_date(request, "date_to")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if request.GET.get("place_kind"):
        qs = qs.filter(place_kind__in=request.GET.getlist("place_kind"))
    return qs, date_from, date_to


@login_required
def duty_list(request):
    require(request.user, "duty_roster_manage")
    try:
        day = query_date(request, "week") or timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    monday = selectors.week_start(day)
    qs, date_from, date_to = _duty_filtered(request)
    if request.GET.get("export") == "xlsx":
        kinds = dict(qs.model.PLACE_KINDS)
        rows = ((s.date, str(kinds.get(s.place_kind, s.place_kind)), s.place, s.handler.name,
                 s.station.name if s.station else "", s.note) for s in chunked(qs.order_by("date", "place")))
        book = SafeWorkbook()
        book.add_sheet("值班表", DUTY_HEADER, rows, widths={0: 12, 2: 24, 3: 12, 4: 24, 5: 30})
        return workbook_response(book, f"值班表-{timezone.localdate():%Y%m%d}.xlsx")
    listed = qs.order_by("-date", "place") if (date_from or date_to) else None
    page = paginate(request, listed) if listed is not None else None
    return render(request, "stations/duty_list.html", {
        "days": selectors.week_grid(request.user, monday),
        "monday": monday, "sunday": monday + dt.timedelta(days=6),
        "prev_week": monday - dt.timedelta(days=7), "next_week": monday + dt.timedelta(days=7),
        "this_week": selectors.week_start(timezone.localdate()),
        "today": timezone.localdate(), "page_obj": page,
        "date_from": date_from, "date_to": date_to,
        "breadcrumbs": [(_("Duty roster"), None)],
    })


def _visible_shift(request, pk):
    require(request.user, "duty_roster_manage")
    return get_visible(selectors.duty_shifts_visible_to(request.user), pk=pk)


@login_required
def duty_detail(request, pk):
    shift = _visible_shift(request, pk)
    return render(request, "stations/duty_detail.html", {
        "shift": shift, "breadcrumbs": _duty_crumb() + [(str(shift), None)],
    })


@login_required
def duty_create(request):
    require(request.user, "duty_roster_manage")
    initial = {}
    if query_date(request, "date"):
        initial["date"] = request.GET["date"]
    form = DutyShiftForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.duty_shift_create(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Duty shift saved."))
            return redirect(f"{reverse('stations:duty_list')}?week={shift.date:%Y-%m-%d}")
    return _form_page(request, form=form, title=_("New duty shift"), breadcrumbs=_duty_crumb(),
                      cancel_url=reverse("stations:duty_list"))


@login_required
def duty_edit(request, pk):
    shift = _visible_shift(request, pk)
    form = DutyShiftForm(request.POST or None, instance=shift, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.duty_shift_update(shift=shift, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Duty shift saved."))
            return redirect("stations:duty_detail", pk=shift.pk)
    detail = reverse("stations:duty_detail", args=[shift.pk])
    return _form_page(request, form=form, title=_("Edit duty shift"), cancel_url=detail,
                      breadcrumbs=_duty_crumb() + [(str(shift), detail)])


