"""An objection to a termination (Art. 49): recorded, decided by the justice bureau within 5 days, and when
the termination is overturned the center resumes the aid — the case is open again and no longer counts as
terminated."""

from __future__ import annotations

from datetime import date as D
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import Case, TerminationObjection
from cases.workflow import WORKFLOW, phase_q, todo_q

OVERTURNED, UPHELD = TerminationObjection.Outcome.OVERTURNED, TerminationObjection.Outcome.UPHELD


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in their English source (the pages show them in Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def terminated_case(assigned_case, reviewer):
    services.case_terminate(case=assigned_case, reason="fraud", on=D(2025, 11, 12), by=reviewer,
                            substantive_work=True)
    assigned_case.refresh_from_db()
    return assigned_case


def _object(case, clerk, on=D(2025, 11, 13)):
    return services.termination_objection_file(case=case, by=clerk, filed_on=on, grounds="受援人称未隐瞒事实")


def test_an_objection_keeps_the_decision_objected_to_and_is_due_in_5_days(terminated_case, clerk):
    objection = _object(terminated_case, clerk)
    assert objection.outcome == "pending"
    assert objection.termination_number == terminated_case.termination_number != ""
    assert (objection.terminated_on, objection.termination_reason) == (D(2025, 11, 12), "fraud")
    assert objection.due_on == D(2025, 11, 18)  # 5 calendar days from receipt (deadline rule objection_decide)
    assert objection.created_by == clerk
    assert objection.history.first().history_user == clerk
    assert Case.objects.filter(phase_q("termination_objection"), pk=terminated_case.pk).exists()


def test_one_objection_per_termination_and_only_to_a_termination(terminated_case, assigned_case, clerk, org):
    _object(terminated_case, clerk)
    with pytest.raises(ValidationError, match="already recorded"):
        _object(terminated_case, clerk)
    assert TerminationObjection.objects.count() == 1


def test_an_open_case_has_no_termination_to_object_to(assigned_case, clerk):
    with pytest.raises(ValidationError):
        services.termination_objection_file(case=assigned_case, by=clerk, filed_on=D(2025, 11, 13))
    assert not TerminationObjection.objects.exists()


@pytest.mark.parametrize("filed_on, message", [(None, "Give the date"), (D(2025, 11, 11), "before the termination"),
                                               (D(2025, 11, 21), "future")])
def test_bad_dates_of_an_objection_change_nothing(terminated_case, clerk, filed_on, message):
    with pytest.raises(ValidationError, match=message):
        services.termination_objection_file(case=terminated_case, by=clerk, filed_on=filed_on)
    assert not TerminationObjection.objects.exists()


def test_who_records_what(terminated_case, clerk, reviewer, handler, staff_a):
    for user in (handler, staff_a):
        with pytest.raises(PermissionDenied):
            _object(terminated_case, user)
    _object(terminated_case, clerk)
    with pytest.raises(PermissionDenied):  # the bureau's decision is recorded by those who terminate
        services.termination_objection_decide(case=terminated_case, by=clerk, outcome=UPHELD,
                                              decided_on=D(2025, 11, 17))
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=UPHELD,
                                          decided_on=D(2025, 11, 17))


def test_upheld_the_termination_stands_for_good(terminated_case, clerk, reviewer):
    _object(terminated_case, clerk)
    objection = services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=UPHELD,
                                                      decided_on=D(2025, 11, 17), note="维持")
    assert (objection.outcome, objection.decided_by, objection.note) == (UPHELD, reviewer, "维持")
    terminated_case.refresh_from_db()
    assert terminated_case.status == "terminated"
    for action in ("object", "objection_outcome", "resume"):
        assert not WORKFLOW.allowed(reviewer, terminated_case, action)
    with pytest.raises(ValidationError):
        services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    assert not Case.objects.filter(phase_q("termination_objection") | phase_q("termination_overturned")).exists()


def test_bad_decisions_change_nothing(terminated_case, clerk, reviewer):
    _object(terminated_case, clerk)
    for outcome, on, message in [("", D(2025, 11, 17), "Choose the outcome"), (UPHELD, None, "Give the date"),
                                 (UPHELD, D(2025, 11, 12), "before the objection"), (UPHELD, D(2025, 12, 1), "future")]:
        with pytest.raises(ValidationError, match=message):
            services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=outcome, decided_on=on)
    assert TerminationObjection.objects.get().outcome == "pending"


def test_overturned_the_center_resumes_with_the_same_handler(terminated_case, clerk, reviewer, handler_profile):
    first_assigned = terminated_case.assigned_on
    number = terminated_case.termination_number
    _object(terminated_case, clerk)
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=OVERTURNED,
                                          decided_on=D(2025, 11, 17))
    assert Case.objects.filter(phase_q("termination_overturned"), pk=terminated_case.pk).exists()
    assert Case.objects.filter(todo_q(reviewer), pk=terminated_case.pk).exists()
    case = services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18), note="按司法局决定改正")
    case.refresh_from_db()
    assert case.status == "assigned" and case.handler == handler_profile
    assert case.assigned_on == first_assigned  # the assignment restored, not a new one
    current = case.assignments.get(ended_on__isnull=True)
    assert current.handler == handler_profile and current.end_reason == ""
    assert case.assignments.count() == 1
    assert (case.terminated_on, case.termination_number, case.termination_reason, case.substantive_work) == (
        None, "", "", False)
    objection = TerminationObjection.objects.get()
    assert (objection.resumed_on, objection.resumed_by, objection.termination_number) == (
        D(2025, 11, 18), reviewer, number)
    assert "按司法局决定改正" in objection.history.first().history_change_reason
    assert case.history.first().history_user == reviewer
    # open again: it can be closed, and terminated again with a new decision and a new objection
    assert WORKFLOW.allowed(reviewer, case, "terminate") and not WORKFLOW.allowed(reviewer, case, "object")
    services.case_terminate(case=case, reason="fraud", on=D(2025, 11, 19), by=reviewer)
    case.refresh_from_db()
    assert case.termination_number not in ("", number)
    second = _object(case, clerk, on=D(2025, 11, 19))
    assert second.termination_number == case.termination_number


def test_resumed_without_a_handler_it_awaits_assignment_with_a_new_3_days(awaiting_case, clerk, reviewer):
    services.case_terminate(case=awaiting_case, reason="fraud", on=D(2025, 11, 12), by=reviewer)
    _object(awaiting_case, clerk)
    services.termination_objection_decide(case=awaiting_case, by=reviewer, outcome=OVERTURNED,
                                          decided_on=D(2025, 11, 17))
    case = services.case_resume(case=awaiting_case, by=reviewer, on=D(2025, 11, 18))
    case.refresh_from_db()
    assert case.status == "awaiting" and case.assign_due == D(2025, 11, 21)
    assert Case.objects.filter(phase_q("awaiting_assignment"), pk=case.pk).exists()


def test_resuming_is_for_those_who_terminate_and_not_before_the_decision(terminated_case, clerk, reviewer):
    _object(terminated_case, clerk)
    with pytest.raises(ValidationError, match="overturned"):
        services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=OVERTURNED,
                                          decided_on=D(2025, 11, 17))
    with pytest.raises(PermissionDenied):
        services.case_resume(case=terminated_case, by=clerk, on=D(2025, 11, 18))
    with pytest.raises(ValidationError, match="before the justice bureau"):
        services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 16))
    terminated_case.refresh_from_db()
    assert terminated_case.status == "terminated"


def test_a_resumed_case_no_longer_counts_as_terminated(terminated_case, clerk, reviewer):
    from core.periods import parse_period
    from reports.indicators import REGISTRY

    period = parse_period("2025")

    def figures():
        return REGISTRY.evaluate(period, codes=["cases.terminated", "cases.open_at_end"])

    before = figures()
    _object(terminated_case, clerk)
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=OVERTURNED,
                                          decided_on=D(2025, 11, 17))
    services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    after = figures()
    assert after["cases.terminated"] == before["cases.terminated"] - 1
    assert after["cases.open_at_end"] == before["cases.open_at_end"] + 1


def test_the_revoked_decision_keeps_its_print_under_the_objection(terminated_case, clerk, reviewer, client_for):
    from core.models import DeliveryReceipt, IssuedDocument

    director = client_for("director")
    first = director.get(f"/cases/{terminated_case.pk}/print/termination/")
    assert first.status_code == 200 and terminated_case.termination_number in first.content.decode()
    assert director.get(f"/cases/{terminated_case.pk}/print/delivery-termination/").status_code == 200
    old_number = terminated_case.termination_number
    _object(terminated_case, clerk)
    objection = services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=OVERTURNED,
                                                      decided_on=D(2025, 11, 17))
    case = services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    kept = IssuedDocument.objects.get(document=f"revoked-termination-{objection.pk}")
    assert kept.number == old_number
    assert DeliveryReceipt.objects.get(document=f"revoked-termination-{objection.pk}").document_number == old_number
    assert director.get(f"/cases/{case.pk}/print/termination/").status_code == 404  # no current decision
    services.case_terminate(case=case, reason="fraud", on=D(2025, 11, 19), by=reviewer)
    case.refresh_from_db()
    again = director.get(f"/cases/{case.pk}/print/termination/").content.decode()
    assert case.termination_number in again and old_number not in again


def test_a_subsidy_in_a_batch_or_paid_stops_the_resumption_until_finance_acts(terminated_case, clerk, reviewer,
                                                                                finance):
    import importlib

    from django.apps import apps

    from funding import selectors as funding_selectors
    from funding import services as funding
    from funding.models import Subsidy
    from funding.workflow import SUBSIDY

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)
    subsidy = funding.subsidy_compute(case=terminated_case, by=finance)
    assert subsidy.amount > Decimal("0")
    batch = funding.batch_create(subsidies=[subsidy], by=finance)
    _object(terminated_case, clerk)
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=OVERTURNED,
                                          decided_on=D(2025, 11, 17))
    with pytest.raises(ValidationError, match="finance"):
        services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    terminated_case.refresh_from_db()
    assert terminated_case.status == "terminated"
    funding.batch_remove_subsidy(batch=batch, subsidy=subsidy, by=finance)
    services.case_resume(case=terminated_case, by=reviewer, on=D(2025, 11, 18))
    # the computed subsidy waits: an open case's subsidy is not offered for a batch and goes in none
    assert not Subsidy.objects.filter(SUBSIDY.phase_q("awaiting_batch"), pk=subsidy.pk).exists()
    with pytest.raises(ValidationError, match="open again"):
        funding.batch_create(subsidies=[subsidy], by=finance)
    assert terminated_case not in funding_selectors.cases_awaiting_subsidy()


def test_a_termination_under_objection_waits_for_its_subsidy(terminated_case, clerk, reviewer, finance):
    from funding import selectors as funding_selectors
    from funding import services as funding

    assert terminated_case in funding_selectors.cases_awaiting_subsidy()
    _object(terminated_case, clerk)
    assert terminated_case not in funding_selectors.cases_awaiting_subsidy()
    with pytest.raises(ValidationError, match="objection"):
        funding.subsidy_compute(case=terminated_case, by=finance)
    services.termination_objection_decide(case=terminated_case, by=reviewer, outcome=UPHELD,
                                          decided_on=D(2025, 11, 17))
    assert terminated_case in funding_selectors.cases_awaiting_subsidy()  # it stands: its subsidy follows


# --- the pages -------------------------------------------------------------------------

def test_the_objection_from_the_case_page_to_the_resumption(terminated_case, client_for):
    clerk, reviewer = client_for("clerk"), client_for("reviewer")
    page = clerk.get(f"/cases/{terminated_case.pk}/").content.decode()
    assert 'data-testid="record-objection"' in page and 'data-testid="resume"' not in page
    bad = clerk.post(f"/cases/{terminated_case.pk}/objection/", {"filed_on": "2025-11-11"})
    assert bad.status_code == 200 and not TerminationObjection.objects.exists()  # before the termination
    assert clerk.post(f"/cases/{terminated_case.pk}/objection/",
                      {"filed_on": "2025-11-13", "grounds": "不服"}).status_code == 302
    page = reviewer.get(f"/cases/{terminated_case.pk}/").content.decode()
    assert 'data-testid="termination-objections"' in page and 'data-testid="objection-outcome"' in page
    assert "record-objection" not in page
    assert reviewer.post(f"/cases/{terminated_case.pk}/objection-outcome/",
                         {"outcome": "overturned", "decided_on": "2025-11-17"}).status_code == 302
    assert reviewer.post(f"/cases/{terminated_case.pk}/resume/", {"on": "2025-11-18"}).status_code == 302
    terminated_case.refresh_from_db()
    assert terminated_case.status == "assigned"
    page = reviewer.get(f"/cases/{terminated_case.pk}/").content.decode()
    assert 'data-testid="termination-objections"' in page and "2025-11-18" in page


def test_the_detail_page_of_a_terminated_case_reads_its_objections_once(terminated_case, clerk, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewer = client_for("reviewer")
    url = f"/cases/{terminated_case.pk}/"
    reviewer.get(url)
    with CaptureQueriesContext(connection) as before:
        reviewer.get(url)
    _object(terminated_case, clerk)
    reviewer.get(url)  # the menu's to-do counts made afresh after the write
    with CaptureQueriesContext(connection) as after:
        reviewer.get(url)
    objection_reads = [q for q in after.captured_queries
                       if q["sql"].startswith('SELECT "cases_terminationobjection"')]
    assert len(objection_reads) == 1, [q["sql"] for q in objection_reads]
    assert len(after.captured_queries) == len(before.captured_queries)  # the prefetch was made before too


def test_the_deciders_hear_of_it_on_the_workbench_and_in_the_morning_digest(terminated_case, clerk, reviewer,
                                                                           client_for, frozen):
    from django.utils import translation

    from notifications.digest import digest_send

    home = client_for("reviewer").get("/").content.decode()
    assert "对终止决定的异议" not in home
    _object(terminated_case, clerk, on=D(2025, 11, 16))  # due 2025-11-21, within the warning days
    home = client_for("reviewer").get("/").content.decode()
    assert "对终止决定的异议" in home and terminated_case.number in home
    assert "对终止决定的异议" not in client_for("clerk").get("/").content.decode()  # not the window's to decide
    with translation.override("zh-hans"):
        note = digest_send(user=reviewer, today=frozen)
    assert "【到期的终止异议】" in note.body and terminated_case.number in note.body
    assert "应于2025-11-21前决定" in note.body
