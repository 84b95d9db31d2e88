"""The handler roster: handlers and providers, with their open caseloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.access import require
from core.choices import CAUSE
from core.flow import once, submit
from core.paging import paginate
from stations.models import Handler, Provider

from . import forms, services
from .selectors import may_list_cases, open_caseloads

# --- roster -------------------------------------------------------------------------

PROVIDERS_SHOWN = 50  # the rest are found with the search box (a province has hundreds)


@login_required
def handler_list(request):
    """The roster a page at a time (a province has thousands of handlers), searchable by name, phone or
    provider; each handler's open caseload is counted for the page's handlers only."""
    require(request.user, "roster_manage")
    show = request.GET.get("show", "active")
    q = (request.GET.get("q") or "").strip()[:100]
    qs = Handler.objects.select_related("provider").order_by("-active", "name", "pk")
    if show != "all":
        qs = qs.filter(active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(phone__contains=q) | Q(provider__name__icontains=q))
    page_obj = paginate(request, qs)
    loads = open_caseloads([h.pk for h in page_obj])
    for h in page_obj:
        h.open_cases = loads.get(h.pk, 0)
        h.specialty_labels = "、".join(CAUSE.label(c) for c in h.specialties)
    providers = Provider.objects.order_by("-active", "name")
    if q:
        providers = providers.filter(name__icontains=q)
    return render(request, "cases/handler_list.html", {
        "page_obj": page_obj, "handlers": page_obj.object_list, "show": show, "q": q,
        "providers": providers[:PROVIDERS_SHOWN], "providers_total": providers.count(),
        "breadcrumbs": [(_("Handlers"), None)], "title": _("Handlers"),
        # the caseload links to the case list: for those who may open it (not the administrator, DOMAIN.md §2)
        "may_list_cases": may_list_cases(request.user),
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
    # A toggle: sent twice (a double click) it would switch the lawyer off and on again; core.flow runs it once.
    return once(request, lambda: services.handler_toggle_active(handler=handler, by=request.user),
                done=lambda h: (_("%(name)s is active again.") if h.active
                                else _("%(name)s is no longer active.")) % {"name": h.name},
                to=reverse("cases:handler_list"), fallback=reverse("cases:handler_list"))
