"""工作台 panels: each role's own to-dos on cases."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import DateField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Panel

from .selectors import cases_visible_to, returned_proposals_q, sees_station_cases, with_approval
from .workflow import (
    approval_required,
    in_phase_q,
    next_step,
    overdue_q,
    pending_proposal_exists,
    phase_q,
    todo_q,
)


def todo_queryset(user):
    """Cases waiting for this user's next step (the nav badge counts them): the phases of the workflow table
    that are theirs, and for the director every overdue step."""
    q = todo_q(user)
    if user.is_center and user.can("quality_manage") and user.can("dashboard_view"):
        q |= overdue_q()
    return cases_visible_to(user).filter(q)


def _rows(qs, limit=10):
    rows = []
    for case in with_approval(qs).select_related("recipient", "handler")[:limit]:
        step, due = next_step(case)
        rows.append({"case": case, "step": step, "due": due})
    return rows


def phase_link(*phases: str, **more) -> str:
    """The case list's query of the cases in these phases (filters.CaseFilter `phase`): a panel's "Show all"
    opens the cases it counts, as the table defines them (DECISIONS.md: one definition, one list)."""
    return "?" + urlencode([("phase", name) for name in phases] + [
        (key, value) for key, values in more.items() for value in values], doseq=False)


def _own_scope(user) -> dict:
    """The handler's own cases: the list already shows a handler only theirs, unless they also see their station's
    cases (station staff who take cases), whom the list's `handler` filter narrows to their own."""
    profile = getattr(user, "handler_profile", None) if sees_station_cases(user) else None
    return {"handler": [profile.pk]} if profile is not None else {}


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    visible = cases_visible_to(user)
    if user.can("case_work") and not user.can("case_view_all"):
        steps = ("in_progress", "awaiting_file")
        mine = visible.filter(handler__user=user).filter(in_phase_q(*steps)).order_by("agreement_due", "file_due")
        out.append(Panel(_("My cases: next steps"), "cases/panels/cases.html",
                         {"rows": _rows(mine, 15), "count": mine.count(),
                          "link": phase_link(*steps, **_own_scope(user))}, order=10))
    if user.is_center and user.can("case_assign"):
        # Green-channel cases aim for same-day assignment (DOMAIN §5), advance aid is urgent: both first.
        approval = approval_required()
        waiting = visible.filter(_awaiting_assignment_q(approval)).order_by("-green_channel", "-advance_aid",
                                                                             "assign_due", "pk")
        out.append(Panel(_("Cases awaiting assignment"), "cases/panels/cases.html",
                         {"rows": _rows(waiting), "count": waiting.count(),
                          "link": _awaiting_assignment_link(approval)}, order=20))
        to_notify = visible.filter(phase_q("awaiting_notice")).order_by("termination_notify_due", "pk")
        rows = _rows(to_notify)
        if rows:  # rare: shown only while a terminated criminal case waits for its notice to the organ
            out.append(Panel(_("Terminations to notify to the organ"), "cases/panels/cases.html",
                             {"rows": rows, "count": to_notify.count(), "link": phase_link("awaiting_notice")},
                             order=20))
        letters = visible.filter(phase_q("letter_to_send")).order_by("assigned_on", "pk")
        rows = _with_letters(_rows(letters))
        if rows:  # shown while a notice case's 法律援助公函 waits to go to the organ (Art. 36)
            out.append(Panel(_("Legal-aid letters to send"), "cases/panels/cases.html",
                             {"rows": rows, "count": letters.count(), "link": phase_link("letter_to_send")},
                             order=20))
    if user.is_center and user.can("case_terminate"):
        steps = ("termination_objection", "termination_overturned")
        objected = visible.filter(in_phase_q(*steps)).order_by("terminated_on", "pk")
        rows = _rows(objected)
        if rows:  # rare: an objection to a termination before the justice bureau, or its correction to make
            out.append(Panel(_("Objections to terminations"), "cases/panels/cases.html",
                             {"rows": rows, "count": objected.count(), "link": phase_link(*steps)}, order=12))
    if user.is_center and user.can("case_archive_review"):
        files = visible.filter(phase_q("awaiting_review")).order_by("archive_due")
        out.append(Panel(_("Case files to review"), "cases/panels/cases.html",
                         {"rows": _rows(files), "count": files.count(), "link": phase_link("awaiting_review")},
                         order=21))
    if user.is_center and user.can("case_view_all") and user.can("dashboard_view"):
        # Ordered by an expression, not the column: with the column PostgreSQL walks the accepted_on index from
        # the oldest case and skips the hundreds of thousands closed long ago (340 ms on a province); the
        # expression makes it read the four partial to-do indexes and sort the few overdue rows (10 ms).
        oldest_first = ExpressionWrapper(F("accepted_on") + Value(0), output_field=DateField())
        late = visible.filter(overdue_q(timezone.localdate())).order_by(oldest_first, "pk")
        out.append(Panel(_("Overdue case deadlines across the county"), "cases/panels/cases.html",
                         {"rows": _rows(late), "count": late.count(), "link": "?overdue=1"}, order=15))
    return out + approval_panels(user, visible)


# --- assignment approval (a center setting, issue 16.3) ---------------------------

def _awaiting_assignment_q(approval: bool) -> Q:
    """Cases waiting for someone to assign (or propose) a handler: while approval is on, not those whose proposal
    awaits the reviewer."""
    q = phase_q("awaiting_assignment")
    return q & ~Q(pending_proposal_exists()) if approval else q


def _awaiting_assignment_link(approval: bool) -> str:
    """The list of `_awaiting_assignment_q`: while approval is on, without the cases whose proposal awaits the
    reviewer (their own panel, ?approval=pending)."""
    return phase_link("awaiting_assignment", **({"approval": ["none"]} if approval else {}))


def approval_panels(user, visible) -> list[Panel]:
    out = []
    if user.is_center and user.can("assignment_approve"):
        pending = visible.filter(phase_q("awaiting_approval")).order_by(
            "-green_channel", "-advance_aid", "assign_due", "pk")
        rows = _rows(pending)
        if rows or approval_required():
            out.append(Panel(_("Assignments awaiting approval"), "cases/panels/cases.html",
                             {"rows": rows, "count": pending.count(), "link": "?approval=pending"}, order=19))
    if user.is_center and user.can("case_assign") and not user.can("assignment_approve"):
        returned = visible.filter(returned_proposals_q()).order_by("assign_due", "pk")
        rows = _with_return_reasons(_rows(returned))
        if rows:
            out.append(Panel(_("Returned assignment proposals"), "cases/panels/cases.html",
                             {"rows": rows, "count": returned.count(), "link": "?approval=returned"}, order=19))
    return out


def _with_letters(rows: list[dict]) -> list[dict]:
    """The step of a case owing a legal-aid letter: send it, by the earliest due date of its unsent letters (the
    assignment's and the changes of stage's; two queries)."""
    from .models import Assignment, StageChange
    from .workflow import PHASES

    hint = next(p.hint for p in PHASES if p.name == "letter_to_send")
    cases = [r["case"] for r in rows]
    due = {}
    for letters in (Assignment.objects.filter(case__in=cases, ended_on__isnull=True),
                    StageChange.objects.filter(case__in=cases)):
        for case_id, day in (letters.filter(letter_sent_on__isnull=True).exclude(letter_number="")
                             .values_list("case_id", "letter_due")):
            if day is not None and (case_id not in due or day < due[case_id]):
                due[case_id] = day
    for row in rows:
        row["step"], row["due"] = str(hint), due.get(row["case"].pk)
    return rows


def _with_return_reasons(rows: list[dict]) -> list[dict]:
    """The step of a returned proposal's case: propose again, with the reviewer's reason (one query)."""
    from .models import AssignmentProposal

    reasons = {}
    for p in AssignmentProposal.objects.filter(case__in=[r["case"] for r in rows],
                                               status=AssignmentProposal.Status.RETURNED).order_by("decided_at"):
        reasons[p.case_id] = p.return_reason  # the newest return wins
    for row in rows:
        row["step"] = str(_("Returned (%(reason)s): propose again") % {"reason": reasons.get(row["case"].pk, "")})
    return rows
