"""Volunteers: a station's own (station staff) or any (center)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import capability_required
from core.flow import submit
from core.paging import paginate
from core.registry import provided

from .. import selectors, services
from ..forms import VolunteerForm
from .pages import Managed, finder, form_page


def _volunteer_crumb() -> list:
    return [(_("Volunteers"), reverse("stations:volunteer_list"))]


_visible_volunteer = finder("volunteer_manage", selectors.volunteers_visible_to)


@capability_required("volunteer_manage")
def volunteer_list(request):
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


@capability_required("volunteer_manage")
def volunteer_create(request):
    form = VolunteerForm(request.POST or None, user=request.user)
    created = submit(request, form, lambda data: services.volunteer_create(data=data, by=request.user),
                     done=lambda volunteer: _("Volunteer %(name)s added.") % {"name": volunteer.name},
                     to=lambda volunteer: reverse("stations:volunteer_detail", args=[volunteer.pk]))
    if created:
        return created
    return form_page(request, form=form, title=_("New volunteer"), breadcrumbs=_volunteer_crumb(),
                     cancel_url=reverse("stations:volunteer_list"))


def _volunteer_saved(volunteer, edited) -> str:
    """Saved, or moved to another station: recorded anew there, the former record deactivated."""
    if volunteer.pk == edited.pk:
        return _("Changes saved.")
    return _("%(name)s is recorded anew at the new station from today; the former record is deactivated.") % {
        "name": volunteer.name}


VOLUNTEER = Managed(_visible_volunteer, "stations:volunteer_detail", "volunteer", VolunteerForm,
                    crumbs=lambda user, _volunteer: _volunteer_crumb(),
                    form_kwargs=lambda request, _volunteer: {"user": request.user},
                    titles=(gettext_lazy("Edit volunteer"), gettext_lazy("Deactivate volunteer"),
                            gettext_lazy("Reactivate volunteer")))
volunteer_edit, volunteer_deactivate, volunteer_reactivate = VOLUNTEER.views(
    services.volunteer_update, services.volunteer_deactivate, services.volunteer_reactivate, done=_volunteer_saved)
