"""工作台 panels: each role's own to-dos on cases."""

from __future__ import annotations

from django.db.models import DateField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Panel

from .selectors import cases_visible_to, returned_proposals_q, termination_notice_q, with_approval
from .workflow import approval_required, next_step, overdue_q, pending_proposal_exists, phase_q, todo_q


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


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    visible = cases_visible_to(user)
    if user.can("case_work") and not user.can("case_view_all"):
        mine = visible.filter(handler__user=user).filter(phase_q("in_progress") | phase_q("awaiting_file")).order_by(
            "agreement_due", "file_due")
        out.append(Panel(_("My cases: next steps"), "cases/panels/cases.html",
                         {"rows": _rows(mine, 15), "count": mine.count(), "link": "?status=assigned"}, order=10))
    if user.is_center and user.can("case_assign"):
        # Green-channel cases aim for same-day assignment (DOMAIN §5), advance aid is urgent: both first.
        waiting = visible.filter(_awaiting_assignment_q()).order_by("-green_channel", "-advance_aid",
                                                                     "assign_due", "pk")
        out.append(Panel(_("Cases awaiting assignment"), "cases/panels/cases.html",
                         {"rows": _rows(waiting), "count": waiting.count(), "link": "?status=awaiting"}, order=20))
        to_notify = visible.filter(termination_notice_q()).order_by("termination_notify_due", "pk")
        rows = _rows(to_notify)
        if rows:  # rare: shown only while a terminated criminal case waits for its notice to the organ
            out.append(Panel(_("Terminations to notify to the organ"), "cases/panels/cases.html",
                             {"rows": rows, "count": to_notify.count(), "link": "?status=terminated"}, order=20))
    if user.is_center and user.can("case_terminate"):
        objected = visible.filter(phase_q("termination_objection") | phase_q("termination_overturned")).order_by(
            "terminated_on", "pk")
        rows = _rows(objected)
        if rows:  # rare: an objection to a termination before the justice bureau, or its correction to make
            out.append(Panel(_("Objections to terminations"), "cases/panels/cases.html",
                             {"rows": rows, "count": objected.count(), "link": "?status=terminated"}, order=12))
    if user.is_center and user.can("case_archive_review"):
        files = visible.filter(phase_q("awaiting_review")).order_by("archive_due")
        out.append(Panel(_("Case files to review"), "cases/panels/cases.html",
                         {"rows": _rows(files), "count": files.count(), "link": "?status=closed"}, order=21))
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

def _awaiting_assignment_q() -> Q:
    """Cases waiting for someone to assign (or propose) a handler: while approval is on, not those whose proposal
    awaits the reviewer."""
    q = phase_q("awaiting_assignment")
    return q & ~Q(pending_proposal_exists()) if approval_required() else q


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
