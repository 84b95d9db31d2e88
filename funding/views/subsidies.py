"""Subsidies: the list, one subsidy (its buttons from the subsidy table), adjusting, computing."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import may_list_cases
from core.access import capability_required
from core.counts import cached_totals
from core.flow import errors_to_messages, submit
from core.redirects import safe_next

from .. import selectors, services
from ..filters import SubsidyFilter
from ..forms import AdjustForm
from ..models import SubsidyPayment
from ..money import amount_in_words
from ..workflow import SUBSIDY
from .common import money_crumb, page


@capability_required("subsidy_manage")
def subsidy_list(request):
    filterset = SubsidyFilter(request.GET, queryset=selectors.subsidies())
    qs = filterset.qs
    totals = cached_totals("subsidies", qs, lambda: qs.order_by().aggregate(total=Sum("amount"), count=Count("pk")))
    return render(request, "funding/subsidy_list.html", {
        "filter": filterset, "page_obj": page(request, qs), "totals": totals,
        "breadcrumbs": [money_crumb(), (_("Subsidies"), None)],
    })


@capability_required("subsidy_manage")
def subsidy_detail(request, pk):
    subsidy = get_object_or_404(selectors.subsidies(), pk=pk)
    hint, _due = SUBSIDY.next_step(subsidy)
    return render(request, "funding/subsidy_detail.html", {
        "subsidy": subsidy, "offered": SUBSIDY.offered(request.user, subsidy), "next_step": hint,
        "can_see_history": True, "case_link": may_list_cases(request.user),
        "in_words": amount_in_words(subsidy.amount),
        "payments": subsidy.payments.select_related("batch", "by", "approved_by").order_by("date", "pk"),
        "breadcrumbs": [money_crumb(), (_("Subsidies"), reverse("funding:subsidy_list")), (subsidy.case.number, None)],
    })


@capability_required("subsidy_manage")
def subsidy_adjust(request, pk):
    SUBSIDY.authorize(request.user, None, "adjust")
    subsidy = get_object_or_404(selectors.subsidies(), pk=pk)
    form = AdjustForm(request.POST or None, initial={"amount": subsidy.amount})
    saved = submit(request, form, lambda data: services.subsidy_adjust(
        subsidy=subsidy, amount=data["amount"], reason=data["reason"], by=request.user),
        done=_("The subsidy was adjusted."), to="funding:subsidy_detail", args=(subsidy.pk,))
    return saved or render(request, "funding/form.html", {
        "form": form, "title": _("Adjust subsidy of %(case)s") % {"case": subsidy.case.number},
        "cancel": reverse("funding:subsidy_detail", args=[subsidy.pk]),
        "breadcrumbs": [money_crumb(), (_("Subsidies"), reverse("funding:subsidy_list")),
                        (subsidy.case.number, reverse("funding:subsidy_detail", args=[subsidy.pk])),
                        (_("Adjust"), None)],
    })


@capability_required("subsidy_manage")
def subsidy_pending(request):
    qs = selectors.cases_awaiting_subsidy()
    if request.method == "POST":
        done, problems = services.compute_all(cases=list(qs), by=request.user)
        if done:
            messages.success(request, _("%(n)s subsidies computed.") % {"n": done})
        for problem in problems:
            messages.error(request, problem)
        if not done and not problems:
            messages.info(request, _("No case is waiting for a subsidy."))
        return redirect("funding:subsidy_pending")
    return render(request, "funding/subsidy_pending.html", {
        "page_obj": page(request, qs), "case_link": may_list_cases(request.user),
        "breadcrumbs": [money_crumb(), (_("Cases awaiting a subsidy"), None)],
    })


@require_POST
@capability_required("subsidy_manage")
def subsidy_compute(request, case_pk):
    """Compute (or recompute) one case's subsidy: to the subsidy when done, back where it was asked if refused."""
    from django.core.exceptions import ValidationError

    from cases.models import Case

    case = get_object_or_404(Case, pk=case_pk)
    try:
        subsidy = services.subsidy_compute(case=case, by=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect(safe_next(request, reverse("funding:subsidy_pending")))
    messages.success(request, _("Subsidy of %(case)s computed: %(amount)s yuan.")
                     % {"case": case.number, "amount": subsidy.amount})
    return redirect("funding:subsidy_detail", pk=subsidy.pk)


@capability_required("subsidy_manage")
def payment_detail(request, pk):
    """A payment line (the list behind subsidy.paid.*) is shown on its subsidy's page."""
    line = get_object_or_404(SubsidyPayment, pk=pk)
    return redirect(f"{reverse('funding:subsidy_detail', args=[line.subsidy_id])}#payments")
