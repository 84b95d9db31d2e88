"""Stations, their contact points and liaisons, and the type-ahead of list filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import capability_required, get_visible, require
from core.flow import submit
from core.paging import paginate

from .. import selectors, services
from ..forms import ContactPointForm, LiaisonForm, StationForm
from ..models import ContactPoint, Liaison
from .pages import Managed, can_view, finder, form_page, stations_crumb

# Who may look names up: handlers, firms and stations are the county's roster and network, named on every list
# filter a role has; volunteers and contact points only to those whose forms offer them.
LOOKUP_NEEDS = {"volunteers": ("volunteer_manage", "publicity_log", "consultation_log"),
                "contact_points": ("consultation_log", "station_manage")}


@login_required
def lookup(request, kind):
    """Names for a list filter's or a form's type-ahead (core.forms_renderer.LookupOptions): the names the
    select offered before, scoped as it was (station staff: their own station's)."""
    user = request.user
    if not (user.role_codes or user.is_superuser):
        raise PermissionDenied
    if kind in LOOKUP_NEEDS and not any(user.can(c) for c in LOOKUP_NEEDS[kind]):
        raise PermissionDenied
    found = selectors.lookup(kind, request.GET.get("q", ""), user)
    if found is None:
        raise Http404
    return JsonResponse({"results": found})


# --- Stations -----------------------------------------------------------------

@capability_required("station_manage")
def station_list(request):
    """The stations a page at a time (a province has thousands), searchable by name or township."""
    q = (request.GET.get("q") or "").strip()[:100]
    stations = selectors.station_list(request.user)
    if q:
        stations = stations.filter(Q(name__icontains=q) | Q(township__icontains=q))
    page_obj = paginate(request, stations)
    return render(request, "stations/station_list.html", {
        "page_obj": page_obj, "stations": page_obj.object_list, "q": q, "breadcrumbs": [(_("Stations"), None)],
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
        # as network.volunteers counts them today (joined by today, not left, not inside a past closure)
        "volunteer_count": station.volunteers.active_at(timezone.localdate()).count(),
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


_managed_station = finder("station_manage", selectors.stations_visible_to)


STATION = Managed(_managed_station, "stations:station_detail", "station", StationForm,
                  crumbs=lambda user, _station: stations_crumb(user),
                  titles=(gettext_lazy("Edit station"), gettext_lazy("Deactivate station"),
                          gettext_lazy("Reactivate station")))
station_edit, station_deactivate, station_reactivate = STATION.views(
    services.station_update, services.station_deactivate, services.station_reactivate)


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


def _new_at_station(request, station, form, create, *, done, title):
    """A new record of a station (a contact point, a liaison): `create(station=, data=, by=)` is the service;
    saved → back to the station's page."""
    detail = reverse("stations:station_detail", args=[station.pk])
    created = submit(request, form, lambda data: create(station=station, data=data, by=request.user),
                     done=done, to=detail)
    return created or form_page(request, form=form, title=title, cancel_url=detail,
                                breadcrumbs=stations_crumb(request.user) + [(station.name, detail)])


@login_required
def contactpoint_create(request, pk):
    station = _managed_station(request, pk)
    form = ContactPointForm(request.POST or None)
    return _new_at_station(request, station, form, services.contact_point_create,
                           done=lambda point: _("Contact point %(name)s added.") % {"name": point.name},
                           title=_("New contact point"))


def _managed_point(request, pk) -> ContactPoint:
    require(request.user, "station_manage")
    return _visible_point(request, pk)


POINT = Managed(_managed_point, "stations:contactpoint_detail", "point", ContactPointForm,
                crumbs=_point_crumbs,
                titles=(gettext_lazy("Edit contact point"), gettext_lazy("Deactivate contact point"),
                        gettext_lazy("Reactivate contact point")))
contactpoint_edit, contactpoint_deactivate, contactpoint_reactivate = POINT.views(
    services.contact_point_update, services.contact_point_deactivate, services.contact_point_reactivate)


# --- Liaisons -----------------------------------------------------------------

@login_required
def liaison_create(request, pk):
    station = _managed_station(request, pk)
    initial = {}
    if request.GET.get("point", "").isascii() and request.GET.get("point", "").isdigit():
        initial["contact_point"] = int(request.GET["point"])
    form = LiaisonForm(request.POST or None, station=station, initial=initial)
    return _new_at_station(request, station, form, services.liaison_create, title=_("New liaison"),
                           done=lambda liaison: _("Liaison %(name)s added.") % {"name": liaison.name})


def _managed_liaison(request, pk) -> Liaison:
    require(request.user, "station_manage")
    return get_visible(Liaison.objects.select_related("contact_point", "contact_point__station")
                       .filter(contact_point__station__in=selectors.stations_visible_to(request.user)), pk=pk)


# A liaison is shown on its station's page; its edit page shows its history.
LIAISON = Managed(_managed_liaison, "stations:station_detail", "liaison", LiaisonForm, history=True,
                  crumbs=lambda user, _station: stations_crumb(user),
                  shown=lambda liaison: liaison.contact_point.station,
                  form_kwargs=lambda request, liaison: {"station": liaison.contact_point.station},
                  titles=(gettext_lazy("Edit liaison"), gettext_lazy("Deactivate liaison"),
                          gettext_lazy("Reactivate liaison")))
liaison_edit, liaison_deactivate, liaison_reactivate = LIAISON.views(
    services.liaison_update, services.liaison_deactivate, services.liaison_reactivate)
