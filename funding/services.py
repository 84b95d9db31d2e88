"""Every write of the money side (DOMAIN.md §7, §9), each in one transaction.

Subsidies are computed from the case, batched by finance, and paid: paying a batch
marks its subsidies paid and posts one spending entry, under row locks so that a
batch can never be paid twice, even when two people press the button together.

Which step may be taken in which state, and with which capability, is the transition tables' (funding.workflow):
each service takes its step through them (`step`: a missing capability is PermissionDenied, a state that does
not allow the step a ValidationError with the reason).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import numbering
from core.access import require
from core.stored import site_language

from .models import (
    BatchReversal,
    Budget,
    BudgetYearLock,
    PaymentBatch,
    Spending,
    Subsidy,
    SubsidyPayment,
    SubsidyPolicy,
)
from .subsidy import calculate, standard_lookup_for
from .workflow import BATCH, REVERSAL, SUBSIDY, check, payable, step

ZERO = Decimal("0.00")


def _save(obj, by, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


# --- Subsidies ---------------------------------------------------------------

def subsidy_year(case) -> int:
    """The year whose standards apply: the year the case was archived (or terminated)."""
    day = case.archived_on or case.terminated_on or case.graded_on or timezone.localdate()
    return day.year


def case_subsidy_ready(case) -> str | None:
    """None when the case may get a subsidy, else the reason why not."""
    if case.status == "archived":
        if not case.grade:
            return _("The case has no quality grade yet.")
        return None
    if case.status == "terminated":
        if not case.substantive_work:
            return _("A terminated case without substantive work gets no subsidy.")
        from cases.workflow import OBJECTION_PENDING, TERMINATION_OVERTURNED
        from core.workflow import matches

        if matches(case, OBJECTION_PENDING | TERMINATION_OVERTURNED):
            return _("An objection to the termination is before the justice bureau, or the termination was "
                     "overturned: the subsidy waits until the termination stands.")
        return None
    return _("Only an archived case (or a terminated case with substantive work) gets a subsidy; "
             "this case is “%(status)s”.") % {"status": case.get_status_display()}


def subsidy_blocks_resumption(sender, *, case, **kwargs) -> None:
    """cases.services.termination_revoking: a termination subsidy in a payment batch or paid stands in the way
    of resuming the aid (finance takes it out of the batch or reverses the payment first). A computed one may
    stay: it is not batched while the case is open, and is computed afresh when the case is graded."""
    subsidy = Subsidy.objects.filter(case_id=case.pk).first()
    if subsidy is not None and subsidy.status != Subsidy.Status.COMPUTED:
        raise ValidationError(_("The subsidy of this case is “%(status)s”: finance takes it out of its batch or "
                                "reverses its payment before legal aid resumes.")
                              % {"status": subsidy.get_status_display()})


def subsidy_on_grading(sender, *, case, by, **kwargs) -> None:
    """cases.services.case_graded: compute the subsidy of a case just graded; one that cannot be computed yet
    (no standard for the year, no handler) waits on finance's "cases awaiting a subsidy" list."""
    try:
        with transaction.atomic():
            _compute(case=case, by=by)  # the grading computes it, whoever grades: no capability of finance's
    except ValidationError:
        pass


@transaction.atomic
def subsidy_compute(*, case, by) -> Subsidy:
    """Create or recompute the subsidy of an archived, graded case (status computed)."""
    SUBSIDY.authorize(by, None, "compute")
    return _compute(case=case, by=by)


def _compute(*, case, by) -> Subsidy:
    from cases.models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    problem = case_subsidy_ready(case)
    if problem:
        raise ValidationError(problem)
    if case.handler_id is None:
        raise ValidationError(_("The case has no handler to pay."))
    subsidy = Subsidy.objects.select_for_update().select_related("case").filter(case=case).first()
    if subsidy:
        check(SUBSIDY, subsidy, "compute")
    year = subsidy_year(case)
    with site_language():  # the lines are stored: in the site's language, whoever computes
        amount, lines = calculate(case, standard_lookup_for(year), SubsidyPolicy.objects.filter(year=year).first())
    if amount < 0:  # a policy or standard entered wrong: no subsidy is a negative amount
        raise ValidationError(_("The standards and policy of %(year)s give a negative subsidy (%(amount)s); ask the "
                                "administrator to correct them.") % {"year": year, "amount": amount})
    if subsidy is None:
        subsidy = Subsidy(case=case)
    subsidy.handler_id = case.handler_id
    subsidy.computed_amount = amount
    subsidy.amount = amount
    subsidy.adjustment_reason = ""
    subsidy.lines = [line.as_dict() for line in lines]
    subsidy.status = SUBSIDY["compute"].target
    with site_language():
        reason = _("computed")
    _save(subsidy, by, reason)
    return subsidy


@transaction.atomic
def subsidy_adjust(*, subsidy, amount, reason: str, by) -> Subsidy:
    SUBSIDY.authorize(by, subsidy, "adjust")
    subsidy = Subsidy.objects.select_for_update().get(pk=subsidy.pk)
    check(SUBSIDY, subsidy, "adjust")
    amount = Decimal(amount)
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the adjustment."))
    subsidy.amount = amount.quantize(Decimal("0.01"))
    subsidy.adjustment_reason = reason
    _save(subsidy, by, reason)
    return subsidy


def compute_all(*, cases, by) -> tuple[int, list[str]]:
    """Compute every given case in one transaction; a case that cannot be computed is reported, not fatal."""
    SUBSIDY.authorize(by, None, "compute")
    done, problems = 0, []
    with transaction.atomic():
        for case in cases:
            try:
                with transaction.atomic():
                    _compute(case=case, by=by)
                done += 1
            except ValidationError as exc:
                problems.append(f"{case.number}：{'；'.join(exc.messages)}")
    return done, problems


# --- Payment batches ---------------------------------------------------------

@transaction.atomic
def batch_create(*, subsidies, by, title: str = "", zero_reason: str = "", vouchers_per: str = "") -> PaymentBatch:
    """A batch of computed subsidies. A subsidy of 0.00 (e.g. a case graded 不合格) goes in only by an explicit
    choice with its reason, kept in the subsidy's history."""
    step(BATCH, by, None, "create")
    SUBSIDY.authorize(by, None, "batch")
    ids = [s.pk for s in subsidies]
    if not ids:
        raise ValidationError(_("Select at least one computed subsidy."))
    # The cases first (in the order of their numbers), then their subsidies: the order of a recompute (_compute)
    # and of a grading, so a batch made while a subsidy is recomputed waits for it instead of deadlocking.
    from cases.models import Case

    list(Case.objects.select_for_update().filter(pk__in=Subsidy.objects.filter(pk__in=ids).values("case_id"))
         .order_by("pk").values_list("pk", flat=True))
    locked = list(Subsidy.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("case")
                  .order_by("pk"))
    not_ready = [s.case.number for s in locked if not SUBSIDY.enabled(s, "batch")]
    if not_ready or len(locked) != len(set(ids)):
        raise ValidationError(_("These subsidies cannot go in a batch (already in one or paid, or their case is "
                                "open again): %(cases)s")
                              % {"cases": "、".join(not_ready) or "—"})
    zero = [s.case.number for s in locked if s.amount == 0]
    zero_reason = (zero_reason or "").strip()
    if zero and not zero_reason:
        raise ValidationError(_("These subsidies are 0.00 yuan: %(cases)s. Give the reason for putting them in "
                                "a batch, or leave them out.") % {"cases": "、".join(zero)})
    if vouchers_per and vouchers_per not in PaymentBatch.VouchersPer.values:
        raise ValidationError(_("Choose one voucher per handler or one per firm."))
    today = timezone.localdate()
    batch = PaymentBatch(number=numbering.issue_document_number(kind="batch", year=today.year),
                         title=title, created_by=by, vouchers_per=vouchers_per or last_vouchers_per())
    _save(batch, by)
    for subsidy in locked:
        subsidy.batch = batch
        subsidy.status = SUBSIDY["batch"].target
        _save(subsidy, by, zero_reason if subsidy.amount == 0 else "")
    return batch


def subsidy_earned_on(case) -> date | None:
    """The day the case's subsidy came to be (DOMAIN §7: computed once the archive passes and the grade is set;
    for a termination with substantive work, its date): no payment of it is dated earlier."""
    days = [d for d in (case.archived_on, case.graded_on, case.terminated_on) if d]
    return max(days) if days else None


def last_vouchers_per() -> str:
    """The center's way of paying, as a setting that follows use: the choice of the latest batch."""
    last = PaymentBatch.objects.order_by("-created_at", "-pk").values_list("vouchers_per", flat=True).first()
    return last or PaymentBatch.VouchersPer.HANDLER


@transaction.atomic
def batch_pay(*, batch, paid_on: date, by) -> Spending:
    """Mark a batch paid on a date: its subsidies paid, one spending entry posted. Never twice."""
    BATCH.authorize(by, batch, "pay")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    check(BATCH, batch, "pay")  # paid once; a batch without subsidies is not paid
    subsidies = list(Subsidy.objects.select_for_update(of=("self",)).filter(batch=batch)
                     .select_related("case", "handler").order_by("pk"))
    already = [s.case.number for s in subsidies if s.status not in SUBSIDY["pay"].sources]
    if already:
        raise ValidationError(_("These subsidies were already paid: %(cases)s") % {"cases": "、".join(already)})
    refused = [s for s in subsidies if not payable(s)]
    contested = [s.case.number for s in refused if s.case.status == "terminated" and s.case.substantive_work]
    if contested:
        raise ValidationError(_("The termination of these cases is before the justice bureau on an objection, or "
                                "was overturned: their subsidies wait until the termination stands: %(cases)s")
                              % {"cases": "、".join(contested)})
    if refused:
        raise ValidationError(_("These cases are not archived, so their subsidies cannot be paid: %(cases)s")
                              % {"cases": "、".join(s.case.number for s in refused)})
    check_not_future(paid_on, _("The date of payment"))
    check_year_open(paid_on)
    early = [f"{s.case.number}（{day.isoformat()}）" for s in subsidies
             if (day := subsidy_earned_on(s.case)) and paid_on < day]
    if early:
        raise ValidationError(_("The payment cannot be dated before the subsidy existed: these cases were archived, "
                                "graded or terminated later: %(cases)s") % {"cases": "、".join(early)})
    total = sum((s.amount for s in subsidies), ZERO)
    for subsidy in subsidies:
        subsidy.status = SUBSIDY["pay"].target
        subsidy.paid_on = paid_on
        _save(subsidy, by)
        _save(SubsidyPayment(subsidy=subsidy, batch=batch, kind=SubsidyPayment.Kind.PAYMENT, amount=subsidy.amount,
                             payee_firm_id=subsidy.handler.provider_id if subsidy.handler_id else None,
                             case_count=1, date=paid_on, by=by), by)
    batch.status = BATCH["pay"].target
    batch.paid_on = paid_on
    _save(batch, by)
    with site_language():
        description = (_("Case subsidies, batch %(number)s (%(n)s cases)")
                       % {"number": batch.number, "n": len(subsidies)})
    spending = Spending(date=paid_on, category="case_subsidy", amount=total, batch=batch, created_by=by,
                        description=description)
    _save(spending, by)
    return spending


@transaction.atomic
def batch_remove_subsidy(*, batch, subsidy, by) -> None:
    """Take a subsidy out of an unpaid batch (back to computed)."""
    BATCH.authorize(by, batch, "remove")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    check(BATCH, batch, "remove")
    subsidy = Subsidy.objects.select_for_update().get(pk=subsidy.pk, batch=batch)
    check(SUBSIDY, subsidy, "unbatch")
    subsidy.batch = None
    subsidy.status = SUBSIDY["unbatch"].target
    _save(subsidy, by)


# --- Reversal (红字冲销) ----------------------------------------------------------
# A paid line is never edited or deleted: finance asks with a reason, the director approves, and approval
# posts a negative spending entry dated that day, a negative payment line per subsidy, and puts the
# subsidies back to payable (computed, out of the batch) so that a corrected payment is a new batch.

def _open_lines(batch) -> list[SubsidyPayment]:
    """The batch's payment lines not yet reversed."""
    return list(SubsidyPayment.objects.select_for_update(of=("self",)).filter(
        batch=batch, kind=SubsidyPayment.Kind.PAYMENT, reversal_line__isnull=True).order_by("pk"))


@transaction.atomic
def reversal_request(*, batch, payments, reason: str, by) -> BatchReversal:
    """Finance asks to reverse some paid lines of a batch (the whole batch, one payee's, or one line)."""
    REVERSAL.authorize(by, None, "request")
    BATCH.authorize(by, batch, "reverse")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    check(BATCH, batch, "reverse")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the reversal."))
    ids = {p.pk for p in payments}
    if not ids:
        raise ValidationError(_("Select the lines to reverse."))
    open_lines = {p.pk: p for p in _open_lines(batch)}
    if not ids <= set(open_lines):
        raise ValidationError(_("Some of the selected lines are not paid lines of this batch, or were already "
                                "reversed."))
    pending = BatchReversal.payments.through.objects.filter(
        batchreversal__batch=batch, batchreversal__status=BatchReversal.Status.REQUESTED, subsidypayment_id__in=ids)
    if pending.exists():
        raise ValidationError(_("A reversal of some of these lines is already awaiting the director's approval."))
    reversal = BatchReversal(batch=batch, reason=reason, requested_by=by)
    _save(reversal, by, reason)
    reversal.payments.set([open_lines[i] for i in sorted(ids)])
    return reversal


@transaction.atomic
def reversal_approve(*, reversal, by) -> Spending:
    """The director approves: the reversal is executed at once, dated today."""
    REVERSAL.authorize(by, reversal, "approve")
    reversal = BatchReversal.objects.select_for_update().select_related("batch").get(pk=reversal.pk)
    check(REVERSAL, reversal, "approve")
    if reversal.requested_by_id == by.pk:  # a rule of the four eyes, not a missing capability: a message
        raise ValidationError(_("A reversal is approved by someone other than the person who asked for it."))
    batch = PaymentBatch.objects.select_for_update().get(pk=reversal.batch_id)
    step(BATCH, by, batch, "approve_reversal")
    lines = list(reversal.payments.select_for_update().order_by("pk"))
    open_ids = {p.pk for p in _open_lines(batch)}
    if not lines or any(p.pk not in open_ids for p in lines):
        raise ValidationError(_("Some of these lines were already reversed."))
    today = timezone.localdate()
    check_year_open(today)
    posted = batch.spending.filter(reverses__isnull=True).first()
    total = sum((p.amount for p in lines), ZERO)
    reversal.status = REVERSAL["approve"].target
    reversal.decided_by, reversal.decided_at = by, timezone.now()
    with site_language():
        description = (_("Reversal (红字冲销) of batch %(number)s (%(n)s cases)")
                       % {"number": batch.number, "n": len(lines)})
        reversed_reason = _("reversed: %(reason)s") % {"reason": reversal.reason}
    spending = Spending(date=today, category="case_subsidy", amount=-total, batch=batch, reverses=posted,
                        reason=reversal.reason, created_by=by, description=description)
    _save(spending, by, reversal.reason)
    reversal.spending = spending
    _save(reversal, by, reversal.reason)
    subsidies = {s.pk: s for s in Subsidy.objects.select_for_update().filter(pk__in=[p.subsidy_id for p in lines])}
    for line in lines:
        _save(SubsidyPayment(subsidy_id=line.subsidy_id, batch=batch, kind=SubsidyPayment.Kind.REVERSAL,
                             amount=-line.amount, case_count=-1, date=today, reverses=line,
                             payee_firm_id=line.payee_firm_id,
                             reversal=reversal, reason=reversal.reason, by=reversal.requested_by, approved_by=by), by)
        subsidy = subsidies[line.subsidy_id]
        check(SUBSIDY, subsidy, "reverse")
        subsidy.status, subsidy.batch, subsidy.paid_on = SUBSIDY["reverse"].target, None, None
        _save(subsidy, by, reversed_reason)
    if not _open_lines(batch):  # the last paid lines: the batch is reversed (BATCH["approve_reversal"].target)
        batch.status = BATCH["approve_reversal"].target
        _save(batch, by, reversal.reason)
    return spending


@transaction.atomic
def reversal_decline(*, reversal, by) -> BatchReversal:
    REVERSAL.authorize(by, reversal, "decline")
    reversal = BatchReversal.objects.select_for_update().get(pk=reversal.pk)
    check(REVERSAL, reversal, "decline")
    reversal.status = REVERSAL["decline"].target
    reversal.decided_by, reversal.decided_at = by, timezone.now()
    _save(reversal, by)
    return reversal


# --- Duty subsidies ----------------------------------------------------------

def duty_subsidy_rows(*, start: date, end: date, policy) -> tuple[list[dict], Decimal]:
    """Per handler: duty days × the duty-lawyer rate + consultation-duty days × the consultation rate."""
    from .selectors import duty_days

    rows, total = [], ZERO
    for row in duty_days(start, end):
        amount = (policy.duty_day_rate * row["duty"] + policy.consultation_day_rate * row["consultation"]) \
            .quantize(Decimal("0.01"))
        rows.append({**row, "amount": amount})
        total += amount
    return rows, total


DUTY_POSTING = "duty:"  # the import_fingerprint prefix of a month's duty subsidies posted from the roster


def duty_fingerprint(year: int, month: int) -> str:
    return f"{DUTY_POSTING}{year}-{month:02d}"


def duty_month_refusal(year: int, month: int) -> str:
    """Why the month's duty subsidies cannot be posted yet, or "": only a month that has ended (DOMAIN §7, per day
    served; money never dated after today). A month posts once, so posting it early would pay days planned on
    the roster but not yet served, and never pay a day added to it later."""
    end, today = date(year, month, calendar.monthrange(year, month)[1]), timezone.localdate()
    if date(year, month, 1) > today:
        return _("A month that has not begun cannot be posted.")
    if end >= today:
        return _("The duty days of %(year)s-%(month)02d are not all served yet: the month can be posted from "
                 "%(day)s.") % {"year": year, "month": month, "day": (end + timedelta(days=1)).isoformat()}
    return ""


@transaction.atomic
def duty_subsidy_post(*, year: int, month: int, by) -> Spending:
    """Post one month's duty subsidies as one spending entry (category 值班补贴), once per month."""
    require(by, "payment_manage")
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    refusal = duty_month_refusal(year, month)
    if refusal:
        raise ValidationError(refusal)
    policy = SubsidyPolicy.objects.filter(year=year).first()
    if policy is None:
        raise ValidationError(_("There is no subsidy policy for this year; ask the administrator to add one."))
    # Lock the policy row so two people posting the same month queue up behind each other.
    SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    fingerprint = duty_fingerprint(year, month)
    if Spending.objects.filter(import_fingerprint=fingerprint).exists():
        raise ValidationError(_("The duty subsidies of %(year)s-%(month)02d were already posted.")
                              % {"year": year, "month": month})
    rows, total = duty_subsidy_rows(start=start, end=end, policy=policy)
    if not total:
        raise ValidationError(_("Nobody was on duty in this month."))
    check_year_open(end)
    with site_language():
        description = (_("Duty subsidies %(year)s-%(month)02d (%(n)s people)")
                       % {"year": year, "month": month, "n": len(rows)})
    spending = Spending(date=end, category="duty_subsidy", amount=total, created_by=by,
                        import_fingerprint=fingerprint, description=description)
    _save(spending, by)
    return spending


# --- Budgets and spending ----------------------------------------------------

def check_not_future(day: date, what: str) -> None:
    """Money is dated honestly: nothing is paid, spent or received after today (Asia/Shanghai)."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(_("%(what)s cannot be after today (%(today)s).")
                              % {"what": what, "today": today.isoformat()})


def check_budget_year(year: int) -> None:
    """A budget may be entered for next year (approved in advance), not later."""
    today = timezone.localdate()
    if year > today.year + 1:
        raise ValidationError(_("A budget can be entered up to next year (%(year)s).") % {"year": today.year + 1})


def check_year_open(day: date) -> None:
    if BudgetYearLock.objects.filter(year=day.year).exists():
        raise ValidationError(_("Budget year %(year)s is closed; no more spending can be entered in it.")
                              % {"year": day.year})


def _check_money(amount) -> Decimal:
    try:
        amount = Decimal(amount)
    except Exception as exc:  # noqa: BLE001 - any unparsable value is bad input
        raise ValidationError(_("Enter an amount in yuan.")) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def spending_create(*, date: date, category: str, amount, description: str = "", by) -> Spending:
    require(by, "funding_manage")
    check_not_future(date, _("The date of spending"))
    check_year_open(date)
    if category == "case_subsidy":
        raise ValidationError(_("Case subsidies are posted by paying a batch, not entered by hand."))
    spending = Spending(date=date, category=category, amount=_check_money(amount), description=description,
                        created_by=by)
    _save(spending, by)
    return spending


@transaction.atomic
def spending_update(*, spending, date: date, category: str, amount, description: str, reason: str = "",
                    by) -> Spending:
    require(by, "funding_manage")
    spending = Spending.objects.select_for_update().get(pk=spending.pk)
    problem = spending_edit_refusal(spending)
    if problem:
        raise ValidationError(problem)
    check_not_future(date, _("The date of spending"))
    check_year_open(spending.date)
    check_year_open(date)
    if category == "case_subsidy":
        raise ValidationError(_("Case subsidies are posted by paying a batch, not entered by hand."))
    spending.date, spending.category, spending.description = date, category, description
    spending.amount = _check_money(amount)
    _save(spending, by, reason)
    return spending


@transaction.atomic
def budget_create(*, year: int, source: str, amount, note: str = "", by) -> Budget:
    require(by, "funding_manage")
    check_budget_year(year)
    budget = Budget(year=year, source=source, amount=_check_money(amount), note=note)
    _save(budget, by)
    return budget


@transaction.atomic
def budget_update(*, budget, year: int, source: str, amount, note: str, reason: str = "", by) -> Budget:
    require(by, "funding_manage")
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    check_budget_year(year)
    budget.year, budget.source, budget.note = year, source, note
    budget.amount = _check_money(amount)
    _save(budget, by, reason)
    return budget


def spending_edit_refusal(spending) -> str:
    """Why a spending entry may not be edited by hand, or "" when it may: only a manual entry, on the day it
    was entered (a slip of the keyboard); from the next day the books show it, and a wrong entry is corrected
    by a correcting entry (红字冲销) instead."""
    if spending.batch_id:
        return _("A subsidy posting is changed only through its batch.")
    if (spending.import_fingerprint or "").startswith(DUTY_POSTING):
        return _("A month's duty subsidies are posted from the duty roster and not edited by hand.")
    if spending.reverses_id or spending.reversals.exists():
        return _("A corrected entry and its correcting entry are not edited.")
    if spending.created_at is None or timezone.localdate(spending.created_at) != timezone.localdate():
        return _("An entry can be edited only on the day it was entered; correct it with a correcting entry.")
    return ""


@transaction.atomic
def spending_correct(*, spending, reason: str, by) -> Spending:
    """A wrong manual entry is corrected, not edited away: a correcting entry of the negative amount, dated
    today, names the entry it corrects and why. The right amount, if any, is then entered anew."""
    require(by, "funding_manage")
    spending = Spending.objects.select_for_update().get(pk=spending.pk)
    if spending.batch_id:
        raise ValidationError(_("A subsidy posting is corrected only by reversing its batch."))
    if spending.reverses_id:
        raise ValidationError(_("A correcting entry is not corrected again."))
    if spending.reversals.exists():
        raise ValidationError(_("This entry was already corrected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    today = timezone.localdate()
    check_year_open(today)
    with site_language():
        description = _("Correction (红字冲销) of the entry of %(day)s") % {"day": spending.date.isoformat()}
    correction = Spending(date=today, category=spending.category, amount=-spending.amount, reverses=spending,
                          reason=reason, created_by=by, description=description)
    _save(correction, by, reason)
    return correction
