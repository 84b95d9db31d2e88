"""The case workflow as one table (issue 15.1; DOMAIN.md §6).

Every action on a case is a `Step` here: the states it starts from and leads to, who may take it, its guard,
the deadline it starts and stops, the document it issues. The states that matter to users (awaiting
assignment, awaiting approval, agreement to sign, file to submit, file to review, grade, notice to the organ)
are the `Phase`s, most specific first. Read by: the services (`check`, `authorize`), the detail page's buttons
(`actions`), the next-step hint, the overdue and due-soon filters and the to-dos (`cases.selectors`,
`cases.home`, notifications), the state inferred from a ledger's dates (`status_from_dates`) and the state at
a past date of the indicators (`ENTERED_ON`).

Adding a step: one `Step` row (and a `Phase` if it waits for someone), its service in services.py, its form
and template.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Phase, Step, Workflow, matches, row_among

from .models import Assignment, AssignmentProposal, Case, StageChange, TerminationObjection

S = Case.Status
OPEN = (S.AWAITING, S.ASSIGNED)

# The date each state is entered on (a state at a past date is the last one entered by then).
ENTERED_ON = {S.ASSIGNED: "assigned_on", S.CLOSED: "closed_on", S.ARCHIVED: "archived_on",
              S.TERMINATED: "terminated_on"}
LIFECYCLE = (S.AWAITING, S.ASSIGNED, S.CLOSED, S.ARCHIVED)  # in order; termination can end any open state


# --- who ------------------------------------------------------------------------------

def is_own_handler(user, case: Case) -> bool:
    return bool(user and user.is_authenticated and case.handler_id and case.handler.user_id == user.pk
                and user.can("case_work"))


def may_work_on(user, case: Case) -> bool:
    """The case's own handler, or center staff who assign cases (recording on the handler's behalf)."""
    return is_own_handler(user, case) or bool(user and user.is_center and user.can("case_assign"))


def approval_required() -> bool:
    """Whether this center has a clerk propose the handler and a reviewer approve it."""
    from core.models import CenterProfile

    return CenterProfile.get().assignment_approval


def may_approve(user) -> bool:
    return bool(user and user.is_authenticated and user.is_center and user.can("assignment_approve"))


def may_assign_directly(user) -> bool:
    """Whoever assigns cases, unless approval is on: then only those who approve assignments."""
    if user is None or not user.can("case_assign"):
        return False
    return not approval_required() or user.can("assignment_approve")


def may_propose(user) -> bool:
    """Proposing is the step of those who assign cases but may not assign directly while approval is on."""
    return bool(user.is_center and user.can("case_assign") and approval_required()
                and not user.can("assignment_approve"))


def _handler(user) -> bool:
    """A handler's own cases (not center staff who see every case)."""
    return user.can("case_work") and not user.can("case_view_all")


def _center(capability: str):
    return lambda user: user.is_center and user.can(capability)


# --- guards ---------------------------------------------------------------------------

def _has_pending_proposal(case: Case) -> bool:
    known = getattr(case, "awaiting_approval", None)  # annotated by the lists (selectors.with_approval)
    if known is not None:
        return known
    return case.assignment_proposals.filter(status=AssignmentProposal.Status.PENDING).exists()


def pending_proposal_exists():
    """Whether a case has a proposed handler awaiting a reviewer's approval (CenterProfile.assignment_approval)."""
    return row_among(AssignmentProposal.objects.filter(status=AssignmentProposal.Status.PENDING).values("case_id"),
                     _has_pending_proposal)


def _objection_row(**lookup):
    """Whether the case has an objection to its termination matching `lookup` (Art. 49): few at any time, found
    by their keys; on one loaded case, one query (or the `termination_objection_<state>` annotation)."""
    def row_test(case: Case) -> bool:
        prefetched = getattr(case, "_prefetched_objects_cache", {}).get("termination_objections")
        if prefetched is not None:  # the detail page has them
            return any(matches(o, Q(**lookup)) for o in prefetched)
        return TerminationObjection.objects.filter(case_id=case.pk, **lookup).exists()

    return row_among(TerminationObjection.objects.filter(**lookup).values("case_id"), row_test)


# An objection to the current termination: one not consumed by a resumption (a termination upheld stays so).
OBJECTED = Q(_objection_row(resumed_on__isnull=True))
OBJECTION_PENDING = Q(_objection_row(outcome=TerminationObjection.Outcome.PENDING))
TERMINATION_OVERTURNED = Q(_objection_row(outcome=TerminationObjection.Outcome.OVERTURNED, resumed_on__isnull=True))

def _letters(**lookup):
    """Whether an assigned case owes a 法律援助公函 matching `lookup` (on `letter_due`): numbered, not recorded as
    sent, of its current assignment (the organ is told who defends, Art. 36; a change of handler issues the new
    handler's) or of one of its changes of stage (the new stage's organ). Few at any time, found by their keys
    (`row_among`); on one loaded case, one query per kind of letter."""
    owed = {"letter_sent_on__isnull": True, **lookup}
    assignments = Assignment.objects.filter(ended_on__isnull=True, **owed).exclude(letter_number="")
    stages = StageChange.objects.filter(**owed).exclude(letter_number="")

    def among(letters):
        return row_among(letters.filter(case__status=S.ASSIGNED).values("case_id"),
                         lambda case: letters.filter(case_id=case.pk).exists())

    return Q(among(assignments)) | Q(among(stages))


# A letter the center still owes the notifying organ: while the case is in progress (once it is closed or
# terminated the organ is told by the closing or the termination notice instead).
LETTER_OWED = Q(status=S.ASSIGNED) & _letters()


def letters_overdue_q(today: date) -> Q:
    """Cases with a 法律援助公函 past its due date and not sent (DOMAIN §5: assign and send within 3 days)."""
    return Q(status=S.ASSIGNED) & _letters(letter_due__lt=today)


def letters_due_soon_q(today: date, days: int) -> Q:
    return Q(status=S.ASSIGNED) & _letters(letter_due__range=(today, today + timedelta(days=days)))


NOT_SIGNED = Q(agreement_signed_on__isnull=True)
FILE_IN = Q(file_submitted_on__isnull=False)
NOTICE_OWED = Q(termination_notify_due__isnull=False, termination_notified_on__isnull=True)

# --- the table ------------------------------------------------------------------------

_work = {"who": lambda u, c: may_work_on(u, c)}
_quality = {"capability": "quality_manage", "center_only": True}

STEPS = [
    Step("assign", _("Assign a handler"), (S.AWAITING,), S.ASSIGNED, "case_assign", True,
         who=lambda u, c: may_assign_directly(u), starts="agreement_due", stops="assign_due", issues="assignment"),
    Step("propose", _("Propose a handler"), (S.AWAITING,), "", "case_assign", True, who=lambda u, c: may_propose(u)),
    Step("approve", _("Approve or return the proposed handler"), (S.AWAITING,), S.ASSIGNED, "assignment_approve",
         True, guard=Q(pending_proposal_exists()), starts="agreement_due", stops="assign_due", issues="assignment"),
    Step("change_handler", _("Change of handler"), (S.ASSIGNED,), "", "case_assign", True,
         who=lambda u, c: may_assign_directly(u), starts="agreement_due", issues="assignment"),
    Step("propose_change", _("Propose a change of handler"), (S.ASSIGNED,), "", "case_assign", True,
         who=lambda u, c: may_propose(u), guard=~Q(pending_proposal_exists()),
         blocked=_("A proposal for this case is already awaiting approval.")),
    Step("approve_change", _("Approve or return the proposed change of handler"), (S.ASSIGNED,), "",
         "assignment_approve", True, guard=Q(pending_proposal_exists()), starts="agreement_due", issues="assignment",
         blocked=_("No change of handler awaits approval on this case.")),
    Step("agreement", _("Record the signed aid agreement"), (S.ASSIGNED,), **_work, guard=NOT_SIGNED,
         stops="agreement_due", blocked=_("The aid agreement of the current assignment is already recorded.")),
    Step("progress", _("Record work on the case"), (S.ASSIGNED, S.CLOSED), **_work),
    Step("attach", _("Upload a document"), (S.AWAITING, S.ASSIGNED, S.CLOSED), **_work),
    Step("close", _("Close the case"), (S.ASSIGNED,), S.CLOSED, **_work, starts="file_due", issues="closing_report"),
    Step("submit_file", _("Submit the case file"), (S.CLOSED,), **_work, guard=~FILE_IN, stops="file_due",
         starts="archive_due", blocked=_("The file has already been submitted and awaits review.")),
    Step("archive_review", _("Archive review"), (S.CLOSED,), S.ARCHIVED, "case_archive_review", True,
         guard=FILE_IN, stops="archive_due", blocked=_("The handler has not submitted the file yet.")),
    Step("grade", _("Grade the case"), (S.ARCHIVED,), "", **_quality, guard=Q(grade=""),
         blocked=_("The case is already graded (its subsidy follows the grade).")),
    Step("terminate", _("Terminate legal aid"), OPEN, S.TERMINATED, "case_terminate", True,
         stops="assign_due", starts="termination_notify_due", issues="termination"),
    Step("termination_notice", _("Notify the organ of the termination"), (S.TERMINATED,), "", "case_assign", True,
         guard=NOTICE_OWED, stops="termination_notify_due",
         blocked=_("Only a terminated criminal case has a notice to the organ to record.")),
    Step("object", _("Record an objection to the termination"), (S.TERMINATED,), "", "case_assign", True,
         guard=~OBJECTED, blocked=_("An objection to this termination is already recorded; the justice bureau's "
                                    "decision on it is final.")),
    Step("objection_outcome", _("Record the justice bureau's decision on the objection"), (S.TERMINATED,), "",
         "case_terminate", True, guard=OBJECTION_PENDING,
         blocked=_("No objection to this termination awaits the justice bureau's decision.")),
    Step("resume", _("Resume legal aid"), (S.TERMINATED,), "", "case_terminate", True, guard=TERMINATION_OVERTURNED,
         blocked=_("Legal aid resumes only when the justice bureau has overturned the termination.")),
    Step("letter_sent", _("Record the sending of the legal-aid letter"), (), "", "case_assign", True,
         guard=Q(source="notice", assigned_on__isnull=False),
         blocked=_("Only the assignment of a criminal notice has a legal-aid letter.")),
    Step("discussion", _("Record a collective discussion"), (), "", "case_assign", True),
    Step("hearing", _("Record a hearing attendance"), (), "", **_quality),
    Step("inspection", _("Record a file inspection"), (), "", **_quality),
    Step("opinion", _("Record an opinion letter"), (), "", **_quality),
    Step("complaint", _("Record a complaint"), (), "", **_quality),
    Step("followup", _("Record a follow-up with the recipient"), (S.ASSIGNED, S.CLOSED, S.ARCHIVED, S.TERMINATED),
         "", **_quality),
]


def _awaiting_assignment_todo(user):
    if not (user.is_center and user.can("case_assign")):
        return None
    return ~Q(pending_proposal_exists()) if approval_required() else Q()


PHASES = [
    Phase("awaiting_approval", _("Awaiting approval of the proposed handler"),
          Q(pending_proposal_exists(), status=S.AWAITING), "approve", "assign_due",
          _("Approve or return the proposed handler"),
          todo=lambda u: Q() if _center("assignment_approve")(u) else None, counts_for_deadlines=False),
    Phase("awaiting_assignment", _("Awaiting assignment"), Q(status=S.AWAITING), "assign", "assign_due",
          _("Assign a handler"), todo=_awaiting_assignment_todo),
    Phase("awaiting_agreement", _("Aid agreement to sign"), Q(status=S.ASSIGNED) & NOT_SIGNED, "agreement",
          "agreement_due", _("Sign the aid agreement"), todo=lambda u: Q(handler__user=u) if _handler(u) else None),
    Phase("change_awaiting_approval", _("Change of handler awaiting approval"),
          Q(pending_proposal_exists(), status=S.ASSIGNED), "approve_change", "",
          _("Approve or return the proposed change of handler"),
          todo=lambda u: Q() if _center("assignment_approve")(u) else None),
    Phase("in_progress", _("In progress"), Q(status=S.ASSIGNED), "close", "", _("Work on the case and close it")),
    # The center's letter to the organ runs beside the handler's work: listed after in_progress, it is never a
    # case's next step (the handler's is), but it is the clerk's to-do, the list's phase and, through its own
    # due date on the letter (letters_overdue_q), overdue.
    Phase("letter_to_send", _("Legal-aid letter to send"), LETTER_OWED, "letter_sent", "",
          _("Send the legal-aid letter to the notifying organ and record it"),
          todo=lambda u: Q() if _center("case_assign")(u) else None),
    Phase("awaiting_file", _("Case file to submit"), Q(status=S.CLOSED) & ~FILE_IN, "submit_file", "file_due",
          _("Submit the case file"), todo=lambda u: Q(handler__user=u) if _handler(u) else None),
    Phase("awaiting_review", _("Case file to review"), Q(status=S.CLOSED) & FILE_IN, "archive_review",
          "archive_due", _("Archive review"),
          todo=lambda u: Q() if _center("case_archive_review")(u) else None),
    Phase("awaiting_grade", _("Awaiting a grade"), Q(status=S.ARCHIVED, grade=""), "grade", "",
          _("Grade the case")),
    Phase("awaiting_notice", _("Termination to notify to the organ"), Q(status=S.TERMINATED) & NOTICE_OWED,
          "termination_notice", "termination_notify_due", _("Notify the organ of the termination"),
          todo=lambda u: Q() if _center("case_assign")(u) else None),
    # An objection to a termination (Art. 49): the bureau's decision to record, then, when it overturned the
    # termination, the center's correction.
    Phase("termination_objection", _("Objection to the termination awaiting the decision"),
          Q(status=S.TERMINATED) & OBJECTION_PENDING, "objection_outcome", "",
          _("An objection to the termination awaits the justice bureau's decision (5 days): record its outcome."),
          todo=lambda u: Q() if _center("case_terminate")(u) else None),
    Phase("termination_overturned", _("Termination overturned"), Q(status=S.TERMINATED) & TERMINATION_OVERTURNED,
          "resume", "", _("The justice bureau overturned the termination: resume legal aid."),
          todo=lambda u: Q() if _center("case_terminate")(u) else None),
]

WORKFLOW = Workflow("case", "status", Case.Status, STEPS, PHASES,
                    refusal=_("This cannot be done while the case is %(status)s."))


def step(user, case: Case, action: str) -> None:
    """Refuse (403) a user the table does not let take `action`, then (a message) a state that does not allow it."""
    WORKFLOW.authorize(user, case, action)
    WORKFLOW.check(case, action)


def actions(user, case: Case) -> dict[str, bool]:
    """Which buttons the detail page offers this user (the services check again through the same table)."""
    from . import editing

    offered = WORKFLOW.offered(user, case)
    offered["quality"] = offered["followup"]  # the quality menu: its entries are center quality records
    offered["edit"] = editing.may_edit(user, case)
    offered["stage"] = case.status in editing.OPEN and editing.may_change_stage(user, case)
    return offered


def next_step(case: Case) -> tuple[str, date | None]:
    """The next thing to do on a case and its due date."""
    return WORKFLOW.next_step(case)


PHASE_CHOICES = [(p.name, p.label) for p in PHASES]


def phases_overdue_q(today: date | None = None) -> Q:
    """Cases whose phase's deadline (a date on the case) has passed with the step not done."""
    return WORKFLOW.overdue_q(today or timezone.localdate())


def phases_due_soon_q(today: date | None = None, days: int = 2) -> Q:
    return WORKFLOW.due_soon_q(today or timezone.localdate(), days)


def overdue_q(today: date | None = None) -> Q:
    """Cases with a deadline passed and the step not done: a phase's, or a legal-aid letter's."""
    today = today or timezone.localdate()
    return phases_overdue_q(today) | letters_overdue_q(today)


def due_soon_q(today: date | None = None, days: int = 2) -> Q:
    today = today or timezone.localdate()
    return phases_due_soon_q(today, days) | letters_due_soon_q(today, days)


def in_phase_q(*names: str) -> Q:
    """The cases in any of the phases `names` (the list's `phase` filter, the workbench panels' links)."""
    q = Q(pk__in=[])
    for name in names:
        q |= phase_q(name)
    return q


def phase_q(name: str) -> Q:
    return WORKFLOW.phase_q(name)


def todo_q(user) -> Q:
    return WORKFLOW.todo_q(user)


def status_from_dates(*, assigned_on: date | None, closed_on: date | None, terminated: bool) -> str:
    """The state a case recorded elsewhere (a ledger row) is in, from the dates it has: the last state of the
    lifecycle whose entry date it has; a termination ends it whatever its dates say (LEDGER.md)."""
    if terminated:
        return S.TERMINATED
    reached = {S.ASSIGNED: assigned_on, S.CLOSED: closed_on}
    status = S.AWAITING
    for state in LIFECYCLE:
        if reached.get(state):
            status = state
    return status
