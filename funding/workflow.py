"""The money side's transition tables (issue 15.1; DOMAIN.md §7, §9): the subsidy, the payment batch and the
reversal request (红字冲销).

A subsidy is computed from its case (and recomputed or adjusted while it is only computed), put in a batch,
paid with its batch, and, when a paid line is reversed, goes back to computed to be paid in a new batch. A
batch is created open, loses lines while open, is paid once (which issues the 领款凭单 and posts one spending
entry), and has paid lines reversed by a request that the director approves or declines; when its last paid
line is reversed the batch is reversed.

Read by: the services (`step`: `authorize` then `check`, with the money side's own refusal messages), the
batch and subsidy pages' buttons (`offered`), their next-step hint (`next_step`), the 工作台 panels and the
menu badge (`phase_q`, `todo_q`). No step of the money side has a deadline (`starts`/`stops` are empty), so
the overdue and due-soon filters of these tables are empty.

`NEW` ("") is the state of a record that does not exist yet: a step from `NEW` creates it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import TerminationObjection
from core.workflow import Phase, Step, Workflow, matches, row_among, row_exists

from .models import BatchReversal, PaymentBatch, Subsidy, SubsidyPayment

S, B, R = Subsidy.Status, PaymentBatch.Status, BatchReversal.Status
NEW = ""  # the record does not exist yet


# --- guards -----------------------------------------------------------------------------

def _termination_contested():
    """The subsidy's case has an objection to its termination awaiting the justice bureau, or a termination the
    bureau overturned and the center has not yet revoked (cases.workflow OBJECTION_PENDING,
    TERMINATION_OVERTURNED, as funding.selectors.cases_awaiting_subsidy reads them): few rows, by their keys."""
    outcome = TerminationObjection.Outcome
    contested = Q(outcome=outcome.PENDING) | Q(outcome=outcome.OVERTURNED, resumed_on__isnull=True)
    return row_among(TerminationObjection.objects.filter(contested).values("case_id"),
                     lambda s: TerminationObjection.objects.filter(contested, case_id=s.case_id).exists(),
                     field="case_id")


# A subsidy is paid only for an archived case, or a terminated one with substantive work whose termination stands
# (not under objection, not overturned): "the subsidy waits until the termination stands".
PAYABLE = Q(case__status="archived") | (Q(case__status="terminated", case__substantive_work=True)
                                        & ~Q(_termination_contested()))


def _lines_of(batch):
    return Subsidy.objects.filter(batch=batch)


def _pending_payment_ids():
    return (BatchReversal.payments.through.objects.filter(batchreversal__status=R.REQUESTED)
            .values("subsidypayment_id"))


def reversible_lines(batch):
    """The paid lines of a batch that may still be reversed: not reversed, not awaiting approval."""
    return (SubsidyPayment.objects.filter(batch=batch, kind=SubsidyPayment.Kind.PAYMENT, reversal_line__isnull=True)
            .exclude(pk__in=_pending_payment_ids()))


def _pending_reversals(batch):
    return BatchReversal.objects.filter(batch=batch, status=R.REQUESTED)


HAS_LINES = Q(row_exists(_lines_of(OuterRef("pk")), lambda b: _lines_of(b.pk).exists()))
REVERSIBLE = Q(row_exists(reversible_lines(OuterRef("pk")), lambda b: reversible_lines(b.pk).exists()))
REVERSAL_PENDING = Q(row_exists(_pending_reversals(OuterRef("pk")), lambda b: _pending_reversals(b.pk).exists()))


def _can(capability: str):
    return lambda user: Q() if user.is_authenticated and user.can(capability) else None


# --- the subsidy ------------------------------------------------------------------------

SUBSIDY = Workflow("subsidy", "status", Subsidy.Status, [
    Step("compute", _("Recompute"), (NEW, S.COMPUTED), S.COMPUTED, "subsidy_manage"),
    Step("adjust", _("Adjust"), (S.COMPUTED,), "", "subsidy_adjust"),
    # A case whose termination was overturned is open again: its computed subsidy waits (DOMAIN §7).
    Step("batch", _("Put in a payment batch"), (S.COMPUTED,), S.BATCHED, "payment_manage", guard=PAYABLE,
         blocked=_("The case of this subsidy is neither archived nor terminated with substantive work.")),
    Step("unbatch", _("Take out of batch"), (S.BATCHED,), S.COMPUTED, "payment_manage"),
    Step("pay", _("Mark paid"), (S.BATCHED,), S.PAID, "payment_manage", guard=PAYABLE),
    Step("reverse", _("Approve and reverse"), (S.PAID,), S.COMPUTED, "subsidy_adjust"),
], [
    Phase("awaiting_batch", _("Computed, waiting to be batched"), Q(status=S.COMPUTED) & PAYABLE, "batch",
          hint=_("Put it in a payment batch."), todo=_can("payment_manage")),
    Phase("awaiting_payment", _("In a batch, waiting to be paid"), Q(status=S.BATCHED), "pay",
          hint=_("Mark its batch paid when the money is sent."), todo=_can("payment_manage")),
])


# --- the payment batch ------------------------------------------------------------------

BATCH = Workflow("batch", "status", PaymentBatch.Status, [
    Step("create", _("New batch"), (NEW,), B.OPEN, "payment_manage"),
    Step("remove", _("Take out of batch"), (B.OPEN,), "", "payment_manage"),
    Step("pay", _("Mark paid"), (B.OPEN,), B.PAID, "payment_manage", guard=HAS_LINES, issues="voucher",
         blocked=_("The batch has no subsidies.")),
    Step("reverse", _("Ask to reverse"), (B.PAID,), "", "payment_manage", guard=REVERSIBLE,
         blocked=_("Every paid line of this batch is reversed or already awaiting the director's approval.")),
    # Approving a reversal of the batch's last paid lines reverses the batch; of some of them, it stays paid.
    Step("approve_reversal", _("Approve and reverse"), (B.PAID,), B.REVERSED, "subsidy_adjust",
         guard=REVERSAL_PENDING, blocked=_("No reversal of this batch awaits approval.")),
], [
    Phase("reversal_pending", _("A reversal awaits the director's approval"), Q(status=B.PAID) & REVERSAL_PENDING,
          "approve_reversal", hint=_("A reversal of paid lines awaits the director's approval."),
          todo=_can("subsidy_adjust")),
    Phase("awaiting_payment", _("Prepared, waiting to be paid"), Q(status=B.OPEN), "pay",
          hint=_("Print the vouchers, send the money, then mark the batch paid."), todo=_can("payment_manage")),
])


# --- the reversal request (红字冲销) --------------------------------------------------------

REVERSAL = Workflow("reversal", "status", BatchReversal.Status, [
    Step("request", _("Ask to reverse"), (NEW,), R.REQUESTED, "payment_manage"),
    Step("approve", _("Approve and reverse"), (R.REQUESTED,), R.APPROVED, "subsidy_adjust"),
    Step("decline", _("Decline"), (R.REQUESTED,), R.DECLINED, "subsidy_adjust"),
], [
    Phase("awaiting_approval", _("Awaiting the director's approval"), Q(status=R.REQUESTED), "approve",
          hint=_("Approve or decline the reversal."), todo=_can("subsidy_adjust")),
], refusal=_("This reversal was already %(status)s."))

WORKFLOWS = (SUBSIDY, BATCH, REVERSAL)


# --- the money side's refusals ---------------------------------------------------------------
# A step refused in a state it does not start from says why in the money side's own words.

def _refusal(workflow: Workflow, action: str, record) -> str | None:
    if workflow is SUBSIDY and action == "compute":
        return gettext("The subsidy of case %(case)s is already in a batch or paid; it cannot be recomputed.") \
            % {"case": record.case.number}
    if workflow is SUBSIDY and action == "adjust":
        return gettext("A subsidy in a batch or paid cannot be adjusted.")
    if workflow is BATCH and action == "pay":
        return gettext("Batch %(number)s was already paid on %(day)s; it cannot be paid twice.") \
            % {"number": record.number, "day": record.paid_on}
    if workflow is BATCH and action == "remove":
        return gettext("A paid batch cannot be changed.")
    if workflow is BATCH and action == "reverse":
        return gettext("Only a paid batch can be reversed; batch %(number)s is “%(status)s”.") \
            % {"number": record.number, "status": record.get_status_display()}
    return None


def check(workflow: Workflow, record, action: str) -> None:
    """`workflow.check`, with the money side's message for a state the step does not start from."""
    step = workflow[action]
    if step.sources and workflow.state(record) not in step.sources:
        message = _refusal(workflow, action, record)
        if message:
            raise ValidationError(message)
    workflow.check(record, action)


def step(workflow: Workflow, user, record, action: str) -> None:
    """Refuse (403) a user the table does not let take `action`, then (a message) a state that does not allow
    it. `record` None: the step creates the record."""
    workflow.authorize(user, record, action)
    if record is not None:
        check(workflow, record, action)


def payable(subsidy) -> bool:
    """The guard of paying a subsidy, on one loaded subsidy (its case loaded)."""
    return matches(subsidy, SUBSIDY["pay"].guard)


# --- what the pages read -----------------------------------------------------------------------

def batch_offered(user, batch) -> dict[str, bool]:
    return BATCH.offered(user, batch)


def subsidy_offered(user, subsidy) -> dict[str, bool]:
    return SUBSIDY.offered(user, subsidy)


def reversal_offered(user, reversal) -> dict[str, bool]:
    return REVERSAL.offered(user, reversal)
