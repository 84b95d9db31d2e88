"""Duty-lawyer help and document drafting (值班律师法律帮助, 代拟法律文书): matters, not cases (DOMAIN.md §5)."""

from __future__ import annotations

from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import capability_required, get_visible
from core.counts import cached_totals
from core.flow import submit
from core.paging import paginate

from .. import services
from ..filters import MatterFilter
from ..forms import MatterForm
from ..selectors import matters_visible_to
from ._common import crumbs, export


@capability_required("matter_log")
def matter_list(request):
    f = MatterFilter(request.GET or None, queryset=matters_visible_to(request.user))
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        return export(request, "值班与代书", qs, "值班与代书.xlsx")
    return render(request, "intake/matter_list.html", {
        "filter": f, "page_obj": paginate(request, qs),
        "total": cached_totals("matters", qs, lambda: qs.order_by().aggregate(n=Sum("person_count")))["n"] or 0,
        "breadcrumbs": crumbs((_("Duty help and drafting"), None)),
    })


@capability_required("matter_log")
def matter_create(request, pk=None):
    instance = get_visible(matters_visible_to(request.user), pk=pk) if pk else None
    form = MatterForm(request.POST or None, instance=instance, user=request.user)
    done = submit(request, form, lambda data: services.matter_save(matter=form.save(commit=False), by=request.user),
                  done=_("Saved."), to=lambda m: reverse("intake:matter_detail", args=[m.pk]))
    if done:
        return done
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Duty-lawyer help or document drafting"),
        "breadcrumbs": crumbs((_("Duty help and drafting"), reverse("intake:matter_list")),
                              (_("Edit") if instance else _("New"), None)),
    })


@capability_required("matter_log")
def matter_detail(request, pk):
    m = get_visible(matters_visible_to(request.user), pk=pk)
    return render(request, "intake/matter_detail.html", {
        "m": m, "breadcrumbs": crumbs((_("Duty help and drafting"), reverse("intake:matter_list")), (str(m), None)),
    })
