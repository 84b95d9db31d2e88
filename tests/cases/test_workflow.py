"""The case workflow table (cases/workflow.py) walked step by step through the real services: every (state,
action) of the table is taken from a case really in that state, and leads where the table says, or is refused
with a message where its guard says so; who may take it is the table's; its guards filter querysets exactly as
they decide one row; the overdue and due-soon filters are the ones written out by hand before the table."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from cases import services
from cases.models import Case
from cases.workflow import PHASES, WORKFLOW, actions, due_soon_q, next_step, overdue_q, status_from_dates
from core.models import CenterProfile
from core.workflow import matches
from tests.factories import CriminalNoticeFactory, make_case

from .conftest import full_checklist

S = Case.Status
D = dt.date
DAY = D(2025, 11, 18)
pytestmark = pytest.mark.django_db


def _approval(on: bool) -> None:
    profile = CenterProfile.get()
    profile.assignment_approval = on
    profile.save()


def _notice_case(org):
    notice = CriminalNoticeFactory(ground="other", received_on=D(2025, 11, 3))
    return make_case(category="criminal", source="notice", notice=notice, stage="trial", aid_form="criminal_defence",
                     cause="theft", accepted_on=D(2025, 11, 3), recipient=notice.person,
                     station=org["stations"]["station-a"])


@pytest.fixture
def cases_by_state(org, frozen, clerk, reviewer, handler, handler_profile):
    """One case in each state and sub-state the table tells apart, built through the services."""
    made = {}

    def fresh(name):
        return Case.objects.get(pk=made[name].pk)

    made["awaiting"] = make_case(accepted_on=D(2025, 11, 3), station=org["stations"]["station-a"])
    made["awaiting_notice_case"] = _notice_case(org)
    for name in ("assigned", "signed", "closed", "submitted", "archived", "graded"):
        made[name] = make_case(accepted_on=D(2025, 11, 3), station=org["stations"]["station-a"])
        services.case_assign(case=made[name], handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    for name in ("signed",):
        services.case_sign_agreement(case=fresh(name), signed_on=D(2025, 11, 5), by=handler)
    for name in ("closed", "submitted", "archived", "graded"):
        services.case_close(case=fresh(name), closed_on=D(2025, 11, 10), outcome="mediation",
                            closing_report="调解结案。", by=handler)
    for name in ("submitted", "archived", "graded"):
        services.case_submit_file(case=fresh(name), submitted_on=D(2025, 11, 12), by=handler)
    for name in ("archived", "graded"):
        case = fresh(name)
        services.case_archive_review(case=case, result="passed", checklist=full_checklist(case),
                                     on=D(2025, 11, 14), by=reviewer)
    services.case_grade(case=fresh("graded"), score=92, on=D(2025, 11, 15), by=reviewer)
    made["terminated"] = _notice_case(org)
    services.case_terminate(case=made["terminated"], reason="own_counsel", on=D(2025, 11, 17), by=reviewer)
    made["terminated_civil"] = make_case(accepted_on=D(2025, 11, 3), station=org["stations"]["station-a"])
    services.case_terminate(case=made["terminated_civil"], reason="own_counsel", on=D(2025, 11, 17), by=reviewer)
    return {name: fresh(name) for name in made}


def _run(action, case, personas, handler_profile, other_handler):
    """Take `action` on `case` through its service as someone the table lets take it."""
    clerk, reviewer = personas["clerk"], personas["reviewer"]
    today = D(2025, 11, 20)
    if action == "assign":
        return services.case_assign(case=case, handler=handler_profile, on=today, by=clerk)
    if action == "propose":
        _approval(True)
        return services.case_propose_assignment(case=case, handler=handler_profile, by=clerk)
    if action == "approve":
        _approval(True)
        proposal = services.pending_proposal(case) or services.case_propose_assignment(
            case=case, handler=handler_profile, by=clerk)
        case.refresh_from_db()
        return services.case_approve_assignment(proposal=proposal, by=reviewer)
    if action == "propose_change":
        _approval(True)
        return services.case_propose_change_of_handler(case=case, handler=other_handler, reason="回避", by=clerk)
    if action == "approve_change":
        _approval(True)
        proposal = services.pending_proposal(case) or services.case_propose_change_of_handler(
            case=case, handler=other_handler, reason="回避", by=clerk)
        return services.case_approve_assignment(proposal=proposal, by=reviewer)
    if action == "change_handler":
        return services.case_change_handler(case=case, handler=other_handler, on=today, reason="回避", by=clerk)
    if action == "agreement":
        return services.case_sign_agreement(case=case, signed_on=today, by=clerk, late_reason="受援人外出")
    if action == "progress":
        return services.case_record_progress(case=case, kind="meeting", on=today, note="会见受援人", by=clerk)
    if action == "attach":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                    content_type="application/pdf")
        return services.attachment_add(case=case, upload=upload, by=clerk)
    if action == "close":
        return services.case_close(case=case, closed_on=today, outcome="mediation", closing_report="调解结案。",
                                   by=clerk)
    if action == "submit_file":
        return services.case_submit_file(case=case, submitted_on=today, by=clerk)
    if action == "archive_review":
        return services.case_archive_review(case=case, result="passed", checklist=full_checklist(case), on=today,
                                            by=reviewer)
    if action == "grade":
        return services.case_grade(case=case, score=88, on=today, by=reviewer)
    if action == "terminate":
        return services.case_terminate(case=case, reason="own_counsel", on=today, by=reviewer)
    if action == "termination_notice":
        return services.case_termination_notified(case=case, on=today, means="served", by=clerk)
    if action == "object":
        return services.termination_objection_file(case=case, by=clerk, filed_on=today, grounds="不服终止")
    if action == "objection_outcome":
        return services.termination_objection_decide(case=case, by=reviewer, outcome="upheld", decided_on=today)
    if action == "resume":  # the bureau's decision first (tests/cases/test_termination_objection.py)
        return services.case_resume(case=case, by=reviewer, on=today)
    if action == "letter_sent":
        assignment = case.assignments.order_by("-pk").first()
        if assignment is None:
            raise ValidationError("no assignment")
        return services.assignment_letter_sent(assignment=assignment, on=today, by=clerk)
    if action == "discussion":
        return services.discussion_record(case=case, held_on=today, participants="主任、审查员",
                                          conclusion="同意指派", by=clerk)
    if action == "hearing":
        return services.hearing_record(case=case, by=reviewer, date=today, court="示范县人民法院", attendee="王主任",
                                       assessment="良好")
    if action == "inspection":
        return services.inspection_record(case=case, by=reviewer, date=today, inspector="王主任", findings="齐全")
    if action == "opinion":
        return services.opinion_record(case=case, by=reviewer, organ="示范县人民法院", sent_on=today)
    if action == "followup":
        return services.followup_record(case=case, by=reviewer, date=today, channel="phone", satisfaction="satisfied")
    if action == "complaint":
        return services.complaint_record(case=case, by=reviewer, received_on=today, complainant="受援人",
                                         content="承办人未及时联系")
    raise AssertionError(f"no driver for {action}: add one when a step is added to the table")


def _samples(state):
    return {
        S.AWAITING: ["awaiting", "awaiting_notice_case"],
        S.ASSIGNED: ["assigned", "signed"],
        S.CLOSED: ["closed", "submitted"],
        S.ARCHIVED: ["archived", "graded"],
        S.TERMINATED: ["terminated", "terminated_civil"],
    }[state]


TRANSITIONS = [(source, action, target) for source, action, target in WORKFLOW.transitions()]


def test_every_step_has_a_driver_and_every_state_is_reachable():
    assert {a for _s, a, _t in TRANSITIONS} == set(WORKFLOW.by_action)
    targets = {t for _s, _a, t in TRANSITIONS}
    assert set(S.values) - {S.AWAITING} <= targets  # every state but the first is entered by some step


def _undone(run):
    """Run a step and roll it back, so one set of cases serves every step."""
    sid = transaction.savepoint()
    try:
        return run()
    finally:
        transaction.savepoint_rollback(sid)
        _approval(False)


@pytest.mark.parametrize("source", S.values)
def test_each_transition_through_its_service(source, cases_by_state, org, handler_profile, other_handler):
    personas = org["users"]
    walked = 0
    for _source, action, target in [t for t in TRANSITIONS if t[0] == source]:
        step = WORKFLOW[action]
        for sample in _samples(source):
            case = Case.objects.get(pk=cases_by_state[sample].pk)
            if action in ("approve", "approve_change"):
                _approval(True)
            if step.guard is None or matches(case, step.guard) or action in ("approve", "approve_change"):
                def take(case=case, action=action):
                    _run(action, case, personas, handler_profile, other_handler)
                    case.refresh_from_db()
                    return case.status

                assert _undone(take) == target, (sample, action)
            else:
                before = Case.objects.filter(pk=case.pk).values().get()

                def refused(case=case, action=action):
                    with pytest.raises(ValidationError):
                        _run(action, case, personas, handler_profile, other_handler)
                    return Case.objects.filter(pk=case.pk).values().get()

                assert _undone(refused) == before, (sample, action)
            walked += 1
    assert walked == 2 * len([t for t in TRANSITIONS if t[0] == source])


def test_a_step_from_a_state_not_in_the_table_is_refused_and_changes_nothing(cases_by_state, org, handler_profile,
                                                                          other_handler):
    refused = 0
    for action in [a for a in WORKFLOW.by_action if WORKFLOW[a].sources]:
        outside = [name for state in S.values if state not in WORKFLOW[action].sources for name in _samples(state)]
        for sample in outside:
            case = Case.objects.get(pk=cases_by_state[sample].pk)
            before = Case.objects.filter(pk=case.pk).values().get()

            def attempt(case=case, action=action):
                with pytest.raises(ValidationError):
                    _run(action, case, org["users"], handler_profile, other_handler)
                return Case.objects.filter(pk=case.pk).values().get()

            assert _undone(attempt) == before, (sample, action)
            refused += 1
    assert refused > 20


def test_who_may_take_a_step_is_the_tables_and_others_get_a_refusal(cases_by_state, staff_a, finance, outsider):
    case = cases_by_state["assigned"]
    for user in (staff_a, finance, outsider):
        assert not any(v for k, v in actions(user, case).items() if k in WORKFLOW.by_action), user
        with pytest.raises(PermissionDenied):
            services.case_close(case=case, closed_on=D(2025, 11, 19), outcome="mediation", closing_report="x",
                                by=user)
        with pytest.raises(PermissionDenied):
            services.case_terminate(case=case, reason="own_counsel", on=D(2025, 11, 19), by=user)


def test_the_buttons_are_the_table_for_every_persona_and_state(cases_by_state, org):
    for user in org["users"].values():
        for case in cases_by_state.values():
            offered = actions(user, case)
            for action in WORKFLOW.by_action:
                assert offered[action] == WORKFLOW.allowed(user, case, action)


def test_a_guard_filters_a_list_exactly_as_it_decides_one_row(cases_by_state):
    rows = list(Case.objects.filter(pk__in=[c.pk for c in cases_by_state.values()]))
    qs = Case.objects.filter(pk__in=[c.pk for c in rows])
    checks = [phase.q for phase in PHASES] + [s.q("status") for s in WORKFLOW.steps]
    checks += [overdue_q(DAY + timedelta(days=n)) for n in (-10, 0, 5, 40)]
    checks += [due_soon_q(DAY + timedelta(days=n), 2) for n in (-10, 0, 5, 40)]
    for q in checks:
        in_sql = set(qs.filter(q).values_list("pk", flat=True))
        in_python = {c.pk for c in rows if matches(c, q)}
        assert in_sql == in_python, q


def _overdue_before_the_table(today):
    """The overdue filter as written out by hand before the table existed (the oracle)."""
    return (
        Q(status=S.AWAITING, assign_due__lt=today)
        | Q(status=S.ASSIGNED, agreement_signed_on__isnull=True, agreement_due__lt=today)
        | Q(status=S.CLOSED, file_submitted_on__isnull=True, file_due__lt=today)
        | Q(status=S.CLOSED, file_submitted_on__isnull=False, archive_due__lt=today)
        | Q(status=S.TERMINATED, termination_notified_on__isnull=True, termination_notify_due__lt=today)
    )


def test_the_overdue_filter_from_the_table_is_the_one_written_by_hand(cases_by_state):
    for n in range(0, 60, 3):
        day = D(2025, 11, 1) + timedelta(days=n)
        assert (set(Case.objects.filter(overdue_q(day)).values_list("pk", flat=True))
                == set(Case.objects.filter(_overdue_before_the_table(day)).values_list("pk", flat=True))), day


def test_the_next_step_is_the_first_phase_with_its_deadline(cases_by_state):
    expect = {
        "awaiting": ("Assign a handler", "assign_due"), "assigned": ("Sign the aid agreement", "agreement_due"),
        "signed": ("Work on the case and close it", None), "closed": ("Submit the case file", "file_due"),
        "submitted": ("Archive review", "archive_due"), "archived": ("Grade the case", None), "graded": ("", None),
        "terminated": ("Notify the organ of the termination", "termination_notify_due"),
        "terminated_civil": ("", None),
    }
    for name, (words, due) in expect.items():
        case = cases_by_state[name]
        step, day = next_step(case)
        assert step == (gettext(words) if words else ""), (name, step)
        assert day == (getattr(case, due) if due else None), name


def test_the_ledger_state_from_dates_follows_the_lifecycle():
    assert status_from_dates(assigned_on=None, closed_on=None, terminated=False) == S.AWAITING
    assert status_from_dates(assigned_on=D(2025, 1, 2), closed_on=None, terminated=False) == S.ASSIGNED
    assert status_from_dates(assigned_on=D(2025, 1, 2), closed_on=D(2025, 3, 1), terminated=False) == S.CLOSED
    assert status_from_dates(assigned_on=None, closed_on=D(2025, 3, 1), terminated=False) == S.CLOSED
    assert status_from_dates(assigned_on=D(2025, 1, 2), closed_on=D(2025, 3, 1), terminated=True) == S.TERMINATED
