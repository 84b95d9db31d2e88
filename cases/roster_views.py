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


def _roster_form(request, form_class, instance, title, back):
    require(request.user, "roster_manage")
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = services.roster_save(form=form, by=request.user)
        messages.success(request, _("Saved: %(what)s") % {"what": obj})
        return redirect(back)
    return render(request, "cases/roster_form.html", {
        "form": form, "title": title, "object": instance,
        "breadcrumbs": [(_("Handlers"), reverse("cases:handler_list")), (title, None)],
    })


@login_required
def handler_create(request):
    return _roster_form(request, forms.HandlerForm, None, _("New handler"), reverse("cases:handler_list"))


@login_required
def handler_edit(request, pk):
    require(request.user, "roster_manage")
    handler = get_object_or_404(Handler, pk=pk)
    return _roster_form(request, forms.HandlerForm, handler, _("Edit handler"), reverse("cases:handler_list"))


@login_required
@require_POST
def handler_deactivate(request, pk):
    require(request.user, "roster_manage")
    handler = get_object_or_404(Handler, pk=pk)
    handler = services.handler_toggle_active(handler=handler, by=request.user)
    messages.success(request, (_("%(name)s is active again.") if handler.active
                               else _("%(name)s is no longer active.")) % {"name": handler.name})
    return redirect("cases:handler_list")


@login_required
def provider_create(request):
    return _roster_form(request, forms.ProviderForm, None, _("New provider"), reverse("cases:handler_list"))


@login_required
def provider_edit(request, pk):
    require(request.user, "roster_manage")
    provider = get_object_or_404(Provider, pk=pk)
    return _roster_form(request, forms.ProviderForm, provider, _("Edit provider"), reverse("cases:handler_list"))
