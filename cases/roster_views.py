"""The handler roster: handlers and providers, with their open caseloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.access import require
from core.choices import CAUSE
from core.flow import submit
from stations.models import Handler, Provider

from . import forms, services
from .selectors import handlers_with_load

# --- roster -------------------------------------------------------------------------

@login_required
def handler_list(request):
    require(request.user, "roster_manage")
    show = request.GET.get("show", "active")
    qs = handlers_with_load().order_by("-active", "name")
    if show != "all":
        qs = qs.filter(active=True)
    providers = Provider.objects.order_by("-active", "name")
    handlers = list(qs)
    for h in handlers:
        h.specialty_labels = "、".join(CAUSE.label(c) for c in h.specialties)
    return render(request, "cases/handler_list.html", {
        "handlers": handlers, "providers": providers, "show": show,
        "breadcrumbs": [(_("Handlers"), None)], "title": _("Handlers"),
    })


def _roster_form(request, form_class, pk, title):
    """A new entry of the roster (no `pk`) or one of it, saved through the service; back to the roster."""
    require(request.user, "roster_manage")
    instance = get_object_or_404(form_class._meta.model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    saved = submit(request, form, lambda data: services.roster_save(form=form, by=request.user),
                   done=lambda obj: _("Saved: %(what)s") % {"what": obj}, to=reverse("cases:handler_list"))
    return saved or render(request, "cases/roster_form.html", {
        "form": form, "title": title, "object": instance,
        "breadcrumbs": [(_("Handlers"), reverse("cases:handler_list")), (title, None)],
    })


def _roster_views(form_class, new_title, edit_title):
    """The new and edit pages of one kind of roster entry (a handler, a provider)."""

    @login_required
    def create(request):
        return _roster_form(request, form_class, None, new_title)

    @login_required
    def edit(request, pk):
        return _roster_form(request, form_class, pk, edit_title)

    return create, edit


handler_create, handler_edit = _roster_views(forms.HandlerForm, _("New handler"), _("Edit handler"))
provider_create, provider_edit = _roster_views(forms.ProviderForm, _("New provider"), _("Edit provider"))


@login_required
@require_POST
def handler_deactivate(request, pk):
    require(request.user, "roster_manage")
    handler = get_object_or_404(Handler, pk=pk)
    handler = services.handler_toggle_active(handler=handler, by=request.user)
    messages.success(request, (_("%(name)s is active again.") if handler.active
                               else _("%(name)s is no longer active.")) % {"name": handler.name})
    return redirect("cases:handler_list")
