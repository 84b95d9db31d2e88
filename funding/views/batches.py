"""Payment batches and their reversals (红字冲销): the buttons of the batch page come from the batch and reversal
tables (funding.workflow); every change goes through a service."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import capability_required
from core.flow import act, act_with, errors_to_messages

from .. import selectors, services
from ..filters import BatchCandidateFilter
from ..forms import PayForm
from ..models import BatchReversal, PaymentBatch, Subsidy, SubsidyPayment
from ..money import amount_in_words
from ..workflow import BATCH, REVERSAL, SUBSIDY
from .common import money_crumb, page


@capability_required("payment_manage")
def batch_list(request):
    page_obj = page(request, selectors.batch_list())
    selectors.with_totals(page_obj.object_list)
    return render(request, "funding/batch_list.html", {
        "page_obj": page_obj,
        "waiting": selectors.awaiting_batch_totals(),
        "breadcrumbs": [money_crumb(), (_("Payment batches"), None)],
    })


@capability_required("payment_manage")
def batch_create(request):
    base = selectors.subsidies().filter(SUBSIDY.phase_q("awaiting_batch")).order_by("handler__name", "case__number")
    filterset = BatchCandidateFilter(request.GET, queryset=base)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("subsidy") if i.isascii() and i.isdigit()]
        try:
            batch = services.batch_create(subsidies=list(Subsidy.objects.filter(pk__in=ids)), by=request.user,
                                          title=request.POST.get("title", "")[:100],
                                          zero_reason=request.POST.get("zero_reason", "")[:100],
                                          vouchers_per=request.POST.get("vouchers_per", "")[:10])
        except ValidationError as exc:
            errors_to_messages(request, exc)
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
        "breadcrumbs": [money_crumb(), (_("Payment batches"), reverse("funding:batch_list")),
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
                                "subsidy__handler__provider", "reversal_line", "payee_firm")
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
        # a paid line names the firm it paid; an open batch the handler's firm now
        employer = line.payment.payee_firm if line.payment is not None else (
            handler.provider if handler is not None and handler.provider_id else None)
        firm = employer if per_firm else None
        key = ("firm", firm.pk) if firm else ("handler", line.subsidy.handler_id)
        group = groups.setdefault(key, {"handler": None if firm else handler, "firm": firm,
                                        "name": firm.name if firm else (handler.name if handler else "—"),
                                        "unit": employer.name if employer else "",
                                        "rows": [], "total": selectors.ZERO, "reversed": selectors.ZERO})
        group["rows"].append(line)
        if line.reversed_line:
            group["reversed"] += line.amount
        else:
            group["total"] += line.amount
    for group in groups.values():
        group["in_words"] = amount_in_words(group["total"])
    return list(groups.values())


def _record(batch, user) -> list[dict]:
    """The batch's payment and its reversals: who, when, why, approved by; the buttons each reversal offers."""
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
                     "n": len(r.payments.all()), "cases": [p.subsidy.case.number for p in r.payments.all()],
                     "offered": REVERSAL.offered(user, r)})
    return rows


@capability_required("payment_manage")
def batch_detail(request, pk):
    batch = get_object_or_404(selectors.batches(), pk=pk)
    payees = _payees(batch)
    offered = BATCH.offered(request.user, batch)
    hint, _due = BATCH.next_step(batch)
    return render(request, "funding/batch_detail.html", {
        "batch": batch, "payees": payees, "pay_form": PayForm(), "can_see_history": True,
        "total": sum((p["total"] for p in payees), selectors.ZERO),
        "reversed_total": sum((p["reversed"] for p in payees), selectors.ZERO),
        "spending": batch.spending.filter(reverses__isnull=True).first(),
        "record": _record(batch, request.user), "offered": offered, "next_step": hint,
        "reversible": offered["reverse"],
        "breadcrumbs": [money_crumb(), (_("Payment batches"), reverse("funding:batch_list")), (batch.number, None)],
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
    issued = batch.status != PaymentBatch.Status.OPEN  # the voucher is issued by paying (BATCH["pay"].issues)
    # Before that it is a draft, printed as the batch now is and marked so: its lines may still change. Issued,
    # it is dated the day the batch was paid (its spending entry's day), not the day it is first printed.
    dated = batch.paid_on if issued and batch.paid_on else timezone.localdate()
    return print_issued(request, "funding/voucher.html", {
        "batch": batch, "payees": payees, "center": CenterProfile.get(), "dated": dated},
        obj=batch, document=BATCH["pay"].issues, number=batch.number if issued else "",
        notes=notes if issued else [_("Draft: the batch is not paid yet; not a payment voucher")])


@require_POST
@capability_required("payment_manage")
def batch_pay(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    return act_with(request, PayForm(request.POST), lambda data: services.batch_pay(
        batch=batch, paid_on=data["paid_on"], by=request.user),
        done=_("Batch %(number)s marked paid; the spending entry was posted.") % {"number": batch.number},
        to="funding:batch_detail", args=(batch.pk,))


@require_POST
@capability_required("payment_manage")
def batch_remove(request, pk, subsidy_pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    subsidy = get_object_or_404(Subsidy, pk=subsidy_pk, batch=batch)
    return act(request, lambda: services.batch_remove_subsidy(batch=batch, subsidy=subsidy, by=request.user),
               done=_("%(case)s was taken out of the batch.") % {"case": subsidy.case.number},
               to="funding:batch_detail", args=(batch.pk,))


@require_POST
@capability_required("payment_manage")
def batch_reverse(request, pk):
    """Finance asks to reverse the ticked paid lines (红字冲销), with a reason; the director approves."""
    batch = get_object_or_404(PaymentBatch, pk=pk)
    posted = request.POST.getlist("payment")
    ids = {int(i) for i in posted if i.isascii() and i.isdigit() and len(i) < 19}
    # Every line named goes to the service, which refuses the request when one is not a paid line of this
    # batch (a tampered or stale form): nothing is dropped silently and the rest reversed.
    payments = list(SubsidyPayment.objects.filter(pk__in=ids))

    def request_reversal():
        if len(payments) < len(set(posted)):  # a line that does not exist at all
            raise ValidationError(_("Some of the selected lines are not paid lines of this batch, or were already "
                                    "reversed."))
        return services.reversal_request(batch=batch, payments=payments,
                                         reason=request.POST.get("reason", "")[:500], by=request.user)

    return act(request, request_reversal, done=_("The reversal was requested; it takes effect when the director "
                                                 "approves it."), to="funding:batch_detail", args=(batch.pk,))


@require_POST
@capability_required("subsidy_adjust")
def reversal_approve(request, pk, reversal_pk):
    reversal = get_object_or_404(BatchReversal, pk=reversal_pk, batch_id=pk)
    return act(request, lambda: services.reversal_approve(reversal=reversal, by=request.user),
               done=lambda spending: _("Reversed: a reversing entry of %(amount)s yuan was posted; the subsidies "
                                       "are payable again in a new batch.") % {"amount": f"{spending.amount:,.2f}"},
               to="funding:batch_detail", args=(pk,))


@require_POST
@capability_required("subsidy_adjust")
def reversal_decline(request, pk, reversal_pk):
    reversal = get_object_or_404(BatchReversal, pk=reversal_pk, batch_id=pk)
    return act(request, lambda: services.reversal_decline(reversal=reversal, by=request.user),
               done=_("The reversal was declined."), to="funding:batch_detail", args=(pk,))
