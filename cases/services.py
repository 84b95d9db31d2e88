"""Every state change of a case is a function here (STYLE.md): it checks the state,
writes the change with its history, and moves the deadlines, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.groups import groups_at
from core import deadlines, numbering
from core.choices import CASE_OUTCOME, TERMINATION_REASON
from core.stored import site_language

from . import rules
from .models import (
    ArchiveReview,
    Assignment,
    AssignmentProposal,
    Attachment,
    Case,
    Complaint,
    Discussion,
    FileInspection,
    FollowUp,
    GradingScale,
    HearingAttendance,
    OpinionLetter,
    ProgressEntry,
    TerminationObjection,
)
from .workflow import (  # noqa: F401 - who may act is part of the table; callers still reach it here
    WORKFLOW,
    approval_required,
    is_own_handler,
    may_approve,
    may_assign_directly,
    may_work_on,
    phase_q,
    step,
)


@transaction.atomic
def case_open(
    *,
    recipient,
    category: str,
    accepted_on: date,
    by=None,
    source: str = "application",
    organ: str = "",
    stage: str = "",
    aid_form: str = "",
    role: str = "",
    cause: str = "",
    recipient_count: int = 1,
    is_mass: bool = False,
    opposing_party: str = "",
    amount_involved: Decimal | None = None,
    station=None,
    green_channel: bool = False,
    advance_aid: bool = False,
    extra_groups: list[str] | None = None,
    number: str | None = None,
    seq: int | None = None,
) -> Case:
    """Open a case awaiting assignment, with the next gapless number of its year and kind.

    `number`/`seq` are given only by the ledger import for cases that already have one.
    """
    if number is None:
        number, seq = numbering.issue_case_number(year=accepted_on.year, category=category)
        while Case.objects.filter(number=number).exists():  # held by a case a ledger brought with its 案号
            number, seq = numbering.issue_case_number(year=accepted_on.year, category=category)
    case = new_case(
        number=number, seq=seq, category=category, source=source,
        organ=organ, stage=stage, aid_form=aid_form, role=role, cause=cause, recipient=recipient,
        extra_groups=extra_groups, recipient_count=recipient_count, is_mass=is_mass, opposing_party=opposing_party,
        amount_involved=amount_involved, station=station, green_channel=green_channel, advance_aid=advance_aid,
        accepted_on=accepted_on, by=by,
    )
    case._history_user = by
    case.full_clean(exclude=["recipient", "station"])
    case.save()
    return case


def new_case(*, number: str, seq: int, category: str, source: str, recipient, accepted_on: date, by=None,
             stage: str = "", aid_form: str = "", extra_groups: list[str] | None = None, registry=None,
             declared_groups: list[str] | None = None,
             due: Callable[[str, date], date] = deadlines.due_date, **fields) -> Case:
    """The unsaved Case a new case starts as, awaiting assignment, with every derivation of `case_open`: the
    litigation flag, the recipient's groups at acceptance, the stage at acceptance and the assignment deadline.
    The ledger import builds its cases here too (`due` and `registry` let it cache the look-ups of a batch;
    `declared_groups`: the groups its row declared, instead of the person's as they are now)."""
    return Case(
        number=number, year=accepted_on.year, seq=seq, category=category, source=source, stage=stage,
        stage_at_acceptance=stage, aid_form=aid_form,
        is_litigation=rules.is_litigation(aid_form=aid_form, stage=stage), recipient=recipient,
        recipient_groups=groups_at(recipient, accepted_on, extra=extra_groups, registry=registry,
                                   declared=declared_groups),
        accepted_on=accepted_on, created_by=by,
        assign_due=due("notice_assign" if source == "notice" else "case_assign", accepted_on), **fields,
    )


# --- helpers -----------------------------------------------------------------

def _lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("notice", "handler").get(pk=case.pk)


def _need(user, capability: str) -> None:
    if user is None or not user.can(capability):
        raise PermissionDenied  # a refusal, not a rule of the case (issue 15.4)


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})


def _save(case: Case, by, reason: str = "") -> None:
    """Save with its history row. A `reason` the service words itself is built under `site_language()`
    (core.stored): the history is read by colleagues in the center's language, whoever clicked."""
    case._history_user = by
    if reason:
        case._change_reason = reason[:100]
    case.save()


# --- assignment --------------------------------------------------------------

def current_assignment_date(case: Case) -> date | None:
    """When the current handler's assignment started: the last change of handler, else the first assignment."""
    current = case.assignments.filter(ended_on__isnull=True).order_by("-assigned_on", "-pk").first()
    return (current.assigned_on if current else None) or case.assigned_on


def _check_handler(case: Case, handler, override_reason: str) -> None:
    if not handler.active:
        raise ValidationError(_("%(name)s is no longer active on the roster.") % {"name": handler.name})
    if handler.provider_id and not handler.provider.active:
        raise ValidationError(_("%(name)s belongs to %(provider)s, which is no longer active on the roster: "
                                "choose another handler.") % {"name": handler.name, "provider": handler.provider.name})
    problems = rules.suitability_problems(case, handler)
    if problems and not (override_reason or "").strip():
        raise ValidationError(problems + [_("Choose a suitable handler or write the reason for the override.")])


@transaction.atomic
def case_assign(*, case: Case, handler, on: date, by, override_reason: str = "") -> Assignment:
    """Awaiting → assigned: issue the 指派通知书 (and for notices the 公函) and start the agreement clock.

    When the center has switched assignment approval on, only those who approve assignments assign directly;
    a proposal still pending on the case is then superseded."""
    if by is not None and by.can("case_assign") and not may_assign_directly(by):  # the center's rule, said so
        raise ValidationError(_("Assignments need a reviewer's approval here: propose the handler instead."))
    WORKFLOW.authorize(by, case, "assign")
    assignment = _assign(case=case, handler=handler, on=on, by=by, override_reason=override_reason)
    _supersede_proposals(assignment.case, by)
    return assignment


def _assign(*, case: Case, handler, on: date, by, override_reason: str) -> Assignment:
    case = _lock(case)
    WORKFLOW.check(case, "assign")
    if on < case.accepted_on:
        raise ValidationError(_("The assignment date cannot be before the acceptance date."))
    _not_future(on, _("The assignment date"))
    _check_handler(case, handler, override_reason)
    assignment = Assignment(
        case=case, handler=handler, handler_kind=handler.kind, assigned_on=on, assigned_by=by,
        override_reason=(override_reason or "").strip(), agreement_due=deadlines.due_date("agreement_sign", on),
        number=numbering.issue_document_number(kind="assignment", year=on.year),
        letter_number=numbering.issue_document_number(kind="letter", year=on.year) if case.source == "notice" else "",
        letter_due=assignment_letter_due(case, on),
    )
    assignment._history_user = by
    assignment.save()
    case.status = Case.Status.ASSIGNED
    case.handler = handler
    case.assigned_on = on
    case.handler_kind = handler.kind  # the type at assignment counts, whatever the roster says later
    case.agreement_due = deadlines.due_date("agreement_sign", on)
    with site_language():
        reason = _("Assigned to %(name)s") % {"name": handler.name}
    _save(case, by, reason)
    return assignment


# --- assignment approval (a center setting, issue 16.3) ------------------------

def pending_proposal(case: Case) -> AssignmentProposal | None:
    return case.assignment_proposals.filter(status=AssignmentProposal.Status.PENDING).first()


def _decide(proposal: AssignmentProposal, status: str, by, reason: str = "") -> None:
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.return_reason = reason
    proposal._history_user = by
    proposal.save()


def _withdraw_proposals(case: Case, by) -> None:
    for proposal in case.assignment_proposals.filter(status=AssignmentProposal.Status.PENDING):
        _decide(proposal, AssignmentProposal.Status.WITHDRAWN, by)


def _supersede_proposals(case: Case, by) -> None:
    for proposal in case.assignment_proposals.filter(status=AssignmentProposal.Status.PENDING):
        _decide(proposal, AssignmentProposal.Status.SUPERSEDED, by)


@transaction.atomic
def case_propose_assignment(*, case: Case, handler, by, note: str = "", override_reason: str = "") -> AssignmentProposal:
    """The clerk proposes a handler; the case stays awaiting assignment and its 3-day clock keeps running."""
    if not approval_required():
        raise ValidationError(_("Assignments need no approval here: assign the handler directly."))
    case = _lock(case)
    step(by, case, "propose")
    if pending_proposal(case):
        raise ValidationError(_("A proposal for this case is already awaiting approval."))
    _check_handler(case, handler, override_reason)
    proposal = AssignmentProposal(case=case, handler=handler, note=(note or "").strip(), proposed_by=by,
                                  override_reason=(override_reason or "").strip())
    proposal._history_user = by
    proposal.save()
    return proposal


@transaction.atomic
def case_propose_change_of_handler(*, case: Case, handler, reason: str, by, note: str = "",
                                   override_reason: str = "") -> AssignmentProposal:
    """While assignments need approval, the clerk proposes a change of handler (Art. 55) with its reason; the
    current handler goes on until a reviewer approves it (the change then takes effect that day, with a new
    assignment notice) or returns it."""
    if not approval_required():
        raise ValidationError(_("Assignments need no approval here: change the handler directly."))
    case = _lock(case)
    step(by, case, "propose_change")
    if pending_proposal(case):
        raise ValidationError(_("A proposal for this case is already awaiting approval."))
    _check_change(case, handler, reason, override_reason)
    proposal = AssignmentProposal(case=case, handler=handler, note=(note or "").strip(), proposed_by=by,
                                  override_reason=(override_reason or "").strip(), change_reason=reason.strip())
    proposal._history_user = by
    proposal.save()
    return proposal


def approval_step(proposal: AssignmentProposal) -> str:
    return "approve_change" if proposal.is_change else "approve"


def _locked_pending(proposal: AssignmentProposal, by) -> AssignmentProposal:
    WORKFLOW.authorize(by, proposal.case, approval_step(proposal))
    # The case first, then its proposal: the order of a direct assignment, a change of handler, a closing or a
    # termination (which lock the case and then supersede or withdraw the proposal), so neither waits on the other.
    _lock(proposal.case)
    proposal = (AssignmentProposal.objects.select_for_update(of=("self",)).select_related("case", "handler")
                .get(pk=proposal.pk))
    if proposal.status != AssignmentProposal.Status.PENDING:
        raise ValidationError(_("This proposal is no longer awaiting approval (%(status)s).")
                              % {"status": proposal.get_status_display()})
    return proposal


@transaction.atomic
def case_approve_assignment(*, proposal: AssignmentProposal, by) -> Assignment:
    """The reviewer approves: the case is assigned to the proposed handler today, the 指派通知书 (and for notices
    the 公函) is issued as for a direct assignment; the assignment keeps who proposed it. A proposed change of
    handler takes effect today as a direct change does."""
    proposal = _locked_pending(proposal, by)
    if proposal.is_change:
        case = _lock(proposal.case)
        _check_change(case, proposal.handler, proposal.change_reason, proposal.override_reason)
        assignment = _change_handler(case=case, handler=proposal.handler, on=timezone.localdate(),
                                     reason=proposal.change_reason, by=by, override_reason=proposal.override_reason)
    else:
        assignment = _assign(case=proposal.case, handler=proposal.handler, on=timezone.localdate(), by=by,
                             override_reason=proposal.override_reason)
    proposal.assignment = assignment
    _decide(proposal, AssignmentProposal.Status.APPROVED, by)
    return assignment


@transaction.atomic
def case_return_assignment(*, proposal: AssignmentProposal, reason: str, by) -> AssignmentProposal:
    """The reviewer returns the proposal with a reason; the clerk proposes again."""
    proposal = _locked_pending(proposal, by)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for returning the proposal."))
    _decide(proposal, AssignmentProposal.Status.RETURNED, by, reason.strip())
    return proposal


@transaction.atomic
def case_change_handler(*, case: Case, handler, on: date, reason: str, by, override_reason: str = "") -> Assignment:
    """Change of handler (Art. 55): the current assignment ends with its reason, a new one starts.

    A change issues a new assignment (指派通知书), so it follows the center's approval rule as case_assign does:
    while assignment approval is on, only those who approve assignments change the handler."""
    if by is not None and by.can("case_assign") and not may_assign_directly(by):  # the center's rule, said so
        raise ValidationError(_("Assignments need a reviewer's approval here: ask a reviewer to change the "
                                "handler."))
    case = _lock(case)
    step(by, case, "change_handler")
    _check_change(case, handler, reason, override_reason)
    assignment = _change_handler(case=case, handler=handler, on=on, reason=reason, by=by,
                                 override_reason=override_reason)
    _supersede_proposals(case, by)  # a proposed change the reviewer made directly instead
    return assignment


def _check_change(case: Case, handler, reason: str, override_reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the change of handler."))
    if handler.pk == case.handler_id:
        raise ValidationError(_("Choose a different handler."))
    _check_handler(case, handler, override_reason)


def _change_handler(*, case: Case, handler, on: date, reason: str, by, override_reason: str) -> Assignment:
    """The change itself, on a locked case whose handler and reason were checked."""
    if on < current_assignment_date(case):
        raise ValidationError(_("The change cannot be dated before the current assignment."))
    _not_future(on, _("The date of the change"))
    for current in case.assignments.filter(ended_on__isnull=True):
        current.ended_on = on
        current.end_reason = reason.strip()
        current._history_user = by
        current.save()
    assignment = Assignment(
        case=case, handler=handler, handler_kind=handler.kind, assigned_on=on, assigned_by=by,
        override_reason=(override_reason or "").strip(), agreement_due=deadlines.due_date("agreement_sign", on),
        number=numbering.issue_document_number(kind="assignment", year=on.year),
        letter_number=numbering.issue_document_number(kind="letter", year=on.year) if case.source == "notice" else "",
        letter_due=assignment_letter_due(case, on, change=True),
    )
    assignment._history_user = by
    assignment.save()
    # A change of handler is not an assignment (STATISTICS.md): the case keeps its first assignment date and
    # the handler type taken then; the new assignment row carries its own date and type.
    case.handler = handler
    case.agreement_signed_on = None
    case.agreement_due = deadlines.due_date("agreement_sign", on)
    _save(case, by, reason.strip())
    return assignment


@transaction.atomic
def case_sign_agreement(*, case: Case, signed_on: date, by, late_reason: str = "") -> Case:
    """The handler signed the aid agreement with the recipient; due within 5 days of assignment."""
    case = _lock(case)
    step(by, case, "agreement")
    if signed_on < current_assignment_date(case):
        raise ValidationError(_("The agreement cannot be signed before the assignment date."))
    _not_future(signed_on, _("The signing date"))
    if case.agreement_due and signed_on > case.agreement_due and not (late_reason or "").strip():
        raise ValidationError(_("The agreement must be signed within 5 days of assignment (by %(due)s); "
                                "give the reason for the delay.") % {"due": case.agreement_due.isoformat()})
    case.agreement_signed_on = signed_on
    _save(case, by, late_reason.strip())
    for current in case.assignments.filter(ended_on__isnull=True):
        current.agreement_signed_on = signed_on
        current._history_user = by
        current.save()
    return case


# --- work on the case --------------------------------------------------------

def validate_upload(upload) -> None:
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower().lstrip(".")
    allowed = [e.lower().lstrip(".") for e in settings.UPLOAD_ALLOWED_EXTENSIONS]
    if ext not in allowed:
        raise ValidationError(_("Files of type “%(ext)s” are not accepted; allowed: %(allowed)s.")
                              % {"ext": ext or "?", "allowed": ", ".join(allowed)})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is too large (%(size).1f MB); the limit is %(limit).0f MB.")
                              % {"size": upload.size / 1048576, "limit": settings.UPLOAD_MAX_BYTES / 1048576})
    from core.files import content_problem

    problem = content_problem(upload)  # by what it is, not by its name: an HTML page named .pdf is refused
    if problem:
        raise ValidationError(problem)


def display_name(name: str, limit: int = 200) -> str:
    """The name a user gave a file, cut to `limit` characters keeping its extension."""
    name = Path(name or "").name
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:10]
    return name[:limit - len(suffix)] + suffix


def stored_name(name: str) -> str:
    """A short, safe name to store an upload under: random, with the (lower-case) extension of the user's name."""
    suffix = Path(name or "").suffix.lower().lstrip(".")
    return f"{uuid.uuid4().hex}.{suffix}" if suffix.isascii() and suffix.isalnum() and len(suffix) <= 10 \
        else uuid.uuid4().hex


@transaction.atomic
def attachment_add(*, case: Case, upload, by, kind: str = Attachment.Kind.OTHER, entry=None) -> Attachment:
    step(by, case, "attach")
    validate_upload(upload)
    original = display_name(upload.name)
    att = Attachment(case=case, entry=entry, kind=kind, original_name=original, size=upload.size, uploaded_by=by)
    # Stored under a short name of our own: the user's name (90 Chinese characters are 270 bytes) may be longer
    # than the file system takes; the download gives the original name back.
    att.file.save(stored_name(upload.name), upload, save=False)
    att.save()
    return att


@transaction.atomic
def case_record_progress(*, case: Case, kind: str, on: date, note: str, by, files=()) -> ProgressEntry:
    case = _lock(case)
    step(by, case, "progress")
    if kind not in ProgressEntry.Kind.values:
        raise ValidationError(_("Choose a type of work."))
    if case.assigned_on and on < case.assigned_on:
        raise ValidationError(_("Work cannot be dated before the assignment date."))
    if on < case.accepted_on:  # an imported closed case may have no assignment date
        raise ValidationError(_("Work cannot be dated before the case was accepted (%(date)s).")
                              % {"date": case.accepted_on.isoformat()})
    _not_future(on, _("The date"))
    if not (note or "").strip():
        raise ValidationError(_("Describe the work done."))
    entry = ProgressEntry(case=case, kind=kind, date=on, note=note.strip(), recorded_by=by)
    entry._history_user = by
    entry.save()
    for upload in files:
        attachment_add(case=case, upload=upload, by=by, kind=Attachment.Kind.PROGRESS, entry=entry)
    return entry


@transaction.atomic
def case_close(*, case: Case, closed_on: date, outcome: str, closing_report: str, by,
               amount_recovered: Decimal | None = None, judgment=None) -> Case:
    """Assigned → closed (Art. 50): the handler reports the end; the file is due in 30 days."""
    case = _lock(case)
    step(by, case, "close")  # only the case's handler (or centre staff on their behalf) closes it
    if closed_on < case.accepted_on or (case.assigned_on and closed_on < case.assigned_on):
        raise ValidationError(_("The closing date cannot be before the acceptance or assignment date."))
    _not_future(closed_on, _("The closing date"))
    if outcome not in CASE_OUTCOME.codes:
        raise ValidationError(_("Choose how the case ended."))
    if amount_recovered is not None and amount_recovered < 0:
        raise ValidationError(_("The amount recovered cannot be negative."))
    if not (closing_report or "").strip():
        raise ValidationError(_("Write the closing report."))
    if judgment is not None:
        attachment_add(case=case, upload=judgment, by=by, kind=Attachment.Kind.JUDGMENT)
    _withdraw_proposals(case, by)  # a change of handler proposed meanwhile: nothing is left to approve
    case.status = Case.Status.CLOSED
    case.closed_on = closed_on
    case.outcome = outcome
    case.amount_recovered = amount_recovered
    case.closing_report = closing_report.strip()
    case.file_due = deadlines.due_date("file_submit", closed_on)
    with site_language():
        reason = _("Closed")
    _save(case, by, reason)
    return case


@transaction.atomic
def case_submit_file(*, case: Case, submitted_on: date, by) -> Case:
    """The handler hands in the case file; the center reviews it within 30 days."""
    case = _lock(case)
    step(by, case, "submit_file")
    if submitted_on < case.closed_on:
        raise ValidationError(_("The file cannot be submitted before the closing date."))
    returned = (case.archive_reviews.filter(result=ArchiveReview.Result.RETURNED)
                .order_by("-reviewed_on", "-pk").values_list("reviewed_on", flat=True).first())
    if returned and submitted_on < returned:
        raise ValidationError(_("The file cannot be submitted again before it was returned (%(date)s).")
                              % {"date": returned.isoformat()})
    _not_future(submitted_on, _("The submission date"))
    case.file_submitted_on = submitted_on
    case.archive_due = deadlines.due_date("archive_review", submitted_on)
    with site_language():
        reason = _("File submitted")
    _save(case, by, reason)
    return case


@transaction.atomic
def case_archive_review(*, case: Case, result: str, checklist: dict, on: date, by, reasons: str = "") -> ArchiveReview:
    """The center checks the file: pass → archived; return → back to the handler with reasons."""
    case = _lock(case)
    step(by, case, "archive_review")
    if on < case.file_submitted_on:
        raise ValidationError(_("The review cannot be dated before the file was submitted."))
    _not_future(on, _("The review date"))
    items = rules.archive_items(case)
    checklist = {code: bool(checklist.get(code)) for code, _label in items}
    missing = [str(label) for code, label in items if not checklist[code]]
    if result == ArchiveReview.Result.PASSED:
        if missing:
            raise ValidationError(_("The file cannot pass while documents are missing: %(items)s.")
                                  % {"items": "、".join(missing)})
    elif result == ArchiveReview.Result.RETURNED:
        if not (reasons or "").strip():
            raise ValidationError(_("Give the reasons for returning the file."))
    else:
        raise ValidationError(_("Choose pass or return."))
    # The review keeps the dates of the submission it answers, and archiving keeps them on the case: the
    # overdue figure of a past end date reads them (a late review stays late; a past period never moves).
    review = ArchiveReview(case=case, reviewed_on=on, reviewer=by, result=result, checklist=checklist,
                           reasons=(reasons or "").strip(), file_due=case.file_due,
                           submitted_on=case.file_submitted_on, archive_due=case.archive_due)
    review._history_user = by
    review.save()
    if result == ArchiveReview.Result.PASSED:
        case.status = Case.Status.ARCHIVED
        case.archived_on = on
        with site_language():
            reason = _("Archived")
        _save(case, by, reason)
    else:  # back with the handler: the file is due again, the submission's dates stay on the review
        case.file_submitted_on = None
        case.archive_due = None
        case.file_due = deadlines.due_date("file_submit", on)
        with site_language():
            reason = _("File returned: %(reasons)s") % {"reasons": reasons.strip()}
        _save(case, by, reason)
    return review


@transaction.atomic
def case_grade(*, case: Case, score: int, on: date, by) -> Case:
    """Quality grade of an archived case from its 100-point score, by the configured scale."""
    case = _lock(case)
    step(by, case, "grade")
    if score is None or not 0 <= int(score) <= 100:
        raise ValidationError(_("The score must be between 0 and 100."))
    if on < case.archived_on:
        raise ValidationError(_("The grade cannot be dated before the archive date."))
    _not_future(on, _("The grading date"))
    case.score = int(score)
    case.grade = rules.grade_for(case.score, GradingScale.current())
    case.graded_on = on
    with site_language():
        reason = _("Graded")
    _save(case, by, reason)
    _compute_subsidy(case, by)
    return case


# Sent inside the grading transaction with `case` and `by`: funding (above cases, which may not import it)
# computes the subsidy (DOMAIN §7: once the archive has passed and the grade is set).
case_graded = Signal()


def _compute_subsidy(case: Case, by) -> None:
    """When the subsidy cannot be computed yet (no standard for the year, no handler) the receiver lets the
    grade stand and the case waits on finance's "cases awaiting a subsidy" list; any other error fails the
    grading, as it did when this called funding directly."""
    case_graded.send(sender=Case, case=case, by=by)


@transaction.atomic
def case_terminate(*, case: Case, reason: str, on: date, by, note: str = "", substantive_work: bool = False) -> Case:
    """Terminate aid (Art. 48) with the statutory reason; criminal cases notify the organ within 3 days."""
    case = _lock(case)
    step(by, case, "terminate")
    if reason not in TERMINATION_REASON.codes:
        raise ValidationError(_("Choose a reason from Art. 48."))
    if on < case.accepted_on:
        raise ValidationError(_("The termination cannot be dated before the acceptance date."))
    assigned = current_assignment_date(case)
    if assigned and on < assigned:
        raise ValidationError(_("The termination cannot be dated before the current assignment (%(date)s).")
                              % {"date": assigned.isoformat()})
    _not_future(on, _("The termination date"))
    _withdraw_proposals(case, by)  # nothing is left to approve
    with site_language():
        end_reason = _("Legal aid terminated")
    for current in case.assignments.filter(ended_on__isnull=True):
        current.ended_on = on
        current.end_reason = end_reason
        current._history_user = by
        current.save()
    case.status = Case.Status.TERMINATED
    case.terminated_on = on
    case.termination_reason = reason
    case.termination_note = (note or "").strip()
    case.substantive_work = bool(substantive_work)
    case.termination_number = numbering.issue_document_number(kind="termination", year=on.year)
    case.termination_notify_due = (deadlines.due_date("termination_notify", on)
                                   if case.category == "criminal" else None)
    with site_language():
        change_reason = _("Terminated")  # `reason` is the statutory one, kept above
    _save(case, by, change_reason)
    return case


def awaits_termination_notice(case: Case) -> bool:
    """A terminated criminal case whose organ has not yet been told (Art. 48, 3 days)."""
    from core.workflow import matches

    return matches(case, phase_q("awaiting_notice"))


@transaction.atomic
def case_termination_notified(*, case: Case, on: date, means: str, by) -> Case:
    """The notifying organ was told of the termination: the 3-day step is done and leaves the to-dos."""
    case = _lock(case)
    WORKFLOW.authorize(by, case, "termination_notice")
    if case.termination_notified_on is not None:
        raise ValidationError(_("The notice to the organ was already recorded (%(date)s).")
                              % {"date": case.termination_notified_on.isoformat()})
    WORKFLOW.check(case, "termination_notice")
    if means not in Case.NoticeMeans.values:
        raise ValidationError(_("Choose how the organ was notified."))
    if on is None:
        raise ValidationError(_("Give the date the organ was notified."))
    if case.terminated_on and on < case.terminated_on:
        raise ValidationError(_("The notice cannot be dated before the termination (%(date)s).")
                              % {"date": case.terminated_on.isoformat()})
    _not_future(on, _("The date of the notice"))
    case.termination_notified_on = on
    case.termination_notify_means = means
    with site_language():
        reason = _("Organ notified of the termination: %(means)s") % {"means": Case.NoticeMeans(means).label}
    _save(case, by, reason)
    return case


# --- objection to a termination (Art. 49) ----------------------------------------------

# Sent inside the resumption's transaction with `case` and `by`: funding (above cases) refuses, with a
# ValidationError, while the case's termination subsidy is in a payment batch or paid.
termination_revoking = Signal()


def _check_day(day: date | None, label: str, missing: str) -> None:
    if day is None:
        raise ValidationError(missing)
    _not_future(day, label)


@transaction.atomic
def termination_objection_file(*, case: Case, by, filed_on: date | None, grounds: str = "") -> TerminationObjection:
    """The recipient objected to the termination before the justice bureau, which received it on `filed_on`:
    its decision is due within 5 days (Art. 49, deadline rule objection_decide). One objection per
    termination: the bureau's decision on it is final (Art. 49, para. 3: review or litigation follow)."""
    case = _lock(case)
    step(by, case, "object")
    _check_day(filed_on, _("The date the objection was received"), _("Give the date the objection was received."))
    if filed_on < case.terminated_on:
        raise ValidationError(_("The objection cannot be dated before the termination (%(date)s).")
                              % {"date": case.terminated_on.isoformat()})
    objection = TerminationObjection(
        case=case, termination_number=case.termination_number, terminated_on=case.terminated_on,
        termination_reason=case.termination_reason, filed_on=filed_on, grounds=(grounds or "").strip(),
        due_on=deadlines.due_date("objection_decide", filed_on), created_by=by)
    objection._history_user = by
    objection.save()
    return objection


@transaction.atomic
def termination_objection_decide(*, case: Case, by, outcome: str, decided_on: date | None,
                                 note: str = "") -> TerminationObjection:
    """The justice bureau's decision on the objection: the termination upheld, or overturned (the center is
    ordered to correct it: `case_resume`)."""
    case = _lock(case)
    step(by, case, "objection_outcome")
    objection = case.termination_objections.select_for_update().get(outcome=TerminationObjection.Outcome.PENDING)
    if outcome not in (TerminationObjection.Outcome.UPHELD, TerminationObjection.Outcome.OVERTURNED):
        raise ValidationError({"outcome": _("Choose the outcome.")})
    _check_day(decided_on, _("The date of the decision"), _("Give the date of the decision."))
    if decided_on < objection.filed_on:
        raise ValidationError(_("The decision cannot be dated before the objection was received (%(date)s).")
                              % {"date": objection.filed_on.isoformat()})
    objection.outcome, objection.decided_on, objection.decided_by = outcome, decided_on, by
    objection.note = (note or "").strip()
    objection._history_user = by
    with site_language():
        objection._change_reason = str(TerminationObjection.Outcome(outcome).label)
    objection.save()
    return objection


@transaction.atomic
def case_resume(*, case: Case, by, on: date | None, note: str = "") -> Case:
    """The justice bureau overturned the termination (Art. 49): the center revokes it and the aid goes on where
    it stopped. The assignment the termination ended is the current one again (restored, not a new one: the
    case's assignment date stays its first); without one the case awaits assignment, due in 3 days from today's
    resumption. The revoked decision stays on the objection (number, date, reason) and its kept print and
    delivery receipt are filed under the objection, so a later termination issues its own. The case no longer
    counts as terminated: the figures count the decision as corrected, as an overturned refusal counts as
    granted."""
    case = _lock(case)
    step(by, case, "resume")
    objection = case.termination_objections.select_for_update().get(
        outcome=TerminationObjection.Outcome.OVERTURNED, resumed_on__isnull=True)
    _check_day(on, _("The date legal aid resumed"), _("Give the date legal aid resumed."))
    if on < objection.decided_on:
        raise ValidationError(_("Legal aid cannot resume before the justice bureau's decision (%(date)s).")
                              % {"date": objection.decided_on.isoformat()})
    termination_revoking.send(sender=Case, case=case, by=by)
    current = case.assignments.filter(ended_on__isnull=True).exists()
    ended = None if current else case.assignments.filter(ended_on=case.terminated_on).order_by(
        "-assigned_on", "-pk").first()
    if ended is not None:
        ended.ended_on, ended.end_reason = None, ""
        ended._history_user = by
        with site_language():
            ended._change_reason = _("Legal aid resumed")
        ended.save()
    if current or ended is not None:
        case.status = Case.Status.ASSIGNED
    else:
        case.status = Case.Status.AWAITING
        objection.assign_due_before = case.assign_due  # a past end date still judges the case by it
        case.assign_due = deadlines.due_date("notice_assign" if case.source == "notice" else "case_assign", on)
    number = case.termination_number
    case.terminated_on, case.termination_number, case.termination_reason = None, "", ""
    case.termination_note, case.substantive_work = "", False
    case.termination_notify_due, case.termination_notified_on, case.termination_notify_means = None, None, ""
    objection.resumed_on, objection.resumed_by = on, by
    objection._history_user = by
    with site_language():
        objection._change_reason = (note or "").strip()[:100] or _("Legal aid resumed")
    objection.save()
    _file_revoked_prints(case, objection)
    with site_language():
        reason = _("Legal aid resumed: termination %(number)s overturned") % {"number": number or "—"}
    _save(case, by, reason)
    return case


def _file_revoked_prints(case: Case, objection: TerminationObjection) -> None:
    """The kept print of the revoked termination decision and its delivery receipt, filed under the objection
    (`revoked-termination-<objection>`): kept as issued, and no longer the case's current decision."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import DeliveryReceipt, IssuedDocument

    ct = ContentType.objects.get_for_model(Case)
    filed = f"revoked-termination-{objection.pk}"
    IssuedDocument.objects.filter(content_type=ct, object_id=case.pk, document="termination").update(document=filed)
    for receipt in DeliveryReceipt.objects.filter(content_type=ct, object_id=case.pk,
                                                  document__in=("termination", "termination-organ")):
        receipt.document = filed if receipt.document == "termination" else f"revoked-organ-copy-{objection.pk}"
        receipt._history_user = objection.resumed_by
        receipt.save()


def assignment_letter_due(case: Case, on: date, *, change: bool = False) -> date | None:
    """The day the 法律援助公函 of an assignment made on `on` is due at the notifying organ (None: a case that is
    not from a criminal notice has no letter).

    Art. 36 gives one limit for both acts: within 3 days of receiving the notice the center assigns a lawyer
    AND notifies the court, procuratorate or police (DOMAIN §5). So the letter of the first assignment is due
    by the assignment's own deadline (`Case.assign_due`: rule notice_assign from the notice's receipt, or from
    the resumption that left the case unassigned); an assignment made after that deadline was already late
    and so is its letter, which cannot be due before it exists: it is due the day of the assignment, sent
    with the assignment notice. A change of handler tells the organ who defends now: its letter is due within
    the same 3 days (rule notice_assign), counted from the change."""
    if case.source != "notice":
        return None
    if change:
        return deadlines.due_date("notice_assign", on)
    due = case.assign_due or deadlines.due_date("notice_assign", case.accepted_on)
    return max(due, on)


@transaction.atomic
def assignment_letter_sent(*, assignment: Assignment, on: date, by) -> Assignment:
    """The 法律援助公函 of a notice case's assignment went to the notifying organ on `on` (DOMAIN §5)."""
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("case").get(pk=assignment.pk)
    WORKFLOW.authorize(by, assignment.case, "letter_sent")
    WORKFLOW.check(assignment.case, "letter_sent")
    if assignment.case.source != "notice" or not assignment.letter_number:
        raise ValidationError(_("Only the assignment of a criminal notice has a legal-aid letter."))
    return letter_sent(assignment, on=on, by=by, not_before=assignment.assigned_on,
                       too_early=_("The letter cannot be sent before the assignment (%(date)s)."))


def letter_sent(record, *, on: date | None, by, not_before: date, too_early: str):
    """Record the day a 法律援助公函 (of an assignment, or of a change of stage) went to its organ: once, not
    before the step that issued it, not in the future."""
    if record.letter_sent_on is not None:
        raise ValidationError(_("The sending of this letter was already recorded (%(date)s).")
                              % {"date": record.letter_sent_on.isoformat()})
    if on is None:
        raise ValidationError(_("Give the date the letter was sent."))
    if on < not_before:
        raise ValidationError(too_early % {"date": not_before.isoformat()})
    _not_future(on, _("The date the letter was sent"))
    record.letter_sent_on = on
    record._history_user = by
    with site_language():
        record._change_reason = _("Legal-aid letter sent")
    record.save()
    return record


def attachment_downloaded(*, attachment: Attachment, by) -> None:
    """Every download of a case document is kept (who, when, which file)."""
    from core.models import AccessLog

    AccessLog.objects.create(user=by, action="download", object_type="cases.Attachment",
                             object_id=str(attachment.pk), detail=attachment.original_name[:200])


# --- the roster ----------------------------------------------------------------

def roster_save(*, form, by):
    """Save a handler or provider from its roster form, with who changed it in the history."""
    require_roster(by)
    obj = form.save(commit=False)
    obj._history_user = by
    obj.save()
    form.save_m2m()
    return obj


def handler_toggle_active(*, handler, by):
    """A handler leaves the roster (or comes back); never deleted, so past cases keep their handler."""
    require_roster(by)
    handler.active = not handler.active
    handler._history_user = by
    handler.save()
    return handler


def require_roster(by) -> None:
    if by is None or not by.can("roster_manage"):
        raise PermissionDenied


# --- discussions and quality records -----------------------------------------

def _center_record(model, *, case: Case, by, action: str, **fields):
    step(by, case, action)
    obj = model(case=case, **fields)
    obj.full_clean(exclude=["case"])
    obj._history_user = by
    obj.save()
    return obj


@transaction.atomic
def discussion_record(*, case: Case, held_on: date, participants: str, conclusion: str, by) -> Discussion:
    _not_future(held_on, _("The date"))
    given, case = case, _lock(case)  # the case as it is now: a stale copy saved whole would undo a change
    if held_on < case.accepted_on:
        raise ValidationError(_("A collective discussion cannot be dated before the case was accepted (%(date)s).")
                              % {"date": case.accepted_on.isoformat()})
    obj = _center_record(Discussion, case=case, by=by, action="discussion", held_on=held_on,
                         participants=participants, conclusion=conclusion)
    if not case.major:
        case.major = True
        with site_language():
            reason = _("Collective discussion held")
        _save(case, by, reason)
    given.major = True
    return obj


@transaction.atomic
def hearing_record(*, case: Case, by, **fields) -> HearingAttendance:
    _not_future(fields["date"], _("The date"))
    return _center_record(HearingAttendance, case=case, by=by, action="hearing", **fields)


@transaction.atomic
def inspection_record(*, case: Case, by, **fields) -> FileInspection:
    _not_future(fields["date"], _("The date"))
    return _center_record(FileInspection, case=case, by=by, action="inspection", **fields)


@transaction.atomic
def opinion_record(*, case: Case, by, **fields) -> OpinionLetter:
    if fields.get("sent_on"):
        _not_future(fields["sent_on"], _("The date the opinion letter was sent"))
    if fields.get("received_on"):
        _not_future(fields["received_on"], _("The date the opinion was received"))
    if fields.get("received_on") and fields.get("sent_on") and fields["received_on"] < fields["sent_on"]:
        raise ValidationError(_("The reply cannot be received before the letter was sent."))
    return _center_record(OpinionLetter, case=case, by=by, action="opinion", **fields)


@transaction.atomic
def followup_record(*, case: Case, by, **fields) -> FollowUp:
    _not_future(fields["date"], _("The date"))
    if fields["date"] < case.accepted_on:
        raise ValidationError(_("A follow-up cannot be dated before the case was accepted (%(date)s).")
                              % {"date": case.accepted_on.isoformat()})
    return _center_record(FollowUp, case=case, by=by, action="followup", recorded_by=by, **fields)


@transaction.atomic
def complaint_record(*, case: Case, by, **fields) -> Complaint:
    _not_future(fields["received_on"], _("The date"))
    return _center_record(Complaint, case=case, by=by, action="complaint", **fields)


@transaction.atomic
def complaint_handle(*, complaint: Complaint, handling: str, resolved_on: date | None, substantiated, by) -> Complaint:
    _need(by, "quality_manage")
    if not (handling or "").strip():
        raise ValidationError(_("Describe how the complaint was handled."))
    if resolved_on and resolved_on < complaint.received_on:
        raise ValidationError(_("A complaint cannot be resolved before it was received."))
    if resolved_on:
        _not_future(resolved_on, _("The date the complaint was resolved"))
    complaint.handling = handling.strip()
    complaint.resolved_on = resolved_on
    complaint.substantiated = substantiated
    complaint._history_user = by
    complaint.save()
    return complaint


def deadline_counts(today: date | None = None) -> dict[str, int]:
    """How many case steps are overdue / due within 2 days (the daily scan)."""
    from django.db.models import Count, Q

    from .selectors import due_soon_q, overdue_q

    today = today or timezone.localdate()
    return Case.objects.aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
        awaiting_assignment=Count("pk", filter=Q(status=Case.Status.AWAITING)),
        files_to_review=Count("pk", filter=Q(status=Case.Status.CLOSED, file_submitted_on__isnull=False)),
    )
