"""What the station views share: the form page, the crumbs, and the deactivate/reactivate pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.flow import submit

from .. import selectors
from ..forms import CloseForm, ConfirmForm


def can_view(user) -> None:
    if not selectors.can_view_stations(user):
        raise PermissionDenied


def form_page(request, *, form, title, breadcrumbs, cancel_url, submit=None, extra=None, multipart=False):
    context = {"form": form, "title": title, "breadcrumbs": breadcrumbs + [(title, None)],
               "cancel_url": cancel_url, "submit_label": submit or _("Save"), "multipart": multipart}
    context.update(extra or {})
    return render(request, "stations/form.html", context)


def stations_crumb(user) -> list:
    if user.can("station_manage") and user.is_center:
        return [(_("Stations"), reverse("stations:station_list"))]
    return []


def close_page(request, *, obj, action, title, detail_url, crumbs):
    """Deactivate `obj` with a date and a reason: `action(closed_on=, reason=)` is the service call."""
    form = CloseForm(request.POST or None)
    closed = submit(request, form, lambda data: action(closed_on=data["closed_on"], reason=data["reason"]),
                    done=_("%(name)s deactivated.") % {"name": obj}, to=detail_url)
    if closed:
        return closed
    return form_page(request, form=form, title=title, breadcrumbs=crumbs, cancel_url=detail_url,
                     submit=_("Deactivate"), extra={"danger": True, "object": obj})


def reopen_page(request, *, obj, action, title, detail_url, crumbs):
    """Ask, then reactivate `obj`: `action()` is the service call; its refusal is shown above the question."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    reopened = submit(request, form, lambda data: action(), done=_("%(name)s reactivated.") % {"name": obj},
                      to=detail_url)
    if reopened:
        return reopened
    return render(request, "stations/confirm.html", {
        "title": title, "object": obj, "errors": form.non_field_errors(), "cancel_url": detail_url,
        "submit_label": _("Reactivate"), "breadcrumbs": crumbs + [(title, None)],
    })
