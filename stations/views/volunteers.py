"""Volunteers: a station's own (station staff) or any (center)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import capability_required, get_visible, require
from core.flow import submit
from core.paging import paginate
from core.registry import provided

from .. import selectors, services
from ..forms import VolunteerForm
from .pages import close_page, form_page, reopen_page


def _volunteer_crumb() -> list:
    return [(_("Volunteers"), reverse("stations:volunteer_list"))]


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


@login_required
def volunteer_edit(request, pk):
    volunteer = _visible_volunteer(request, pk)
    form = VolunteerForm(request.POST or None, instance=volunteer, user=request.user)
    saved = submit(request, form,
                   lambda data: services.volunteer_update(volunteer=volunteer, data=data, by=request.user),
                   done=_("Changes saved."), to="stations:volunteer_detail", args=(volunteer.pk,))
    if saved:
        return saved
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return form_page(request, form=form, title=_("Edit volunteer"), cancel_url=detail,
                     breadcrumbs=_volunteer_crumb() + [(volunteer.name, detail)])


@login_required
def volunteer_deactivate(request, pk):
    volunteer = _visible_volunteer(request, pk)
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return close_page(
        request, obj=volunteer, title=_("Deactivate volunteer"), detail_url=detail,
        crumbs=_volunteer_crumb() + [(volunteer.name, detail)],
        action=lambda closed_on, reason: services.volunteer_deactivate(volunteer=volunteer, closed_on=closed_on,
                                                                       by=request.user))


@login_required
def volunteer_reactivate(request, pk):
    volunteer = _visible_volunteer(request, pk)
    detail = reverse("stations:volunteer_detail", args=[volunteer.pk])
    return reopen_page(request, obj=volunteer, title=_("Reactivate volunteer"), detail_url=detail,
                       crumbs=_volunteer_crumb() + [(volunteer.name, detail)],
                       action=lambda: services.volunteer_reactivate(volunteer=volunteer, by=request.user))
