"""The application workflow as one table (issue 15.1; DOMAIN.md §5), and the objection's.

Every action on an application is a `Step` here: the states it starts from and leads to, the capability it
needs, whether it is for center staff only, who else may take it, its guard, the deadline it starts and the
one it stops, the document it issues. The states that matter to users (a preliminary intake to forward, an
application at the window, one waiting for its materials, one awaiting the decision, a refusal whose objection
awaits the justice bureau, an overturned refusal, advance aid awaiting its follow-up review) are the `Phase`s.

Read by: the services (`WORKFLOW.authorize`: a refusal of the user is a 403; `WORKFLOW.check`: a state or a
guard that does not allow the step is a message), the detail page's buttons (`WORKFLOW.offered`) and its
"next step" hint (`WORKFLOW.next_step`), the list's phase, overdue and due-soon filters (`intake.selectors`),
the workbench panels (`intake.home`) and the navigation badge (`intake.nav`, `WORKFLOW.todo_q`).

An application is created by `services.application_receive`, not by a step: at the center it is RECEIVED at
once (numbered receipt 申请材料接收凭证, review clock `review_due` started), at a station it is a preliminary
intake (DRAFT) until forwarded.

Adding a step: one `Step` row (and a `Phase` if it waits for someone), its service in services.py, its button
in application_detail.html (with `data-action`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.workflow import Phase, Step, Workflow, row_among, row_exists

from .models import Application, ApplicationMaterial, Objection

S = Application.Status
OUTCOME = Objection.Outcome
OPEN = (S.DRAFT, S.RECEIVED, S.INCOMPLETE, S.UNDER_REVIEW)


@dataclass
class Table(Workflow):
    """A workflow whose steps each say, in their own words, why the record's state does not allow them
    (`refusals`, with "%(state)s"); a step's `blocked` still speaks for its guard."""

    refusals: dict = field(default_factory=dict)

    def check(self, record, action: str) -> None:
        if self.enabled(record, action):
            return
        step = self[action]
        in_state = not step.sources or self.state(record) in step.sources
        if in_state and step.blocked:
            raise ValidationError(str(step.blocked))
        message = self.refusals.get(action)
        if not message:
            super().check(record, action)
            return
        display = getattr(record, f"get_{self.state_field}_display", lambda: self.state(record))()
        raise ValidationError(str(message) % {"state": display})


# --- who ------------------------------------------------------------------------------

def own_draft(user, app: Application) -> bool:
    """Center staff act on every open application; station staff on their own preliminary intake until they
    forward it (DOMAIN §2): from then on the application, its facts and its checklist are the center's (refused,
    403). A decided or withdrawn one is refused by its state, with the message that says so."""
    return user.is_center or (station_of(user, app) and (app.status == S.DRAFT or app.status not in OPEN))


def station_of(user, app: Application) -> bool:
    """Forwarding is the step of the station that took the preliminary intake."""
    return not user.is_center and app.station_id is not None and app.station_id == user.station_id


def nobody(user, app: Application) -> bool:
    """A step the daily task takes, never a user (services pass by=None)."""
    return False


def is_decider(user) -> bool:
    return bool(user.is_authenticated and user.is_center and user.can("application_decide"))


def is_window_clerk(user) -> bool:
    """Center staff at the window: their to-do is what was received (deciders' is what awaits the decision)."""
    return bool(user.is_authenticated and user.is_center and user.can("application_intake")
                and not user.can("application_decide"))


# --- guards (each one Q: a queryset filter, and `matches` on one loaded row) -------------

def _materials_missing(app: Application) -> bool:
    known = getattr(app, "materials_missing", None)  # annotated by a list that needs it
    if known is not None:
        return known
    return any(m.required and not m.received for m in app.materials.all())  # the detail page prefetches them


def _objection(outcome: str):
    def row_test(app: Application) -> bool:
        known = getattr(app, f"objection_{outcome}", None)
        if known is not None:
            return known
        return any(o.outcome == outcome for o in app.objections.all())

    return row_exists(Objection.objects.filter(application=OuterRef("pk"), outcome=outcome), row_test)


def materials_missing():
    """A required material of the checklist has not arrived."""
    return row_exists(ApplicationMaterial.objects.filter(application=OuterRef("pk"), required=True, received=False),
                      _materials_missing)


def objection_pending():
    """An objection to the refusal waits for the justice bureau's decision (Art. 49): a few at any time (decided
    within 5 days), found by their keys."""
    return row_among(Objection.objects.filter(outcome=OUTCOME.PENDING).values("application_id"),
                     _objection(OUTCOME.PENDING).row_test)


def objection_overturned():
    """The justice bureau overturned the refusal: the center corrects it by granting."""
    return _objection(OUTCOME.OVERTURNED)


AWAITS_ADVANCE_REVIEW = Q(status=S.GRANTED, advance_aid=True, advance_review_on__isnull=True)
DECIDABLE = (Q(status=S.UNDER_REVIEW) | Q(status__in=(S.RECEIVED, S.INCOMPLETE), advance_aid=True))
REFUSAL_OVERTURNED = Q(objection_overturned(), status=S.REFUSED)

# --- the table ------------------------------------------------------------------------

_intake = {"capability": "application_intake"}
_window = {"capability": "application_intake", "center_only": True}
_decide = {"capability": "application_decide", "center_only": True}

STEPS = [
    Step("edit", _("Edit"), OPEN, "", **_intake, who=own_draft),
    Step("materials", _("Save checklist"), (*OPEN, S.GRANTED), "", **_intake, who=own_draft,
         guard=Q(status__in=OPEN) | AWAITS_ADVANCE_REVIEW),
    Step("forward", _("Forward to the center"), (S.DRAFT,), S.RECEIVED, "application_forward", who=station_of,
         starts="review_due", issues="receipt"),
    Step("supplement", _("Issue a supplementation notice for the missing materials"),
         (S.RECEIVED, S.UNDER_REVIEW), S.INCOMPLETE, **_window, guard=Q(materials_missing()),
         stops="review_due", starts="materials_due", issues="supplement",
         blocked=_("No required material is missing.")),
    Step("supplied", _("Materials supplied"), (S.INCOMPLETE,), S.RECEIVED, **_window,
         stops="materials_due", starts="review_due"),
    Step("review", _("Send to review"), (S.RECEIVED,), S.UNDER_REVIEW, **_window),
    Step("grant", _("Grant legal aid"), (S.UNDER_REVIEW, S.RECEIVED, S.INCOMPLETE, S.REFUSED), S.GRANTED,
         **_decide, guard=DECIDABLE | REFUSAL_OVERTURNED, stops="review_due", starts="case__assign_due",
         issues="grant"),
    Step("refuse", _("Refuse"), (S.UNDER_REVIEW, S.RECEIVED, S.INCOMPLETE), S.REFUSED, **_decide,
         guard=DECIDABLE, stops="review_due", issues="refusal"),
    Step("withdraw", _("Withdraw"), OPEN, S.WITHDRAWN, **_intake, who=own_draft, stops="review_due"),
    Step("deem_withdrawn", _("deemed withdrawn"), (S.INCOMPLETE,), S.WITHDRAWN, who=nobody,
         stops="supplement_notices__due_on"),
    Step("advance_review", _("Follow-up review"), (S.GRANTED,), "", **_decide, guard=AWAITS_ADVANCE_REVIEW),
    Step("object", _("Record an objection"), (S.REFUSED,), "", **_window, guard=~Q(objection_pending()),
         starts="objections__due_on",
         blocked=_("An objection to this refusal is already waiting for its decision.")),
]

REFUSALS = {
    "edit": _("A decided or withdrawn application cannot be changed."),
    "materials": _("A decided or withdrawn application cannot be changed."),
    "forward": _("Only a preliminary intake can be forwarded."),
    "supplement": _("A supplementation notice can only be issued for a received application."),
    "supplied": _("This application is not waiting for materials."),
    "review": _("Only a received, complete application can go to review."),
    "grant": _("An application in the state “%(state)s” cannot be decided."),
    "refuse": _("An application in the state “%(state)s” cannot be decided."),
    "withdraw": _("Only an open application can be withdrawn."),
    "deem_withdrawn": _("This application is not waiting for materials."),
    "advance_review": _("Only an advance-aid grant whose review is still open can be reviewed."),
    "object": _("Only a refusal can be objected to."),
}


def _mine_at_station(user):
    return None if user.is_center else Q(station_id=user.station_id)


PHASES = [
    Phase("draft", _("Preliminary intake to forward"), Q(status=S.DRAFT), "forward", "",
          _("Forward the preliminary intake to the center."), todo=_mine_at_station),
    Phase("received", _("At the window"), Q(status=S.RECEIVED), "review", "review_due",
          _("Check the materials: send the application to review when they are complete, or issue one "
            "supplementation notice listing everything missing."),
          todo=lambda u: Q() if is_window_clerk(u) else None),
    Phase("incomplete", _("Awaiting materials"), Q(status=S.INCOMPLETE), "supplied", "materials_due",
          _("The review clock is paused until the materials of the supplementation notice arrive; not supplied "
            "by its date, the application is deemed withdrawn.")),
    Phase("under_review", _("Awaiting the decision"), Q(status=S.UNDER_REVIEW), "grant", "review_due",
          _("Decide by the review deadline: grant legal aid, or refuse it in writing with reasons."),
          todo=lambda u: Q() if is_decider(u) else None),
    Phase("objection", _("Objection awaiting the decision"), Q(objection_pending(), status=S.REFUSED), "", "",
          _("An objection to the refusal awaits the justice bureau's decision (5 days): record its outcome."),
          todo=lambda u: Q() if is_decider(u) else None),
    Phase("overturned", _("Refusal overturned"), REFUSAL_OVERTURNED & ~Q(objection_pending()), "grant", "",
          _("The justice bureau overturned the refusal: grant legal aid."),
          todo=lambda u: Q() if is_decider(u) else None),
    Phase("advance_review", _("Advance aid awaiting its follow-up review"), AWAITS_ADVANCE_REVIEW,
          "advance_review", "",
          _("Advance aid was granted first: complete the materials and the review, then confirm or revoke the "
            "aid.")),
]

WORKFLOW = Table("application", "status", S, STEPS, PHASES,
                 refusal=_("This cannot be done while the application is “%(state)s”."), refusals=REFUSALS)

# --- the objection to a refusal (Art. 49) ---------------------------------------------------

OBJECTION = Table(
    "objection", "outcome", OUTCOME,
    [Step("upheld", OUTCOME.UPHELD.label, (OUTCOME.PENDING,), OUTCOME.UPHELD, **_decide, stops="due_on"),
     Step("overturned", OUTCOME.OVERTURNED.label, (OUTCOME.PENDING,), OUTCOME.OVERTURNED, **_decide, stops="due_on")],
    [Phase("pending", _("Objections awaiting the decision"), Q(outcome=OUTCOME.PENDING), "", "due_on",
           _("Record the outcome of the objection: the justice bureau decides within 5 days of its receipt."),
           todo=lambda u: Q() if is_decider(u) else None)],
    refusal=_("This objection is already decided."),
)

# --- what the pages read ----------------------------------------------------------------

PHASE_CHOICES = [(p.name, p.label) for p in PHASES]


def awaits_advance_review(app: Application) -> bool:
    """Advance aid (Art. 44) was granted first; its review is still to be completed."""
    from core.workflow import matches

    return matches(app, AWAITS_ADVANCE_REVIEW)


def review_clock(app: Application) -> str:
    """"running" while the application is in a phase that runs against the review deadline, "paused" while it
    waits for the materials of a supplementation notice, else "" (the list's review-due column)."""
    from core.workflow import matches

    for phase in PHASES:
        if phase.due == "review_due" and matches(app, phase.q):
            return "running"
    return "paused" if matches(app, WORKFLOW.phase_q("incomplete")) else ""


def offered(user, app: Application) -> dict[str, bool]:
    """The buttons of the detail page (the services check again through the same table)."""
    return WORKFLOW.offered(user, app)


def step(user, app: Application, action: str) -> None:
    """Refuse (403) a user the table does not let take `action`, then (a message) a state that does not allow it."""
    WORKFLOW.authorize(user, app, action)
    WORKFLOW.check(app, action)
