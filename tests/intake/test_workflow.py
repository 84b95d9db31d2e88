"""The application's transition table (intake.workflow, issue 15.1) walked through the services.

Every (source, action, target) of `WORKFLOW.transitions()` is reached through the services and performed,
landing in its target; where a guard says no, the service refuses with a message and nothing changes; a state
the step does not start from is refused the same way; a user the table does not let take the step is refused
with PermissionDenied. The detail page offers exactly the buttons `offered` says, and every guard and phase,
written once as a Q, selects in SQL the rows `matches` accepts one by one, so the list's filters and the
detail page never disagree.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import translation
from freezegun import freeze_time

from core.workflow import matches
from intake import services
from intake.models import Application, Objection
from intake.workflow import OBJECTION, WORKFLOW
from tests.permission_table import PERSONAS as ALL_PERSONAS

from .conftest import tick_all

S = Application.Status
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = date(2025, 3, 3)
ADVANCE = {"advance_aid": True, "advance_aid_reason": "诉讼时效将于5日内届满"}


@pytest.fixture
def frozen():
    with freeze_time("2025-03-03 10:00:00+08:00") as clock:
        yield clock


@pytest.fixture
def build(make_app, clerk, reviewer, staff_a, station_a, person):
    """build(state, advance=…, missing=…, objection=…) → an application brought to `state` by the services."""

    def make(state: str, *, advance: bool = False, missing: bool | None = None, objection: str = "") -> Application:
        if state == S.DRAFT:
            return services.application_receive(application=Application(
                applicant=person, received_on=TODAY, cause="labour_pay", **(ADVANCE if advance else {})), by=staff_a)
        app = make_app(**(ADVANCE if advance else {}))
        if state == S.RECEIVED:
            if missing is False:
                tick_all(app, clerk)
        elif state == S.INCOMPLETE:
            services.supplement_notice_issue(application=app, by=clerk)
            if missing is False:
                tick_all(app, clerk)
        elif state == S.UNDER_REVIEW:
            tick_all(app, clerk)
            services.application_submit_review(application=app, by=clerk)
            if missing:
                keep = {m.pk for m in app.materials.all()[1:]}
                services.materials_update(application=app, received=keep, by=clerk)
        elif state == S.GRANTED:
            if not advance:
                tick_all(app, clerk)
                services.application_submit_review(application=app, by=clerk)
            services.application_grant(application=app, by=reviewer)
        elif state == S.REFUSED:
            tick_all(app, clerk)
            services.application_submit_review(application=app, by=clerk)
            services.application_refuse(application=app, by=reviewer, reasons="不属于法律援助事项范围")
            if objection:
                obj = services.objection_file(application=app, by=clerk, filed_on=TODAY, grounds="不服")
                if objection != Objection.Outcome.PENDING:
                    services.objection_decide(objection=obj, by=reviewer, outcome=objection, decided_on=TODAY)
        elif state == S.WITHDRAWN:
            services.application_withdraw(application=app, by=clerk)
        app = load(app.pk)
        assert app.status == state
        return app

    return make


def load(pk: int) -> Application:
    """The application as its detail page loads it (materials and objections prefetched for the guards)."""
    return Application.objects.select_related("applicant", "station").prefetch_related(
        "materials", "supplement_notices",
        Prefetch("objections", queryset=Objection.objects.select_related("decided_by"))).get(pk=pk)


# --- what each step's service is, and who takes it ----------------------------------------------

SERVICE = {
    "edit": lambda app, by: services.application_update(application=app, by=by),
    "materials": lambda app, by: services.materials_update(application=app, by=by,
                                                           received={m.pk for m in app.materials.all()}),
    "forward": lambda app, by: services.application_forward(application=app, by=by),
    "supplement": lambda app, by: services.supplement_notice_issue(application=app, by=by,
                                                                   reason="补充认定决定书"),
    "supplied": lambda app, by: services.materials_supplied(application=app, by=by),
    "review": lambda app, by: services.application_submit_review(application=app, by=by),
    "grant": lambda app, by: services.application_grant(application=app, by=by, override_reason="经集体讨论"),
    "refuse": lambda app, by: services.application_refuse(application=app, by=by, reasons="理由"),
    "withdraw": lambda app, by: services.application_withdraw(application=app, by=by),
    "deem_withdrawn": lambda app, by: services.application_withdraw(application=app, by=None, deemed=True),
    "advance_review": lambda app, by: services.application_advance_review(application=app, by=by, confirmed=True),
    "object": lambda app, by: services.objection_file(application=app, by=by, filed_on=TODAY, grounds="不服"),
}
# What completes the record before the step, as the window would (the materials arrive).
PREPARE = {"supplied": True, "review": True, "advance_review": True}
BY = {"forward": "staff_a", "grant": "reviewer", "refuse": "reviewer", "advance_review": "reviewer"}
PERSONAS = [p for p in ALL_PERSONAS if p not in ("anonymous", "admin", "outsider")]

# (source, action) whose guard needs the record to be so: the variant that satisfies it …
SATISFIED = {
    (S.GRANTED, "materials"): {"advance": True},
    (S.UNDER_REVIEW, "supplement"): {"missing": True},
    (S.RECEIVED, "grant"): {"advance": True},
    (S.INCOMPLETE, "grant"): {"advance": True},
    (S.REFUSED, "grant"): {"objection": Objection.Outcome.OVERTURNED},
    (S.RECEIVED, "refuse"): {"advance": True},
    (S.INCOMPLETE, "refuse"): {"advance": True},
    (S.GRANTED, "advance_review"): {"advance": True},
}
# … and the variant whose guard says no (the state allows the step, the record does not).
BLOCKED = {
    (S.GRANTED, "materials"): {},
    (S.RECEIVED, "supplement"): {"missing": False},
    (S.UNDER_REVIEW, "supplement"): {"missing": False},
    (S.RECEIVED, "grant"): {},
    (S.INCOMPLETE, "grant"): {},
    (S.REFUSED, "grant"): {"objection": Objection.Outcome.UPHELD},
    (S.RECEIVED, "refuse"): {},
    (S.INCOMPLETE, "refuse"): {},
    (S.GRANTED, "advance_review"): {},
    (S.REFUSED, "object"): {"objection": Objection.Outcome.PENDING},
}


def test_every_step_has_its_service_and_every_state_is_in_the_table():
    assert set(SERVICE) == set(WORKFLOW.by_action)
    reached = {state for source, _a, target in WORKFLOW.transitions() for state in (source, target)}
    assert reached == set(S.values)
    guarded = {(source, step.action) for step in WORKFLOW.steps if step.guard is not None for source in step.sources}
    assert set(BLOCKED) <= guarded


@pytest.mark.parametrize("source,action,target", WORKFLOW.transitions(),
                         ids=[f"{s}-{a}" for s, a, _t in WORKFLOW.transitions()])
def test_every_transition_is_reached_and_performed(build, org, source, action, target):
    app = build(source, **SATISFIED.get((source, action), {}))
    assert WORKFLOW.enabled(app, action)
    for persona in PERSONAS:  # a user the table refuses is refused by the service (403), nothing changes
        user = org["users"][persona]
        if action == "deem_withdrawn":  # the daily task's step: nobody's button
            assert not WORKFLOW.allowed(user, app, action)
        elif not WORKFLOW[action].permitted(user, app):
            with pytest.raises(PermissionDenied):
                SERVICE[action](load(app.pk), user)
            assert load(app.pk).status == source
    user = org["users"][BY.get(action, "clerk")]
    if action != "deem_withdrawn":
        assert WORKFLOW.allowed(user, app, action)
    if action in PREPARE:
        tick_all(app, org["users"]["clerk"])
    if action == "deem_withdrawn":
        with freeze_time(app.supplement_notices.get().due_on + timedelta(days=1)):
            assert services.deem_withdrawn() == 1
    else:
        SERVICE[action](load(app.pk), user)
    after = load(app.pk)
    assert after.status == target
    if WORKFLOW[action].issues in ("grant", "refusal"):
        assert after.decision_number
    if action == "advance_review":
        assert after.advance_review_on == TODAY and WORKFLOW.phase(after) is None


@pytest.mark.parametrize("source,action", list(BLOCKED), ids=[f"{s}-{a}" for s, a in BLOCKED])
def test_a_guard_that_says_no_is_a_message_and_changes_nothing(build, org, source, action):
    app = build(source, **BLOCKED[(source, action)])
    assert not WORKFLOW.enabled(app, action)
    user = org["users"][BY.get(action, "clerk")]
    assert WORKFLOW[action].permitted(user, app) and not WORKFLOW.allowed(user, app, action)
    with pytest.raises(ValidationError):
        SERVICE[action](load(app.pk), user)
    assert load(app.pk).status == source


@pytest.mark.parametrize("state", S.values)
def test_a_state_a_step_does_not_start_from_is_refused_with_a_message(build, org, state):
    app = build(state)
    for step in WORKFLOW.steps:
        if state in step.sources:
            continue
        user = org["users"][BY.get(step.action, "clerk")]
        assert not WORKFLOW.allowed(user, app, step.action)
        if step.permitted(user, app) or step.action == "deem_withdrawn":
            with pytest.raises(ValidationError):
                SERVICE[step.action](load(app.pk), user)
        else:  # forwarding a center application: nobody's to forward (403 before any state)
            with pytest.raises(PermissionDenied):
                SERVICE[step.action](load(app.pk), user)
        assert load(app.pk).status == state


def test_forwarding_twice_is_refused_with_a_message(build, staff_a):
    app = services.application_forward(application=build(S.DRAFT), by=staff_a)
    with translation.override("en"), pytest.raises(ValidationError, match="preliminary intake"):
        services.application_forward(application=app, by=staff_a)


def test_the_objection_table_walks_pending_to_each_outcome(build, org):
    for outcome in (Objection.Outcome.UPHELD, Objection.Outcome.OVERTURNED):
        app = build(S.REFUSED, objection=Objection.Outcome.PENDING)
        obj = app.objections.get()
        assert (Objection.Outcome.PENDING, outcome, outcome) in OBJECTION.transitions()
        for persona in ("clerk", "staff_a", "finance"):
            with pytest.raises(PermissionDenied):
                services.objection_decide(objection=obj, by=org["users"][persona], outcome=outcome,
                                          decided_on=TODAY)
        services.objection_decide(objection=obj, by=org["users"]["reviewer"], outcome=outcome, decided_on=TODAY)
        obj.refresh_from_db()
        assert obj.outcome == outcome and OBJECTION.phase(obj) is None
        with translation.override("en"), pytest.raises(ValidationError, match="already decided"):
            services.objection_decide(objection=obj, by=org["users"]["reviewer"], outcome=outcome,
                                      decided_on=TODAY)


# --- the page and the lists read the same table --------------------------------------------------

VARIANTS = [
    (S.DRAFT, {}), (S.RECEIVED, {}), (S.RECEIVED, {"missing": False}), (S.RECEIVED, {"advance": True}),
    (S.INCOMPLETE, {}), (S.INCOMPLETE, {"advance": True}), (S.UNDER_REVIEW, {}), (S.UNDER_REVIEW, {"missing": True}),
    (S.GRANTED, {}), (S.GRANTED, {"advance": True}), (S.REFUSED, {}),
    (S.REFUSED, {"objection": Objection.Outcome.PENDING}), (S.REFUSED, {"objection": Objection.Outcome.OVERTURNED}),
    (S.WITHDRAWN, {}),
]
ACTION = re.compile(r'data-action="([a-z_]+)"')
PHASE = re.compile(r'data-phase="([a-z_]*)"')


@pytest.fixture
def rows(build):
    return [build(state, **kw) for state, kw in VARIANTS]


def test_the_detail_page_offers_exactly_the_buttons_of_the_table(rows, org, client_for):
    for persona in ("clerk", "reviewer", "director", "staff_a"):
        user, client = org["users"][persona], client_for(persona)
        for app in rows:
            if persona == "staff_a" and app.station_id != user.station_id:
                continue
            html = client.get(f"/intake/applications/{app.pk}/").content.decode()
            offered = {action for action, ok in WORKFLOW.offered(user, load(app.pk)).items() if ok}
            assert set(ACTION.findall(html)) == offered, (persona, app.status)


def test_the_next_step_hint_is_the_phase_of_the_table(rows, client_for):
    client = client_for("director")
    for app in rows:
        phase = WORKFLOW.phase(load(app.pk))
        html = client.get(f"/intake/applications/{app.pk}/").content.decode()
        if phase is None:
            assert 'data-testid="next-step"' not in html and 'data-testid="advance-review"' not in html
        elif phase.name == "advance_review":
            assert 'data-testid="advance-review"' in html
        else:
            assert PHASE.findall(html) == [phase.name]
            assert str(phase.hint) in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_each_guard_and_phase_selects_in_sql_the_rows_matches_accepts(rows):
    loaded = [load(app.pk) for app in rows]
    for step in WORKFLOW.steps:
        in_sql = set(Application.objects.filter(step.q("status")).values_list("pk", flat=True))
        assert in_sql == {a.pk for a in loaded if WORKFLOW.enabled(a, step.action)}, step.action
    seen = set()
    for phase in WORKFLOW.phases:
        in_sql = set(Application.objects.filter(phase.q).values_list("pk", flat=True))
        assert in_sql == {a.pk for a in loaded if matches(a, phase.q)}, phase.name
        assert in_sql == {a.pk for a in loaded if WORKFLOW.phase(a) is phase}, phase.name  # no two phases overlap
        assert in_sql, phase.name  # every phase is reached by the rows
        seen |= in_sql
    # annotated rows decide the Exists guards without a query: the same answers
    from django.db.models import Exists, OuterRef

    from intake.models import ApplicationMaterial

    annotated = Application.objects.annotate(
        materials_missing=Exists(ApplicationMaterial.objects.filter(application=OuterRef("pk"), required=True,
                                                                    received=False)),
        objection_pending=Exists(Objection.objects.filter(application=OuterRef("pk"), outcome="pending")),
        objection_overturned=Exists(Objection.objects.filter(application=OuterRef("pk"), outcome="overturned")))
    for a in annotated:
        assert {s.action for s in WORKFLOW.steps if WORKFLOW.enabled(a, s.action)} == {
            s.action for s in WORKFLOW.steps if WORKFLOW.enabled(load(a.pk), s.action)}


def _listed(client, query: str) -> set[int]:
    html = client.get(f"/intake/applications/?{query}").content.decode()
    return {int(pk) for pk in re.findall(r'href="/intake/applications/(\d+)/"', html)}


def test_the_lists_phase_and_deadline_filters_agree_with_the_detail_page(rows, client_for, frozen):
    client = client_for("director")
    for phase in WORKFLOW.phases:
        on_page = set()
        for app in rows:
            html = client.get(f"/intake/applications/{app.pk}/").content.decode()
            if phase.name in PHASE.findall(html) or (phase.name == "advance_review"
                                                      and 'data-testid="advance-review"' in html):
                on_page.add(app.pk)
        assert _listed(client, f"phase={phase.name}") == on_page, phase.name
    frozen.move_to("2025-03-20 10:00:00+08:00")  # past the 7 days of every review clock
    client = client_for("director")  # a session of its own day
    from intake.selectors import due_soon_q, overdue_q

    today = date(2025, 3, 20)
    late = {a.pk for a in map(load, (r.pk for r in rows)) if matches(a, overdue_q(today))}
    # the review clocks, and the materials of the supplementation notices (due 03-18)
    assert late and late == {a.pk for a in rows if a.status in (S.RECEIVED, S.UNDER_REVIEW, S.INCOMPLETE)}
    assert _listed(client, "deadline=overdue") == late
    soon = {a.pk for a in map(load, (r.pk for r in rows)) if matches(a, due_soon_q(today))}
    assert _listed(client, "deadline=due_soon") == soon == set()
    frozen.move_to("2025-03-08 10:00:00+08:00")
    client = client_for("director")
    soon = {a.pk for a in map(load, (r.pk for r in rows)) if matches(a, due_soon_q(date(2025, 3, 8)))}
    assert soon and _listed(client, "deadline=due_soon") == soon


def test_the_badge_counts_each_users_phases(rows, org):
    from intake.nav import _review_badge

    by_phase = {p.name: {a.pk for a in rows if WORKFLOW.phase(load(a.pk)) is p} for p in WORKFLOW.phases}
    assert _review_badge(org["users"]["reviewer"]) == len(by_phase["under_review"] | by_phase["objection"]
                                                          | by_phase["overturned"])
    assert _review_badge(org["users"]["clerk"]) == len(by_phase["received"])
    assert _review_badge(org["users"]["staff_a"]) == len(by_phase["draft"])
    assert _review_badge(org["users"]["staff_b"]) == 0


def test_awaiting_materials_runs_against_the_notices_date(build, frozen):
    """The phase "incomplete" has the supplementation notice's date as its deadline: the next-step hint shows
    it, the overdue and due-soon filters read it, and the daily task deems withdrawn what passed it."""
    app = build(S.INCOMPLETE)
    notice = app.supplement_notices.get()
    assert app.materials_due == notice.due_on == date(2025, 3, 18)
    assert WORKFLOW.next_step(app)[1] == notice.due_on
    in_phase = Application.objects.filter(pk=app.pk)
    assert not in_phase.filter(WORKFLOW.overdue_q(date(2025, 3, 18))).exists()
    assert in_phase.filter(WORKFLOW.due_soon_q(date(2025, 3, 16), 3)).exists()
    assert in_phase.filter(WORKFLOW.overdue_q(date(2025, 3, 19))).exists()
    assert services.deem_withdrawn(today=date(2025, 3, 18)) == 0
    assert services.deem_withdrawn(today=date(2025, 3, 19)) == 1
    assert load(app.pk).status == S.WITHDRAWN
