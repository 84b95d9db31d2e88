"""Budgets and spending: lists, pages, forms (form → service → message → redirect through core.flow)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core import versions
from core.access import capability_required
from core.counts import cached_totals
from core.flow import submit
from core.paging import bound, paginate

from .. import selectors, services
from ..filters import BudgetFilter, SpendingFilter
from ..forms import BudgetForm, CorrectForm, SpendingForm
from ..models import Budget, Spending
from .common import PAGE, money_crumb, page


def _export(request, sheet: str, qs, filename: str):
    from core.exports import export_response

    return export_response(sheet, qs, filename=filename, request=request)


@capability_required("funding_manage")
def budget_list(request):
    filterset = BudgetFilter(request.GET, queryset=selectors.budgets())
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "经费预算", qs, "经费预算.xlsx")
    return render(request, "funding/budget_list.html", {
        "filter": filterset, "page_obj": page(request, qs),
        "total": cached_totals("budgets", qs, lambda: qs.order_by().aggregate(t=Sum("amount")))["t"],
        "breadcrumbs": [money_crumb(), (_("Budgets"), None)],
    })


@capability_required("funding_manage")
def budget_detail(request, pk):
    budget = get_object_or_404(Budget, pk=pk)
    return render(request, "funding/budget_detail.html", {
        "budget": budget, "can_see_history": True,
        "breadcrumbs": [money_crumb(), (_("Budgets"), reverse("funding:budget_list")), (str(budget), None)],
    })


def _save_budget(request, budget, data):
    if budget:
        return services.budget_update(budget=budget, year=data["year"], source=data["source"], amount=data["amount"],
                                      note=data["note"], reason=data.get("reason", ""), by=request.user)
    return services.budget_create(year=data["year"], source=data["source"], amount=data["amount"],
                                  note=data["note"], by=request.user)


def _budget_form(request, budget=None):
    initial = ({"year": budget.year, "source": budget.source, "amount": budget.amount, "note": budget.note}
               if budget else None)
    form = BudgetForm(request.POST or None, initial=initial, editing=budget is not None)
    saved = submit(request, form, lambda data: _save_budget(request, budget, data), done=_("The budget was saved."),
                   to=lambda saved: reverse("funding:budget_detail", args=[saved.pk]))
    return saved or render(request, "funding/form.html", {
        "form": form, "title": _("Edit budget") if budget else _("New budget"),
        "cancel": reverse("funding:budget_list"),
        "breadcrumbs": [money_crumb(), (_("Budgets"), reverse("funding:budget_list")),
                        (_("Edit") if budget else _("New"), None)],
    })


@capability_required("funding_manage")
def budget_create(request):
    return _budget_form(request)


@capability_required("funding_manage")
def budget_edit(request, pk):
    return _budget_form(request, get_object_or_404(Budget, pk=pk))


@transaction.non_atomic_requests
@capability_required("funding_manage")
def spending_list(request):
    """The filter, the rows, their count and total are made only when the page's piece kept under the entries'
    change number (core.versions, moved by every write to the entries and their batches) is not there to be
    shown (they are lazy). The page writes nothing, so it opens no transaction (two round trips of a page of a
    few milliseconds); an export, which may record a job, does."""
    filterset = SimpleLazyObject(lambda: SpendingFilter(request.GET, queryset=selectors.spending_list()))
    if request.GET.get("export") == "xlsx":
        with transaction.atomic():
            return _export(request, "经费支出", filterset.qs, "经费支出.xlsx")
    # Counted and summed afresh with the rows whenever the piece is made (a few hundred entries a year): the shared
    # cache of counts misses writes made without signals, which the change number does not.
    totals = SimpleLazyObject(lambda: filterset.qs.order_by().aggregate(n=Count("pk"), t=Sum("amount")))
    return render(request, "funding/spending_list.html", {
        "filter": filterset, "totals": totals,
        "page_obj": SimpleLazyObject(lambda: paginate(request, filterset.qs, PAGE,
                                                      counted=min(totals["n"], bound() + 1))),
        "rows_version": versions.data_version(selectors.SPENDING_VERSION),
        "breadcrumbs": [money_crumb(), (_("Spending"), None)],
    })


@capability_required("funding_manage")
def spending_detail(request, pk):
    spending = get_object_or_404(selectors.spending(), pk=pk)
    return render(request, "funding/spending_detail.html", {
        "spending": spending, "can_see_history": True, "corrected": list(spending.reversals.all()),
        "editable": not services.spending_edit_refusal(spending),
        "breadcrumbs": [money_crumb(), (_("Spending"), reverse("funding:spending_list")), (str(spending), None)],
    })


def _save_spending(request, spending, data):
    if spending:
        return services.spending_update(spending=spending, date=data["date"], category=data["category"],
                                        amount=data["amount"], description=data["description"],
                                        reason=data.get("reason", ""), by=request.user)
    return services.spending_create(date=data["date"], category=data["category"], amount=data["amount"],
                                    description=data["description"], by=request.user)


def _spending_form(request, spending=None):
    initial = ({"date": spending.date, "category": spending.category, "amount": spending.amount,
                "description": spending.description} if spending else None)
    form = SpendingForm(request.POST or None, initial=initial, editing=spending is not None)
    saved = submit(request, form, lambda data: _save_spending(request, spending, data),
                   done=_("The spending entry was saved."),
                   to=lambda saved: reverse("funding:spending_detail", args=[saved.pk]))
    return saved or render(request, "funding/form.html", {
        "form": form, "title": _("Edit spending entry") if spending else _("New spending entry"),
        "cancel": reverse("funding:spending_list"),
        "breadcrumbs": [money_crumb(), (_("Spending"), reverse("funding:spending_list")),
                        (_("Edit") if spending else _("New"), None)],
    })


@capability_required("funding_manage")
def spending_correct(request, pk):
    """A wrong manual entry is corrected by a correcting entry (negative, dated today), not edited away."""
    spending = get_object_or_404(Spending, pk=pk)
    form = CorrectForm(request.POST or None)
    saved = submit(request, form, lambda data: services.spending_correct(
        spending=spending, reason=data["reason"], by=request.user), done=_("The correcting entry was posted."),
        to=lambda correction: reverse("funding:spending_detail", args=[correction.pk]))
    return saved or render(request, "funding/form.html", {
        "form": form, "title": _("Correct spending entry %(entry)s") % {"entry": spending},
        "cancel": reverse("funding:spending_detail", args=[spending.pk]),
        "breadcrumbs": [money_crumb(), (_("Spending"), reverse("funding:spending_list")),
                        (str(spending), reverse("funding:spending_detail", args=[spending.pk])), (_("Correct"), None)],
    })


@capability_required("funding_manage")
def spending_create(request):
    return _spending_form(request)


@capability_required("funding_manage")
def spending_edit(request, pk):
    spending = get_object_or_404(Spending, pk=pk)
    problem = services.spending_edit_refusal(spending)
    if problem:
        messages.error(request, problem)
        return redirect("funding:spending_detail", pk=spending.pk)
    return _spending_form(request, spending)
