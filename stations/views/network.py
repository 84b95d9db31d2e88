"""Stations, their contact points and liaisons, and the type-ahead of list filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import capability_required, get_visible, require
from core.flow import submit

from .. import selectors, services
from ..forms import ContactPointForm, LiaisonForm, StationForm
from ..models import ContactPoint, Liaison, Station
from .pages import can_view, close_page, form_page, reopen_page, stations_crumb


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


# --- Stations -----------------------------------------------------------------

@capability_required("station_manage")
def station_list(request):
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
    can_view(request.user)
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
        "breadcrumbs": stations_crumb(request.user) + [(station.name, None)],
    })


@capability_required("station_manage")
def station_create(request):
    form = StationForm(request.POST or None)
    created = submit(request, form, lambda data: services.station_create(data=data, by=request.user),
                     done=lambda station: _("Station %(name)s created.") % {"name": station.name},
                     to=lambda station: reverse("stations:station_detail", args=[station.pk]))
    if created:
        return created
    return form_page(request, form=form, title=_("New station"), breadcrumbs=stations_crumb(request.user),
                     cancel_url=reverse("stations:station_list"))


def _managed_station(request, pk) -> Station:
    require(request.user, "station_manage")
    return get_visible(selectors.stations_visible_to(request.user), pk=pk)


@login_required
def station_edit(request, pk):
    station = _managed_station(request, pk)
    form = StationForm(request.POST or None, instance=station)
    saved = submit(request, form, lambda data: services.station_update(station=station, data=data, by=request.user),
                   done=_("Changes saved."), to="stations:station_detail", args=(station.pk,))
    if saved:
        return saved
    detail = reverse("stations:station_detail", args=[station.pk])
    return form_page(request, form=form, title=_("Edit station"), cancel_url=detail,
                     breadcrumbs=stations_crumb(request.user) + [(station.name, detail)])


@login_required
def station_deactivate(request, pk):
    station = _managed_station(request, pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return close_page(
        request, obj=station, title=_("Deactivate station"), detail_url=detail,
        crumbs=stations_crumb(request.user) + [(station.name, detail)],
        action=lambda closed_on, reason: services.station_deactivate(station=station, closed_on=closed_on,
                                                                     reason=reason, by=request.user))


@login_required
def station_reactivate(request, pk):
    station = _managed_station(request, pk)
    detail = reverse("stations:station_detail", args=[station.pk])
    return reopen_page(request, obj=station, title=_("Reactivate station"), detail_url=detail,
                       crumbs=stations_crumb(request.user) + [(station.name, detail)],
                       action=lambda: services.station_reactivate(station=station, by=request.user))


# --- Contact points -----------------------------------------------------------

def _point_crumbs(user, point: ContactPoint) -> list:
    return stations_crumb(user) + [(point.station.name, reverse("stations:station_detail",
                                                                args=[point.station_id]))]


def _visible_point(request, pk) -> ContactPoint:
    return get_visible(ContactPoint.objects.select_related("station", "legal_adviser")
                       .filter(station__in=selectors.stations_visible_to(request.user)), pk=pk)


@login_required
def contactpoint_detail(request, pk):
    can_view(request.user)
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
    created = submit(request, form,
                     lambda data: services.contact_point_create(station=station, data=data, by=request.user),
                     done=lambda point: _("Contact point %(name)s added.") % {"name": point.name},
                     to="stations:station_detail", args=(station.pk,))
    if created:
        return created
    detail = reverse("stations:station_detail", args=[station.pk])
    return form_page(request, form=form, title=_("New contact point"), cancel_url=detail,
                     breadcrumbs=stations_crumb(request.user) + [(station.name, detail)])


def _managed_point(request, pk) -> ContactPoint:
    require(request.user, "station_manage")
    return _visible_point(request, pk)


@login_required
def contactpoint_edit(request, pk):
    point = _managed_point(request, pk)
    form = ContactPointForm(request.POST or None, instance=point)
    saved = submit(request, form, lambda data: services.contact_point_update(point=point, data=data, by=request.user),
                   done=_("Changes saved."), to="stations:contactpoint_detail", args=(point.pk,))
    if saved:
        return saved
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return form_page(request, form=form, title=_("Edit contact point"), cancel_url=detail,
                     breadcrumbs=_point_crumbs(request.user, point) + [(point.name, detail)])


@login_required
def contactpoint_deactivate(request, pk):
    point = _managed_point(request, pk)
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return close_page(
        request, obj=point, title=_("Deactivate contact point"), detail_url=detail,
        crumbs=_point_crumbs(request.user, point) + [(point.name, detail)],
        action=lambda closed_on, reason: services.contact_point_deactivate(point=point, closed_on=closed_on,
                                                                           reason=reason, by=request.user))


@login_required
def contactpoint_reactivate(request, pk):
    point = _managed_point(request, pk)
    detail = reverse("stations:contactpoint_detail", args=[point.pk])
    return reopen_page(request, obj=point, title=_("Reactivate contact point"), detail_url=detail,
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
    created = submit(request, form, lambda data: services.liaison_create(station=station, data=data, by=request.user),
                     done=lambda liaison: _("Liaison %(name)s added.") % {"name": liaison.name},
                     to="stations:station_detail", args=(station.pk,))
    if created:
        return created
    detail = reverse("stations:station_detail", args=[station.pk])
    return form_page(request, form=form, title=_("New liaison"), cancel_url=detail,
                     breadcrumbs=stations_crumb(request.user) + [(station.name, detail)])


def _managed_liaison(request, pk) -> Liaison:
    require(request.user, "station_manage")
    return get_visible(Liaison.objects.select_related("contact_point", "contact_point__station")
                       .filter(contact_point__station__in=selectors.stations_visible_to(request.user)), pk=pk)


@login_required
def liaison_edit(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    form = LiaisonForm(request.POST or None, instance=liaison, station=station)
    saved = submit(request, form, lambda data: services.liaison_update(liaison=liaison, data=data, by=request.user),
                   done=_("Changes saved."), to="stations:station_detail", args=(station.pk,))
    if saved:
        return saved
    detail = reverse("stations:station_detail", args=[station.pk])
    return form_page(request, form=form, title=_("Edit liaison"), cancel_url=detail,
                     breadcrumbs=stations_crumb(request.user) + [(station.name, detail)],
                     extra={"history_object": liaison})


@login_required
def liaison_deactivate(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    detail = reverse("stations:station_detail", args=[station.pk])
    return close_page(
        request, obj=liaison, title=_("Deactivate liaison"), detail_url=detail,
        crumbs=stations_crumb(request.user) + [(station.name, detail)],
        action=lambda closed_on, reason: services.liaison_deactivate(liaison=liaison, closed_on=closed_on,
                                                                     reason=reason, by=request.user))


@login_required
def liaison_reactivate(request, pk):
    liaison = _managed_liaison(request, pk)
    station = liaison.contact_point.station
    detail = reverse("stations:station_detail", args=[station.pk])
    return reopen_page(request, obj=liaison, title=_("Reactivate liaison"), detail_url=detail,
                       crumbs=stations_crumb(request.user) + [(station.name, detail)],
                       action=lambda: services.liaison_reactivate(liaison=liaison, by=request.user))
