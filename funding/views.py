"""Thin views of the money side: read through selectors, write through services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import may_list_cases
from core.access import require
from core.choices import FUNDING_SOURCE, SPENDING_CATEGORY
from core.counts import cached_totals
from core.paging import paginate
from core.redirects import safe_next
from core.xlsx import SafeWorkbook, chunked, workbook_response

from . import selectors, services
from .filters import BatchCandidateFilter, BudgetFilter, SpendingFilter, SubsidyFilter
from .forms import AdjustForm, BudgetForm, CorrectForm, PayForm, PublicListForm, SpendingForm
from .indicators import INDICATORS
from .models import (
    BatchReversal,
    Budget,
    PaymentBatch,
    Spending,
    Subsidy,
    SubsidyPayment,
    SubsidyPolicy,
    SubsidyStandard,
)
from .money import amount_in_words, mask_name

PAGE = 25


def capability_required(capability: str):
    """Anonymous → login; logged in without the capability → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _page(request, qs):
    return paginate(request, qs, PAGE)


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _money_crumb():
    return (_("Funding"), reverse("funding:overview"))


def _year(request) -> int:
    from core.params import query_year

    return query_year(request)


# --- Funding overview ----------------------------------------------------------

@capability_required("funding_manage")
def overview(request):
    year = _year(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    values = selectors.indicators(start, end)
    rows = [{"code": code, "label": label, "unit": unit, "value": values[code],
             "kind": "rate" if code.startswith("rate.") else "count" if code.endswith(".cases") else "money"}
            for code, label, unit in INDICATORS]
    months = {row["month"].month: row for row in selectors.spending_by_month(start, end)}
    chart = {
        "labels": [_("Month %(m)s") % {"m": m} for m in range(1, 13)],
        # Decimal as text: Chart.js parses numeric strings, and no float ever touches the money.
        "subsidy": [str(months[m]["subsidy"] or 0) if m in months else "0" for m in range(1, 13)],
        "other": [str((months[m]["total"] or 0) - (months[m]["subsidy"] or 0)) if m in months else "0"
                  for m in range(1, 13)],
        "subsidy_label": _("Case subsidies"), "other_label": _("Other spending"),
    }
    by_category = [{"label": SPENDING_CATEGORY.label(r["category"]), "code": r["category"], "total": r["total"]}
                   for r in selectors.spending_by_category(start, end)]
    by_source = [{"label": FUNDING_SOURCE.label(code), "code": code, "total": values[f"funding.budget.{code}"]}
                 for code in FUNDING_SOURCE.codes]
    years = sorted(set(Budget.objects.values_list("year", flat=True)) | {timezone.localdate().year, year},
                   reverse=True)
    return render(request, "funding/overview.html", {
        "year": year, "years": years, "rows": rows, "values": values, "chart": chart,
        "by_category": by_category, "by_source": by_source, "start": start, "end": end,
        "breadcrumbs": [(_("Funding"), None)],
    })


# --- Standards -------------------------------------------------------------------

@capability_required("subsidy_manage")
def standards(request):
    year = _year(request)
    years = sorted(set(SubsidyStandard.objects.values_list("year", flat=True)) | {year}, reverse=True)
    return render(request, "funding/standards.html", {
        "year": year, "years": years,
        "standards": SubsidyStandard.objects.filter(year=year).order_by("category", "scope"),
        "policy": SubsidyPolicy.objects.filter(year=year).first(),
        "breadcrumbs": [_money_crumb(), (_("Subsidy standards"), None)],
    })


# --- Subsidies -------------------------------------------------------------------

@capability_required("subsidy_manage")
def subsidy_list(request):
    filterset = SubsidyFilter(request.GET, queryset=selectors.subsidies())
    qs = filterset.qs
    totals = cached_totals("subsidies", qs, lambda: qs.order_by().aggregate(total=Sum("amount"), count=Count("pk")))
    return render(request, "funding/subsidy_list.html", {
        "filter": filterset, "page_obj": _page(request, qs), "totals": totals,
        "breadcrumbs": [_money_crumb(), (_("Subsidies"), None)],
    })


@capability_required("subsidy_manage")
def subsidy_detail(request, pk):
    subsidy = get_object_or_404(selectors.subsidies(), pk=pk)
    return render(request, "funding/subsidy_detail.html", {
        "subsidy": subsidy, "can_adjust": services.can_adjust(request.user), "can_see_history": True,
        "case_link": may_list_cases(request.user),
        "in_words": amount_in_words(subsidy.amount),
        "payments": subsidy.payments.select_related("batch", "by", "approved_by").order_by("date", "pk"),
        "breadcrumbs": [_money_crumb(), (_("Subsidies"), reverse("funding:subsidy_list")), (subsidy.case.number, None)],
    })


@capability_required("subsidy_manage")
def subsidy_adjust(request, pk):
    if not services.can_adjust(request.user):
        raise PermissionDenied
    subsidy = get_object_or_404(selectors.subsidies(), pk=pk)
    form = AdjustForm(request.POST or None, initial={"amount": subsidy.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.subsidy_adjust(subsidy=subsidy, amount=form.cleaned_data["amount"],
                                    reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The subsidy was adjusted."))
            return redirect("funding:subsidy_detail", pk=subsidy.pk)
    return render(request, "funding/form.html", {
        "form": form, "title": _("Adjust subsidy of %(case)s") % {"case": subsidy.case.number},
        "cancel": reverse("funding:subsidy_detail", args=[subsidy.pk]),
        "breadcrumbs": [_money_crumb(), (_("Subsidies"), reverse("funding:subsidy_list")),
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
        "page_obj": _page(request, qs), "case_link": may_list_cases(request.user),
        "breadcrumbs": [_money_crumb(), (_("Cases awaiting a subsidy"), None)],
    })


@require_POST
@capability_required("subsidy_manage")
def subsidy_compute(request, case_pk):
    from cases.models import Case

    case = get_object_or_404(Case, pk=case_pk)
    try:
        subsidy = services.subsidy_compute(case=case, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(safe_next(request, reverse("funding:subsidy_pending")))
    messages.success(request, _("Subsidy of %(case)s computed: %(amount)s yuan.")
                     % {"case": case.number, "amount": subsidy.amount})
    return redirect("funding:subsidy_detail", pk=subsidy.pk)


# --- Payment batches -------------------------------------------------------------

@capability_required("payment_manage")
def batch_list(request):
    qs = selectors.batches()
    return render(request, "funding/batch_list.html", {
        "page_obj": _page(request, qs),
        "waiting": Subsidy.objects.filter(status=Subsidy.Status.COMPUTED).aggregate(n=Count("pk"), t=Sum("amount")),
        "breadcrumbs": [_money_crumb(), (_("Payment batches"), None)],
    })


@capability_required("payment_manage")
def batch_create(request):
    base = selectors.subsidies().filter(status=Subsidy.Status.COMPUTED).order_by("handler__name", "case__number")
    filterset = BatchCandidateFilter(request.GET, queryset=base)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("subsidy") if i.isdigit()]
        try:
            batch = services.batch_create(subsidies=list(Subsidy.objects.filter(pk__in=ids)), by=request.user,
                                          title=request.POST.get("title", "")[:100],
                                          zero_reason=request.POST.get("zero_reason", "")[:100],
                                          vouchers_per=request.POST.get("vouchers_per", "")[:10])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Batch %(number)s created.") % {"number": batch.number})
            return redirect("funding:batch_detail", pk=batch.pk)
    rows = list(filterset.qs[:500])
    chosen = set(request.POST.getlist("subsidy")) if request.method == "POST" else None
    for r in rows:  # payable amounts are offered ticked; 0.00 is shown but must be chosen on purpose
        r.offered = (str(r.pk) in chosen) if chosen is not None else r.amount > 0
    return render(request, "funding/batch_create.html", {
        "filter": filterset, "rows": rows, "total": sum((r.amount for r in rows if r.amount > 0), selectors.ZERO),
        "has_zero": any(r.amount == 0 for r in rows), "zero_reason": request.POST.get("zero_reason", ""),
        "vouchers_per": request.POST.get("vouchers_per") or services.last_vouchers_per(),
        "vouchers_choices": PaymentBatch.VouchersPer.choices,
        "breadcrumbs": [_money_crumb(), (_("Payment batches"), reverse("funding:batch_list")),
                        (_("New batch"), None)],
    })


@dataclass
class _Line:
    """One line of a batch: a subsidy in an open batch, or a paid line (with its reversal, if any)."""

    subsidy: Subsidy
    amount: Decimal
    payment: SubsidyPayment | None = None
    pending: bool = False

    @property
    def case(self):
        return self.subsidy.case

    @property
    def reversed_line(self) -> SubsidyPayment | None:
        return getattr(self.payment, "reversal_line", None) if self.payment else None


def _lines(batch) -> list[_Line]:
    if batch.status == PaymentBatch.Status.OPEN:
        return [_Line(s, s.amount) for s in batch.subsidies.select_related(
            "case", "case__recipient", "handler", "handler__provider").order_by("handler__name", "case__number")]
    pending = set(BatchReversal.payments.through.objects.filter(
        batchreversal__batch=batch, batchreversal__status=BatchReversal.Status.REQUESTED)
        .values_list("subsidypayment_id", flat=True))
    # Paid lines stay on the batch after a reversal (the subsidy itself goes back to payable).
    payments = (batch.payments.filter(kind=SubsidyPayment.Kind.PAYMENT)
                .select_related("subsidy", "subsidy__case", "subsidy__case__recipient", "subsidy__handler",
                                "subsidy__handler__provider", "reversal_line")
                .order_by("subsidy__handler__name", "subsidy__case__number"))
    return [_Line(p.subsidy, p.amount, p, p.pk in pending) for p in payments]


def _payees(batch) -> list[dict]:
    """The batch's lines grouped per payee, for the detail page and the vouchers: per handler, or per firm when
    the batch pays firms as a whole (a handler without a firm is a payee of their own). The totals are net of
    reversed lines."""
    per_firm = batch.vouchers_per == PaymentBatch.VouchersPer.FIRM
    groups: dict[tuple, dict] = {}
    for line in _lines(batch):
        handler = line.subsidy.handler
        firm = handler.provider if per_firm and handler is not None and handler.provider_id else None
        key = ("firm", firm.pk) if firm else ("handler", line.subsidy.handler_id)
        group = groups.setdefault(key, {"handler": None if firm else handler, "firm": firm,
                                        "name": firm.name if firm else (handler.name if handler else "—"),
                                        "unit": firm.name if firm else (handler.provider.name if handler and
                                                                        handler.provider_id else ""),
                                        "rows": [], "total": selectors.ZERO, "reversed": selectors.ZERO})
        group["rows"].append(line)
        if line.reversed_line:
            group["reversed"] += line.amount
        else:
            group["total"] += line.amount
    for group in groups.values():
        group["in_words"] = amount_in_words(group["total"])
    return list(groups.values())


def _record(batch) -> list[dict]:
    """The batch's payment and its reversals: who, when, why, approved by."""
    rows = []
    first = batch.payments.filter(kind=SubsidyPayment.Kind.PAYMENT).select_related("by").order_by("pk").first()
    if first:
        paid = batch.payments.filter(kind=SubsidyPayment.Kind.PAYMENT).aggregate(t=Sum("amount"), n=Count("pk"))
        rows.append({"kind": "payment", "label": _("Paid"), "day": first.date, "at": first.created_at,
                     "by": first.by, "amount": paid["t"], "n": paid["n"]})
    for r in batch.reversals.select_related("requested_by", "decided_by", "spending").prefetch_related(
            "payments__subsidy__case"):
        rows.append({"kind": "reversal", "label": r.get_status_display(), "reversal": r, "at": r.requested_at,
                     "day": r.spending.date if r.spending else None, "by": r.requested_by,
                     "amount": -sum((p.amount for p in r.payments.all()), selectors.ZERO),
                     "n": len(r.payments.all()), "cases": [p.subsidy.case.number for p in r.payments.all()]})
    return rows


@capability_required("payment_manage")
def batch_detail(request, pk):
    batch = get_object_or_404(selectors.batches(), pk=pk)
    payees = _payees(batch)
    return render(request, "funding/batch_detail.html", {
        "batch": batch, "payees": payees, "pay_form": PayForm(), "can_see_history": True,
        "total": sum((p["total"] for p in payees), selectors.ZERO),
        "reversed_total": sum((p["reversed"] for p in payees), selectors.ZERO),
        "spending": batch.spending.filter(reverses__isnull=True).first(),
        "record": _record(batch),
        "can_approve": services.can_approve_reversal(request.user),
        "reversible": any(not line.reversed_line and not line.pending for p in payees for line in p["rows"])
        and batch.status == PaymentBatch.Status.PAID,
        "breadcrumbs": [_money_crumb(), (_("Payment batches"), reverse("funding:batch_list")), (batch.number, None)],
    })


@capability_required("payment_manage")
def batch_voucher(request, pk):
    """领款凭单: issued (kept as printed) once the batch is paid; a reversal after that is a red entry of its
    own, so a reprint keeps the voucher as paid and notes the reversal beside the reprint mark."""
    from core.display import money_text
    from core.issued import print_issued
    from core.models import CenterProfile

    batch = get_object_or_404(PaymentBatch, pk=pk)
    payees = _payees(batch)
    notes = []
    reversed_total = sum((p["reversed"] for p in payees), selectors.ZERO)
    if reversed_total:
        notes.append(_("Reversed since: %(amount)s yuan") % {"amount": money_text(reversed_total)})
    issued = batch.status != PaymentBatch.Status.OPEN
    return print_issued(request, "funding/voucher.html", {
        "batch": batch, "payees": payees, "center": CenterProfile.get(), "today": timezone.localdate()},
        obj=batch, document="voucher", number=batch.number if issued else "", notes=notes if issued else ())


@require_POST
@capability_required("payment_manage")
def batch_pay(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    form = PayForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.batch_pay(batch=batch, paid_on=form.cleaned_data["paid_on"], by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Batch %(number)s marked paid; the spending entry was posted.")
                             % {"number": batch.number})
    return redirect("funding:batch_detail", pk=batch.pk)


@require_POST
@capability_required("payment_manage")
def batch_reverse(request, pk):
    """Finance asks to reverse the ticked paid lines (红字冲销), with a reason; the director approves."""
    batch = get_object_or_404(PaymentBatch, pk=pk)
    ids = [int(i) for i in request.POST.getlist("payment") if i.isdigit()]
    try:
        services.reversal_request(batch=batch, payments=list(SubsidyPayment.objects.filter(pk__in=ids, batch=batch)),
                                  reason=request.POST.get("reason", "")[:500], by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The reversal was requested; it takes effect when the director approves it."))
    return redirect("funding:batch_detail", pk=batch.pk)


@require_POST
@capability_required("subsidy_adjust")
def reversal_approve(request, pk, reversal_pk):
    reversal = get_object_or_404(BatchReversal, pk=reversal_pk, batch_id=pk)
    try:
        spending = services.reversal_approve(reversal=reversal, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Reversed: a reversing entry of %(amount)s yuan was posted; the subsidies are "
                                    "payable again in a new batch.") % {"amount": f"{spending.amount:,.2f}"})
    return redirect("funding:batch_detail", pk=pk)


@require_POST
@capability_required("subsidy_adjust")
def reversal_decline(request, pk, reversal_pk):
    reversal = get_object_or_404(BatchReversal, pk=reversal_pk, batch_id=pk)
    try:
        services.reversal_decline(reversal=reversal, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.info(request, _("The reversal was declined."))
    return redirect("funding:batch_detail", pk=pk)


@capability_required("subsidy_manage")
def payment_detail(request, pk):
    """A payment line (the list behind subsidy.paid.*) is shown on its subsidy's page."""
    line = get_object_or_404(SubsidyPayment, pk=pk)
    return redirect(f"{reverse('funding:subsidy_detail', args=[line.subsidy_id])}#payments")


@require_POST
@capability_required("payment_manage")
def batch_remove(request, pk, subsidy_pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    subsidy = get_object_or_404(Subsidy, pk=subsidy_pk, batch=batch)
    try:
        services.batch_remove_subsidy(batch=batch, subsidy=subsidy, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("funding:batch_detail", pk=batch.pk)


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (request.POST.get("month") or request.GET.get("month") or "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


@capability_required("payment_manage")
def duty_subsidy(request):
    """Duty-lawyer and consultation-duty subsidies of a month, from the duty rosters, at the year's rates."""
    import calendar

    year, month = _month(request)
    if request.method == "POST":
        try:
            spending = services.duty_subsidy_post(year=year, month=month, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The duty subsidies were posted to spending."))
            return redirect("funding:spending_detail", pk=spending.pk)
        return redirect(f"{reverse('funding:duty_subsidy')}?month={year}-{month:02d}")
    start, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    policy = SubsidyPolicy.objects.filter(year=year).first()
    rows, total = services.duty_subsidy_rows(start=start, end=end, policy=policy) if policy else ([], None)
    posted = Spending.objects.filter(import_fingerprint=services.duty_fingerprint(year, month)).first()
    return render(request, "funding/duty_subsidy.html", {
        "month": f"{year}-{month:02d}", "policy": policy, "rows": rows, "total": total, "posted": posted,
        "breadcrumbs": [_money_crumb(), (_("Duty subsidies"), None)],
    })


PUBLIC_HEADER = ["案号", "受援人", "承办人", "承办机构", "补贴金额（元）", "发放日期"]


@capability_required("payment_manage")
def public_list(request):
    """The quarterly public list of paid subsidies (Art. 58), names of recipients masked: what was finally
    paid, i.e. the payments of the quarter that were not reversed (a corrected payment is listed when made)."""
    today = timezone.localdate()
    form = PublicListForm(request.GET or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.GET and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        qs = selectors.finally_paid(start, end)
        book = SafeWorkbook()
        book.add_sheet(f"{year}年第{quarter}季度", PUBLIC_HEADER, (
            [p.subsidy.case.number, mask_name(p.subsidy.case.recipient.name),
             p.subsidy.handler.name if p.subsidy.handler else "",
             p.subsidy.handler.provider.name if p.subsidy.handler and p.subsidy.handler.provider else "",
             p.amount, p.date]
            for p in chunked(qs)), widths={0: 30, 1: 10, 2: 10, 3: 24, 4: 14, 5: 12})
        return workbook_response(book, f"办案补贴公示{year}年第{quarter}季度.xlsx")
    return render(request, "funding/public_list.html", {
        "form": form, "breadcrumbs": [_money_crumb(), (_("Quarterly public list"), None)]})


# --- Budgets and spending ----------------------------------------------------------

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
        "filter": filterset, "page_obj": _page(request, qs), "total": qs.aggregate(t=Sum("amount"))["t"],
        "breadcrumbs": [_money_crumb(), (_("Budgets"), None)],
    })


@capability_required("funding_manage")
def budget_detail(request, pk):
    budget = get_object_or_404(Budget, pk=pk)
    return render(request, "funding/budget_detail.html", {
        "budget": budget, "can_see_history": True,
        "breadcrumbs": [_money_crumb(), (_("Budgets"), reverse("funding:budget_list")), (str(budget), None)],
    })


def _budget_form(request, budget=None):
    initial = ({"year": budget.year, "source": budget.source, "amount": budget.amount, "note": budget.note}
               if budget else None)
    form = BudgetForm(request.POST or None, initial=initial, editing=budget is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if budget:
                budget = services.budget_update(budget=budget, year=data["year"], source=data["source"],
                                                amount=data["amount"], note=data["note"],
                                                reason=data.get("reason", ""), by=request.user)
            else:
                budget = services.budget_create(year=data["year"], source=data["source"], amount=data["amount"],
                                                note=data["note"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The budget was saved."))
            return redirect("funding:budget_detail", pk=budget.pk)
    return render(request, "funding/form.html", {
        "form": form, "title": _("Edit budget") if budget else _("New budget"),
        "cancel": reverse("funding:budget_list"),
        "breadcrumbs": [_money_crumb(), (_("Budgets"), reverse("funding:budget_list")),
                        (_("Edit") if budget else _("New"), None)],
    })


@capability_required("funding_manage")
def budget_create(request):
    return _budget_form(request)


@capability_required("funding_manage")
def budget_edit(request, pk):
    return _budget_form(request, get_object_or_404(Budget, pk=pk))


@capability_required("funding_manage")
def spending_list(request):
    filterset = SpendingFilter(request.GET, queryset=selectors.spending())
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "经费支出", qs, "经费支出.xlsx")
    return render(request, "funding/spending_list.html", {
        "filter": filterset, "page_obj": _page(request, qs), "total": qs.aggregate(t=Sum("amount"))["t"],
        "breadcrumbs": [_money_crumb(), (_("Spending"), None)],
    })


@capability_required("funding_manage")
def spending_detail(request, pk):
    spending = get_object_or_404(selectors.spending(), pk=pk)
    return render(request, "funding/spending_detail.html", {
        "spending": spending, "can_see_history": True, "corrected": list(spending.reversals.all()),
        "editable": not services.spending_edit_refusal(spending),
        "breadcrumbs": [_money_crumb(), (_("Spending"), reverse("funding:spending_list")), (str(spending), None)],
    })


def _spending_form(request, spending=None):
    initial = ({"date": spending.date, "category": spending.category, "amount": spending.amount,
                "description": spending.description} if spending else None)
    form = SpendingForm(request.POST or None, initial=initial, editing=spending is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if spending:
                spending = services.spending_update(spending=spending, date=data["date"], category=data["category"],
                                                    amount=data["amount"], description=data["description"],
                                                    reason=data.get("reason", ""), by=request.user)
            else:
                spending = services.spending_create(date=data["date"], category=data["category"],
                                                    amount=data["amount"], description=data["description"],
                                                    by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The spending entry was saved."))
            return redirect("funding:spending_detail", pk=spending.pk)
    return render(request, "funding/form.html", {
        "form": form, "title": _("Edit spending entry") if spending else _("New spending entry"),
        "cancel": reverse("funding:spending_list"),
        "breadcrumbs": [_money_crumb(), (_("Spending"), reverse("funding:spending_list")),
                        (_("Edit") if spending else _("New"), None)],
    })


@capability_required("funding_manage")
def spending_correct(request, pk):
    """A wrong manual entry is corrected by a correcting entry (negative, dated today), not edited away."""
    spending = get_object_or_404(Spending, pk=pk)
    form = CorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.spending_correct(spending=spending, reason=form.cleaned_data["reason"],
                                                   by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The correcting entry was posted."))
            return redirect("funding:spending_detail", pk=correction.pk)
    return render(request, "funding/form.html", {
        "form": form, "title": _("Correct spending entry %(entry)s") % {"entry": spending},
        "cancel": reverse("funding:spending_detail", args=[spending.pk]),
        "breadcrumbs": [_money_crumb(), (_("Spending"), reverse("funding:spending_list")),
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
