"""工作台 panels: what is due and overdue for clerks, reviewers and station staff, read from the phases of
the transition table (intake.workflow)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.counts import cached
from core.registry import Panel

from .models import CriminalNotice
from .selectors import (
    applications_visible_to,
    consultations_visible_to,  # noqa: F401 - offered to applicants (core.registry.provided)
    granted_against_result,
    in_phase,
    objections_to_decide,
    overdue_q,
)
from .workflow import OBJECTION, is_decider


def panels(request) -> list[Panel]:
    user = request.user
    out: list[Panel] = []
    if not user.can("application_intake"):
        return out
    today = timezone.localdate()
    late = overdue_q(today)
    base = applications_visible_to(user)
    if is_decider(user):
        deciding = in_phase(base, "under_review")
        out.append(Panel(_("Applications to decide"), "intake/panels/applications.html",
                         {"rows": list(_by_due(deciding)[:15]), "today": today,
                          "overdue": deciding.filter(late).count(), "link": _link("under_review")}, order=10))
        pending = list(in_phase(base, "advance_review").select_related("applicant").order_by("decided_on", "pk")[:15])
        if pending:
            out.append(Panel(_("Advance aid awaiting its follow-up review"), "intake/panels/applications.html",
                             {"rows": pending, "today": today, "overdue": 0, "link": _link("advance_review")},
                             order=10))
        # a count over the year's applications (50 ms on a province): from the shared cache until a record changes
        against = cached("granted-against-result", f"{user.pk}:{today.year}",
                         lambda: granted_against_result(base).filter(decided_on__year=today.year).count())
        out.append(Panel(_("Granted against the eligibility result"), "intake/panels/against_result.html",
                         {"count": against, "year": today.year}, order=13, width="col-12 col-md-6 col-xl-3"))
        overturned = list(in_phase(base, "overturned").select_related("applicant").order_by("decided_on", "pk")[:15])
        if overturned:
            out.append(Panel(_("Refusals overturned: grant legal aid"), "intake/panels/applications.html",
                             {"rows": overturned, "today": today, "overdue": 0, "link": _link("overturned")},
                             order=10))
        waiting = objections_to_decide(user)
        objections = list(waiting[:15])
        if objections:
            out.append(Panel(_("Objections awaiting the decision"), "intake/panels/objections.html",
                             {"rows": objections, "today": today,
                              "overdue": waiting.filter(OBJECTION.overdue_q(today)).count()}, order=10))
    if user.is_center:
        window = in_phase(base, "received", "incomplete")
        out.append(Panel(_("Applications at the window"), "intake/panels/applications.html",
                         {"rows": list(_by_due(window)[:15]), "today": today, "overdue": window.filter(late).count(),
                          "link": _link("received", "incomplete")}, order=11))
        if user.can("notice_register"):
            notices = list(CriminalNotice.objects.filter(case__status="awaiting").select_related("case", "person")
                           .order_by("case__assign_due")[:10])
            out.append(Panel(_("Criminal notices awaiting assignment"), "intake/panels/notices.html",
                             {"rows": notices}, order=12))
    else:
        rows = list(in_phase(base, "draft").order_by("received_on", "pk")[:15])
        out.append(Panel(_("Preliminary intake to forward"), "intake/panels/applications.html",
                         {"rows": rows, "today": today, "overdue": 0, "link": _link("draft")}, order=10))
    return out


def _link(*phases: str) -> str:
    """The application list of exactly the panel's applications (its phases; the list scopes them as the panel)."""
    from urllib.parse import urlencode

    return "?" + urlencode([("phase", p) for p in phases])


def _by_due(applications):
    """What is due first comes first, each application by its phase's own deadline (overdue ones at the top):
    all of them are counted, only the first rows are shown."""
    from .workflow import WORKFLOW

    return applications.order_by(WORKFLOW.due_expression().asc(nulls_last=True), "pk")
