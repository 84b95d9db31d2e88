"""Assignment approval as a center setting (issue 16, item 3): off, clerks and reviewers assign directly as before;
on, a clerk proposes the handler, a reviewer approves (the case is assigned, the 指派通知书 issued) or returns it
with a reason, and the case keeps waiting with its 3-day clock running meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services
from cases.home import panels, todo_queryset
from cases.models import AssignmentProposal, Case
from core.choices import TERMINATION_REASON
from core.models import CenterProfile
from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def approval_on(org):
    profile = CenterProfile.get()
    profile.assignment_approval = True
    profile.save()
    return profile


@pytest.fixture
def proposal(approval_on, awaiting_case, clerk, handler_profile):
    return services.case_propose_assignment(case=awaiting_case, handler=handler_profile, by=clerk,
                                            note="张律师擅长劳动争议")


def _request(rf, user):
    request = rf.get("/")
    request.user = user
    return request


# --- setting off: as before ---------------------------------------------------------------------------------

def test_the_setting_is_off_by_default_and_clerks_assign_directly(awaiting_case, clerk, handler_profile):
    assert CenterProfile.get().assignment_approval is False
    assert services.may_assign_directly(clerk)
    services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == Case.Status.ASSIGNED and awaiting_case.assigned_on == D(2025, 11, 4)


def test_with_the_setting_off_nothing_is_proposed(awaiting_case, clerk, handler_profile, client_for):
    with pytest.raises(ValidationError, match="直接指派|assign the handler directly"):
        services.case_propose_assignment(case=awaiting_case, handler=handler_profile, by=clerk)
    assert not AssignmentProposal.objects.exists()
    assert client_for("clerk").get(reverse("cases:case_propose", args=[awaiting_case.pk])).status_code == 403
    page = client_for("clerk").get(reverse("cases:case_detail", args=[awaiting_case.pk])).content.decode()
    assert reverse("cases:case_assign", args=[awaiting_case.pk]) in page
    assert reverse("cases:case_propose", args=[awaiting_case.pk]) not in page


# --- setting on ---------------------------------------------------------------------------------------------

def test_a_proposal_leaves_the_case_waiting_with_its_deadline(proposal, awaiting_case, clerk, handler_profile):
    due = awaiting_case.assign_due
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == Case.Status.AWAITING and awaiting_case.handler is None
    assert awaiting_case.assign_due == due
    assert proposal.status == AssignmentProposal.Status.PENDING
    assert proposal.proposed_by == clerk and proposal.handler == handler_profile
    assert proposal.proposed_at is not None and proposal.note == "张律师擅长劳动争议"
    assert proposal.history.first().history_user == clerk
    assert not awaiting_case.assignments.exists()


def test_approval_assigns_today_issues_the_notice_and_keeps_the_proposer(proposal, awaiting_case, reviewer,
                                                                           clerk, handler_profile, frozen):
    assignment = services.case_approve_assignment(proposal=proposal, by=reviewer)
    awaiting_case.refresh_from_db()
    proposal.refresh_from_db()
    assert awaiting_case.status == Case.Status.ASSIGNED and awaiting_case.handler == handler_profile
    assert awaiting_case.assigned_on == frozen
    assert assignment.assigned_by == reviewer and assignment.assigned_on == frozen
    assert "援指字" in assignment.number
    assert awaiting_case.agreement_due == D(2025, 11, 25)  # 20 Nov + 5 days
    assert proposal.status == AssignmentProposal.Status.APPROVED
    assert proposal.decided_by == reviewer and proposal.decided_at is not None
    assert proposal.assignment == assignment and assignment.proposal.proposed_by == clerk


def test_approving_a_notice_case_also_numbers_the_letter(approval_on, org, clerk, reviewer, frozen):
    notice = CriminalNoticeFactory(ground="other", received_on=D(2025, 11, 19))
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 19), recipient=notice.person)
    p = services.case_propose_assignment(case=case, handler=org["handlers"]["王强"], by=clerk)
    assignment = services.case_approve_assignment(proposal=p, by=reviewer)
    assert "援函字" in assignment.letter_number


def test_a_returned_proposal_keeps_its_reason_and_the_clerk_proposes_again(proposal, awaiting_case, reviewer,
                                                                             clerk, other_handler):
    services.case_return_assignment(proposal=proposal, reason="张律师本月办案量已满", by=reviewer)
    proposal.refresh_from_db()
    awaiting_case.refresh_from_db()
    assert proposal.status == AssignmentProposal.Status.RETURNED
    assert proposal.return_reason == "张律师本月办案量已满" and proposal.decided_by == reviewer
    assert awaiting_case.status == Case.Status.AWAITING
    again = services.case_propose_assignment(case=awaiting_case, handler=other_handler, by=clerk)
    services.case_approve_assignment(proposal=again, by=reviewer)
    awaiting_case.refresh_from_db()
    assert awaiting_case.handler == other_handler
    assert list(awaiting_case.assignment_proposals.values_list("status", flat=True)) == ["approved", "returned"]


def test_returning_needs_a_reason(proposal, reviewer):
    with pytest.raises(ValidationError, match="退回.*理由|reason for returning"):
        services.case_return_assignment(proposal=proposal, reason="  ", by=reviewer)
    proposal.refresh_from_db()
    assert proposal.status == AssignmentProposal.Status.PENDING


def test_a_clerk_cannot_approve_or_return(proposal, clerk, awaiting_case):
    with pytest.raises(PermissionDenied):
        services.case_approve_assignment(proposal=proposal, by=clerk)
    with pytest.raises(PermissionDenied):
        services.case_return_assignment(proposal=proposal, reason="不合适", by=clerk)
    proposal.refresh_from_db()
    awaiting_case.refresh_from_db()
    assert proposal.status == AssignmentProposal.Status.PENDING and awaiting_case.status == Case.Status.AWAITING


def test_clerks_may_not_assign_directly_while_approval_is_on(approval_on, awaiting_case, clerk, handler_profile):
    assert not services.may_assign_directly(clerk)
    with pytest.raises(ValidationError, match="审批|approval"):
        services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == Case.Status.AWAITING


def test_a_reviewer_may_assign_directly_and_the_pending_proposal_is_superseded(proposal, awaiting_case, reviewer,
                                                                                 other_handler):
    services.case_assign(case=awaiting_case, handler=other_handler, on=D(2025, 11, 5), by=reviewer)
    proposal.refresh_from_db()
    assert proposal.status == AssignmentProposal.Status.SUPERSEDED and proposal.decided_by == reviewer
    with pytest.raises(ValidationError):
        services.case_approve_assignment(proposal=proposal, by=reviewer)


def test_terminating_the_case_closes_its_waiting_proposal(proposal, awaiting_case, reviewer):
    services.case_terminate(case=awaiting_case, reason=TERMINATION_REASON.codes[0], on=awaiting_case.accepted_on,
                            by=reviewer)
    proposal.refresh_from_db()
    assert proposal.status == AssignmentProposal.Status.WITHDRAWN and proposal.decided_by == reviewer


def test_only_one_proposal_waits_at_a_time_and_not_on_an_assigned_case(proposal, awaiting_case, clerk,
                                                                         other_handler, reviewer):
    with pytest.raises(ValidationError, match="已有|already"):
        services.case_propose_assignment(case=awaiting_case, handler=other_handler, by=clerk)
    services.case_approve_assignment(proposal=proposal, by=reviewer)
    with pytest.raises(ValidationError):
        services.case_propose_assignment(case=awaiting_case, handler=other_handler, by=clerk)
    with pytest.raises(ValidationError, match="不再|no longer"):
        services.case_approve_assignment(proposal=proposal, by=reviewer)
    assert AssignmentProposal.objects.count() == 1


def test_an_unsuitable_proposal_needs_the_override_reason(approval_on, org, clerk, frozen):
    notice = CriminalNoticeFactory(ground="minor", received_on=D(2025, 11, 19))
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 19), recipient=notice.person)
    unsuited = next(h for h in org["handlers"].values() if not h.juvenile_suitable)
    with pytest.raises(ValidationError):
        services.case_propose_assignment(case=case, handler=unsuited, by=clerk)
    p = services.case_propose_assignment(case=case, handler=unsuited, by=clerk, override_reason="唯一有空的律师")
    assert p.override_reason == "唯一有空的律师"


def test_an_overdue_case_stays_overdue_while_its_proposal_waits(proposal, awaiting_case, frozen):
    from cases.selectors import overdue_q

    assert awaiting_case.assign_due < frozen
    assert Case.objects.filter(overdue_q(frozen), pk=awaiting_case.pk).exists()


# --- to-dos and lists ---------------------------------------------------------------------------------------

def test_the_reviewer_gets_the_proposal_as_a_to_do_and_the_clerk_does_not(proposal, awaiting_case, reviewer, clerk,
                                                                            rf):
    assert awaiting_case in todo_queryset(reviewer)
    assert awaiting_case not in todo_queryset(clerk)
    titles = {str(p.title): p for p in panels(_request(rf, reviewer))}
    waiting = titles["待审批的指派"]
    assert [row["case"] for row in waiting.context["rows"]] == [awaiting_case]
    assert waiting.context["rows"][0]["step"] == "批准或退回拟指派的承办人"
    assert awaiting_case not in [r["case"] for r in titles["待指派案件"].context["rows"]]


def test_a_returned_proposal_is_the_clerks_to_do(proposal, awaiting_case, reviewer, clerk, rf):
    services.case_return_assignment(proposal=proposal, reason="请改派熟悉刑事的律师", by=reviewer)
    assert awaiting_case in todo_queryset(clerk)
    assert awaiting_case not in todo_queryset(reviewer) or reviewer.can("case_assign")
    titles = {str(p.title): p for p in panels(_request(rf, clerk))}
    rows = titles["被退回的指派建议"].context["rows"]
    assert [row["case"] for row in rows] == [awaiting_case]
    assert rows[0]["step"] == "退回（请改派熟悉刑事的律师）：请重新提出指派建议"
    assert "被退回的指派建议" not in {str(p.title) for p in panels(_request(rf, reviewer))}


def test_the_case_list_marks_and_filters_cases_awaiting_approval(proposal, awaiting_case, org, client_for):
    other = make_case(accepted_on=D(2025, 11, 18))
    url = reverse("cases:case_list")
    page = client_for("reviewer").get(url).content.decode()
    assert page.count('data-testid="awaiting-approval"') == 1
    rows = client_for("reviewer").get(url, {"approval": "pending"}).context["page_obj"]
    assert [c.pk for c in rows] == [awaiting_case.pk]
    assert other.pk not in [c.pk for c in rows]
    assert list(client_for("reviewer").get(url, {"approval": "returned"}).context["page_obj"]) == []


# --- pages --------------------------------------------------------------------------------------------------

def test_the_clerk_proposes_through_the_page(approval_on, awaiting_case, handler_profile, client_for):
    c = client_for("clerk")
    assert c.get(reverse("cases:case_assign", args=[awaiting_case.pk])).status_code == 403
    detail = c.get(reverse("cases:case_detail", args=[awaiting_case.pk])).content.decode()
    assert reverse("cases:case_propose", args=[awaiting_case.pk]) in detail
    resp = c.post(reverse("cases:case_propose", args=[awaiting_case.pk]),
                  {"handler": handler_profile.pk, "note": "请审批"})
    assert resp.status_code == 302
    p = AssignmentProposal.objects.get()
    assert p.handler == handler_profile and p.note == "请审批" and p.status == "pending"


def test_the_reviewer_approves_and_returns_on_the_case_page(proposal, awaiting_case, client_for, reviewer):
    c = client_for("reviewer")
    detail = c.get(reverse("cases:case_detail", args=[awaiting_case.pk])).content.decode()
    assert 'data-testid="approve-form"' in detail
    resp = c.post(reverse("cases:case_assignment_return", args=[awaiting_case.pk]), {"proposal": proposal.pk},
                  follow=True)
    assert "请填写退回指派建议的理由" in resp.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    resp = c.post(reverse("cases:case_assignment_approve", args=[awaiting_case.pk]), {"proposal": proposal.pk},
                  follow=True)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == "assigned"
    assert 'data-testid="proposed-by"' in resp.content.decode()


def test_a_clerk_posting_an_approval_is_refused(proposal, awaiting_case, client_for):
    resp = client_for("clerk").post(reverse("cases:case_assignment_approve", args=[awaiting_case.pk]),
                                    {"proposal": proposal.pk})
    assert resp.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


@pytest.mark.parametrize("data", [{}, {"proposal": "x"}, {"proposal": "999999"}])
def test_a_bad_decision_post_changes_nothing(proposal, awaiting_case, client_for, data):
    resp = client_for("reviewer").post(reverse("cases:case_assignment_approve", args=[awaiting_case.pk]), data,
                                       follow=True)
    assert resp.status_code == 200 and "不再等待审批" in resp.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_approval_pages_answer_each_persona_with_approval_on(proposal, awaiting_case, client_for):
    from tests.cases.test_permissions import ASSIGN, PERSONAS

    awaiting = ASSIGN | {"handler": 404}  # not the handler's case (yet)
    tables = {
        "cases:case_propose": awaiting | {"admin": 403, "director": 403, "reviewer": 403},
        "cases:case_assign": awaiting | {"clerk": 403},
    }
    failures = []
    for name, expected in tables.items():
        for persona in PERSONAS:
            want = 302 if persona == "anonymous" else expected[persona]
            got = client_for(persona).get(reverse(name, args=[awaiting_case.pk])).status_code
            if got != want:
                failures.append(f"{name} as {persona}: {got} != {want}")
    assert not failures, failures


# --- a change of handler while approval is on (Art. 55) -----------------------------------------------------

@pytest.fixture
def change(assigned_case, approval_on, clerk, other_handler):  # assigned before approval was switched on
    return services.case_propose_change_of_handler(case=assigned_case, handler=other_handler, by=clerk,
                                                   reason="原承办人回避", note="李律师可接手")


def test_a_clerk_proposes_a_change_and_the_current_handler_goes_on(change, assigned_case, handler_profile,
                                                                   other_handler, clerk):
    assigned_case.refresh_from_db()
    assert assigned_case.handler == handler_profile and assigned_case.status == "assigned"
    assert change.is_change and change.status == "pending" and change.change_reason == "原承办人回避"
    with pytest.raises(ValidationError):
        services.case_change_handler(case=assigned_case, handler=other_handler, on=D(2025, 11, 20),
                                     reason="回避", by=clerk)
    with pytest.raises(ValidationError, match="已有|already"):
        services.case_propose_change_of_handler(case=assigned_case, handler=other_handler, by=clerk, reason="再提")


def test_approving_the_change_ends_the_assignment_today_and_issues_a_new_notice(change, assigned_case, reviewer,
                                                                                 handler_profile, other_handler):
    first = assigned_case.assignments.get()
    new = services.case_approve_assignment(proposal=change, by=reviewer)
    assigned_case.refresh_from_db()
    first.refresh_from_db()
    change.refresh_from_db()
    assert assigned_case.handler == other_handler
    assert assigned_case.assigned_on == D(2025, 11, 4), "a change is not an assignment: the first date stays"
    assert first.ended_on == D(2025, 11, 20) and first.end_reason == "原承办人回避"
    assert new.assigned_on == D(2025, 11, 20) and new.number and new.number != first.number
    assert change.status == "approved" and change.assignment == new and change.decided_by == reviewer


def test_a_change_needs_a_reason_and_another_handler(assigned_case, approval_on, clerk, handler_profile,
                                                     other_handler):
    with pytest.raises(ValidationError):
        services.case_propose_change_of_handler(case=assigned_case, handler=other_handler, by=clerk, reason=" ")
    with pytest.raises(ValidationError):
        services.case_propose_change_of_handler(case=assigned_case, handler=handler_profile, by=clerk, reason="回避")
    assert not AssignmentProposal.objects.exists()


def test_without_approval_a_change_is_made_directly_not_proposed(org, assigned_case, clerk, other_handler):
    with pytest.raises(ValidationError):
        services.case_propose_change_of_handler(case=assigned_case, handler=other_handler, by=clerk, reason="回避")


def test_a_returned_change_keeps_the_handler_and_the_reason(change, assigned_case, reviewer, handler_profile):
    services.case_return_assignment(proposal=change, reason="原承办人无需回避", by=reviewer)
    assigned_case.refresh_from_db()
    change.refresh_from_db()
    assert assigned_case.handler == handler_profile and change.status == "returned"


def test_a_direct_change_by_the_reviewer_supersedes_and_closing_withdraws(change, assigned_case, reviewer, org,
                                                                          other_handler, handler_profile):
    services.case_change_handler(case=assigned_case, handler=other_handler, on=D(2025, 11, 20), reason="回避",
                                 by=reviewer)
    change.refresh_from_db()
    assert change.status == AssignmentProposal.Status.SUPERSEDED
    again = services.case_propose_change_of_handler(case=assigned_case, handler=handler_profile,
                                                    by=org["users"]["clerk"], reason="回避解除")
    services.case_close(case=assigned_case, closed_on=D(2025, 11, 20), outcome="mediation",
                        closing_report="调解结案。", by=reviewer)
    again.refresh_from_db()
    assert again.status == AssignmentProposal.Status.WITHDRAWN


def test_the_reviewer_gets_the_change_as_a_to_do(change, assigned_case, reviewer, clerk):
    assert assigned_case in todo_queryset(reviewer)
    assert assigned_case not in todo_queryset(clerk)


def test_the_change_is_proposed_and_approved_through_the_pages(assigned_case, approval_on, other_handler,
                                                               client_for):
    clerk = client_for("clerk")
    detail = clerk.get(reverse("cases:case_detail", args=[assigned_case.pk])).content.decode()
    url = reverse("cases:case_propose_change", args=[assigned_case.pk])
    assert url in detail and reverse("cases:case_change_handler", args=[assigned_case.pk]) not in detail
    resp = clerk.post(url, {"handler": other_handler.pk, "note": "请审批"}, follow=True)
    assert "请填写" in resp.content.decode() or "必填" in resp.content.decode()
    assert not AssignmentProposal.objects.exists()
    assert clerk.post(url, {"handler": other_handler.pk, "reason": "原承办人回避"}).status_code == 302
    proposal = AssignmentProposal.objects.get()
    reviewer = client_for("reviewer")
    detail = reviewer.get(reverse("cases:case_detail", args=[assigned_case.pk])).content.decode()
    assert 'data-testid="approve-form"' in detail and "原承办人回避" in detail
    assert clerk.post(reverse("cases:case_assignment_approve", args=[assigned_case.pk]),
                      {"proposal": proposal.pk}).status_code == 403
    reviewer.post(reverse("cases:case_assignment_approve", args=[assigned_case.pk]), {"proposal": proposal.pk})
    assigned_case.refresh_from_db()
    assert assigned_case.handler == other_handler
    assert client_for("staff_b").get(url).status_code == 404
