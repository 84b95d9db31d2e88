"""工作台 panels: what is due and overdue for clerks, reviewers and station staff, read from the phases of
the transition table (intake.workflow)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.counts import cached
from core.registry import Panel
from core.workflow import matches

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
        rows = list(in_phase(base, "under_review").order_by("review_due", "pk")[:15])
        out.append(Panel(_("Applications to decide"), "intake/panels/applications.html",
                         {"rows": rows, "today": today, "overdue": sum(1 for a in rows if matches(a, late))},
                         order=10))
        pending = list(in_phase(base, "advance_review").select_related("applicant").order_by("decided_on", "pk")[:15])
        if pending:
            out.append(Panel(_("Advance aid awaiting its follow-up review"), "intake/panels/applications.html",
                             {"rows": pending, "today": today, "overdue": 0}, order=10))
        # a count over the year's applications (50 ms on a province): from the shared cache until a record changes
        against = cached("granted-against-result", f"{user.pk}:{today.year}",
                         lambda: granted_against_result(base).filter(decided_on__year=today.year).count())
        out.append(Panel(_("Granted against the eligibility result"), "intake/panels/against_result.html",
                         {"count": against, "year": today.year}, order=13, width="col-12 col-md-6 col-xl-3"))
        waiting = objections_to_decide(user)
        objections = list(waiting[:15])
        if objections:
            out.append(Panel(_("Objections awaiting the decision"), "intake/panels/objections.html",
                             {"rows": objections, "today": today,
                              "overdue": waiting.filter(OBJECTION.overdue_q(today)).count()}, order=10))
    if user.is_center:
        rows = list(in_phase(base, "received", "incomplete").order_by("review_due", "pk")[:15])
        out.append(Panel(_("Applications at the window"), "intake/panels/applications.html",
                         {"rows": rows, "today": today, "overdue": sum(1 for a in rows if matches(a, late))},
                         order=11))
        if user.can("notice_register"):
            notices = list(CriminalNotice.objects.filter(case__status="awaiting").select_related("case", "person")
                           .order_by("case__assign_due")[:10])
            out.append(Panel(_("Criminal notices awaiting assignment"), "intake/panels/notices.html",
                             {"rows": notices}, order=12))
    else:
        rows = list(in_phase(base, "draft").order_by("received_on", "pk")[:15])
        out.append(Panel(_("Preliminary intake to forward"), "intake/panels/applications.html",
                         {"rows": rows, "today": today, "overdue": 0}, order=10))
    return out
