from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import rules, services
from cases.models import Assignment, Case, GradingScale
from cases.selectors import suggest_handler
from tests.cases.conftest import full_checklist
from tests.factories import CriminalNoticeFactory, HandlerFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def test_assigning_moves_the_case_to_assigned_with_a_numbered_notice_and_agreement_due(awaiting_case, clerk,
                                                                                       handler_profile):
    a = services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == "assigned"
    assert awaiting_case.handler == handler_profile
    assert a.number.startswith("（2025）") and "援指字" in a.number
    assert a.letter_number == ""
    assert awaiting_case.agreement_due == D(2025, 11, 10)  # 4 Nov + 5 = 9 Nov (Sunday) → Monday 10 Nov
    assert awaiting_case.history.first().history_user == clerk


def test_assigning_a_notice_case_also_numbers_the_letter_to_the_organ(org, clerk, frozen):
    notice = CriminalNoticeFactory(ground="other", received_on=D(2025, 11, 17))
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 17),
                     recipient=notice.person)
    a = services.case_assign(case=case, handler=org["handlers"]["王强"], on=D(2025, 11, 18), by=clerk)
    assert "援函字" in a.letter_number


def test_a_handler_cannot_assign_cases(awaiting_case, handler, handler_profile):
    with pytest.raises(PermissionDenied):
        services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 4), by=handler)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == "awaiting"


def test_an_assigned_case_cannot_be_assigned_again(assigned_case, clerk, other_handler):
    with pytest.raises(ValidationError, match="进行中|In progress"):
        services.case_assign(case=assigned_case, handler=other_handler, on=D(2025, 11, 5), by=clerk)


def test_assignment_cannot_be_before_acceptance_or_in_the_future(awaiting_case, clerk, handler_profile):
    with pytest.raises(ValidationError):
        services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 2), by=clerk)
    with pytest.raises(ValidationError):
        services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 21), by=clerk)


def test_an_inactive_handler_cannot_be_assigned(awaiting_case, clerk, handler_profile):
    handler_profile.active = False
    handler_profile.save()
    with pytest.raises(ValidationError):
        services.case_assign(case=awaiting_case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)


def _life_or_death_case():
    notice = CriminalNoticeFactory(ground="life_or_death", received_on=D(2025, 11, 17), cause="robbery")
    return make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="robbery", accepted_on=D(2025, 11, 17),
                     recipient=notice.person)


def test_life_or_death_cases_need_three_years_of_criminal_experience_unless_overridden(org, clerk, frozen):
    case = _life_or_death_case()
    junior = org["handlers"]["刘芳"]  # 1 year
    with pytest.raises(ValidationError, match="三年以上"):
        services.case_assign(case=case, handler=junior, on=D(2025, 11, 18), by=clerk)
    a = services.case_assign(case=case, handler=junior, on=D(2025, 11, 18), by=clerk,
                             override_reason="其他律师均回避，经主任同意")
    assert a.override_reason == "其他律师均回避，经主任同意"


def test_exactly_three_years_is_enough_for_a_life_or_death_case(org, clerk, frozen):
    case = _life_or_death_case()
    h = HandlerFactory(criminal_years=3)
    services.case_assign(case=case, handler=h, on=D(2025, 11, 18), by=clerk)


def test_minors_need_a_handler_suited_to_juvenile_cases(org, clerk, frozen):
    minor = PersonFactory(birth_date=D(2010, 1, 1), id_number="")
    case = make_case(recipient=minor, accepted_on=D(2025, 11, 17))
    assert "minor" in case.recipient_groups
    with pytest.raises(ValidationError):
        services.case_assign(case=case, handler=org["handlers"]["李娜"], on=D(2025, 11, 18), by=clerk)
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=D(2025, 11, 18), by=clerk)


def test_a_minor_notice_ground_counts_as_a_minor_case(org, frozen):
    notice = CriminalNoticeFactory(ground="minor", received_on=D(2025, 11, 17))
    case = make_case(category="criminal", source="notice", notice=notice, stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 17),
                     recipient=notice.person)
    assert rules.is_minor_case(case)
    assert rules.suitability_problems(case, org["handlers"]["刘芳"])


def test_the_suggestion_is_the_least_loaded_suitable_specialist(org, clerk, frozen, django_assert_num_queries):
    # 张伟 and 陈明 both specialise in labour_pay; give 张伟 two open cases
    for _i in range(2):
        c = make_case(accepted_on=D(2025, 11, 3))
        services.case_assign(case=c, handler=org["handlers"]["张伟"], on=D(2025, 11, 4), by=clerk)
    case = make_case(accepted_on=D(2025, 11, 17), cause="labour_pay")
    with django_assert_num_queries(1):
        suggestion = suggest_handler(case)
    assert suggestion == org["handlers"]["陈明"]
    assert suggestion.open_cases == 0


def test_the_suggestion_prefers_a_suitable_handler_for_life_or_death(org, frozen):
    case = _life_or_death_case()
    s = suggest_handler(case)
    assert s.criminal_years >= 3


def test_changing_the_handler_keeps_the_history(assigned_case, clerk, other_handler, handler_profile):
    services.case_change_handler(case=assigned_case, handler=other_handler, on=D(2025, 11, 6),
                                 reason="受援人申请更换（第五十五条）", by=clerk)
    assigned_case.refresh_from_db()
    rows = list(Assignment.objects.filter(case=assigned_case).order_by("pk"))
    assert [r.handler for r in rows] == [handler_profile, other_handler]
    assert rows[0].ended_on == D(2025, 11, 6) and "第五十五条" in rows[0].end_reason
    assert rows[1].ended_on is None
    assert assigned_case.handler == other_handler
    assert assigned_case.agreement_due == D(2025, 11, 11)


def test_changing_the_handler_needs_a_reason(assigned_case, clerk, other_handler):
    with pytest.raises(ValidationError):
        services.case_change_handler(case=assigned_case, handler=other_handler, on=D(2025, 11, 6), reason=" ",
                                     by=clerk)


def test_the_agreement_is_signed_within_five_days_or_with_a_reason(assigned_case, handler):
    with pytest.raises(ValidationError, match="5"):
        services.case_sign_agreement(case=assigned_case, signed_on=D(2025, 11, 11), by=handler)
    services.case_sign_agreement(case=assigned_case, signed_on=D(2025, 11, 10), by=handler)
    assigned_case.refresh_from_db()
    assert assigned_case.agreement_signed_on == D(2025, 11, 10)


def test_a_late_agreement_is_accepted_with_a_reason(assigned_case, handler):
    services.case_sign_agreement(case=assigned_case, signed_on=D(2025, 11, 12), by=handler,
                                 late_reason="受援人外出务工")


def test_another_handler_cannot_record_work_on_the_case(assigned_case, other_handler, org):
    from accounts.models import User

    u = User.objects.create_user(username="lina", password="x")
    u.groups.add(org["users"]["handler"].groups.first())
    other_handler.user = u
    other_handler.save()
    with pytest.raises(PermissionDenied):
        services.case_record_progress(case=assigned_case, kind="meeting", on=D(2025, 11, 5), note="会见", by=u)


def test_progress_entries_are_dated_after_assignment_and_carry_attachments(assigned_case, handler):
    f = SimpleUploadedFile("会见笔录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    e = services.case_record_progress(case=assigned_case, kind="meeting", on=D(2025, 11, 5), note="会见受援人",
                                       by=handler, files=[f])
    assert e.attachments.count() == 1
    assert e.attachments.get().original_name == "会见笔录.pdf"
    with pytest.raises(ValidationError):
        services.case_record_progress(case=assigned_case, kind="meeting", on=D(2025, 11, 3), note="x", by=handler)


def test_progress_cannot_be_recorded_before_assignment(awaiting_case, clerk):
    with pytest.raises(ValidationError):
        services.case_record_progress(case=awaiting_case, kind="meeting", on=D(2025, 11, 5), note="x", by=clerk)


def test_closing_sets_the_outcome_and_the_file_due_in_30_days(assigned_case, handler):
    services.case_close(case=assigned_case, closed_on=D(2025, 11, 10), outcome="mediation",
                        closing_report="调解结案", amount_recovered=Decimal("5000"), by=handler)
    assigned_case.refresh_from_db()
    assert assigned_case.status == "closed"
    assert assigned_case.file_due == D(2025, 12, 10)


def test_closing_rejects_a_date_before_assignment_or_a_negative_amount(assigned_case, handler):
    with pytest.raises(ValidationError):
        services.case_close(case=assigned_case, closed_on=D(2025, 11, 3), outcome="mediation",
                            closing_report="x", by=handler)
    with pytest.raises(ValidationError):
        services.case_close(case=assigned_case, closed_on=D(2025, 11, 10), outcome="mediation",
                            closing_report="x", amount_recovered=Decimal("-1"), by=handler)
    with pytest.raises(ValidationError):
        services.case_close(case=assigned_case, closed_on=D(2025, 11, 10), outcome="mediation",
                            closing_report="  ", by=handler)
    assigned_case.refresh_from_db()
    assert assigned_case.status == "assigned"


def test_only_the_handler_or_the_center_closes_a_case(assigned_case, staff_a, finance):
    for user in (staff_a, finance):
        with pytest.raises(PermissionDenied):
            services.case_close(case=assigned_case, closed_on=D(2025, 11, 10), outcome="mediation",
                                closing_report="x", by=user)


def test_submitting_the_file_starts_the_30_day_review(closed_case, handler):
    services.case_submit_file(case=closed_case, submitted_on=D(2025, 11, 12), by=handler)
    closed_case.refresh_from_db()
    assert closed_case.archive_due == D(2025, 12, 12)
    with pytest.raises(ValidationError):
        services.case_submit_file(case=closed_case, submitted_on=D(2025, 11, 12), by=handler)


def test_a_file_with_missing_documents_cannot_pass(submitted_case, reviewer):
    checklist = full_checklist(submitted_case) | {"agreement": False}
    with pytest.raises(ValidationError, match="委托协议|Aid agreement"):
        services.case_archive_review(case=submitted_case, result="passed", checklist=checklist,
                                     on=D(2025, 11, 14), by=reviewer)


def test_a_returned_file_goes_back_to_the_handler_with_reasons(submitted_case, reviewer, handler):
    with pytest.raises(ValidationError):
        services.case_archive_review(case=submitted_case, result="returned", checklist={}, on=D(2025, 11, 14),
                                     by=reviewer)
    r = services.case_archive_review(case=submitted_case, result="returned", checklist={"request": True},
                                     reasons="缺委托协议", on=D(2025, 11, 14), by=reviewer)
    submitted_case.refresh_from_db()
    assert r.result == "returned" and submitted_case.status == "closed"
    assert submitted_case.file_submitted_on is None
    assert submitted_case.file_due == D(2025, 12, 15)  # 14 Dec is a Sunday
    services.case_submit_file(case=submitted_case, submitted_on=D(2025, 11, 17), by=handler)


def test_passing_the_review_archives_the_case(archived_case):
    assert archived_case.status == "archived"
    assert archived_case.archived_on == D(2025, 11, 14)
    assert archived_case.archive_reviews.get().result == "passed"


def test_notice_cases_need_no_hardship_statement_or_decision(org, frozen):
    notice = CriminalNoticeFactory(ground="other", received_on=D(2025, 11, 17))
    case = make_case(category="criminal", source="notice", notice=notice, stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 17),
                     recipient=notice.person)
    codes = [c for c, _l in rules.archive_items(case)]
    assert "hardship" not in codes and "decision" not in codes and "assignment" in codes


def test_only_reviewers_review_files(submitted_case, handler, clerk):
    for user in (handler, clerk):
        with pytest.raises(PermissionDenied):
            services.case_archive_review(case=submitted_case, result="passed",
                                         checklist=full_checklist(submitted_case), on=D(2025, 11, 14), by=user)


@pytest.mark.parametrize(("score", "grade"), [(100, "excellent"), (90, "excellent"), (89, "good"), (80, "good"),
                                              (79, "pass"), (60, "pass"), (59, "fail"), (0, "fail")])
def test_scores_map_to_grades_by_the_default_scale(archived_case, director, score, grade):
    services.case_grade(case=archived_case, score=score, on=D(2025, 11, 15), by=director)
    archived_case.refresh_from_db()
    assert archived_case.grade == grade


def test_the_default_scale_row_exists_and_a_new_scale_applies(archived_case, director):
    import importlib

    from django.apps import apps

    GradingScale.objects.all().delete()
    importlib.import_module("cases.migrations.0003_default_grading_scale").create_default(apps, None)
    scale = GradingScale.current()
    assert (scale.excellent_min, scale.good_min, scale.pass_min) == (90, 80, 60)
    GradingScale.objects.create(excellent_min=95, good_min=85, pass_min=70)
    services.case_grade(case=archived_case, score=92, on=D(2025, 11, 15), by=director)
    archived_case.refresh_from_db()
    assert archived_case.grade == "good"


def test_grading_needs_an_archived_case_and_a_score_up_to_100(closed_case, archived_case, director, handler):
    with pytest.raises(ValidationError):
        services.case_grade(case=archived_case, score=101, on=D(2025, 11, 15), by=director)
    with pytest.raises(PermissionDenied):
        services.case_grade(case=archived_case, score=90, on=D(2025, 11, 15), by=handler)


def test_terminating_a_criminal_case_numbers_the_decision_and_sets_the_notify_due(org, reviewer, frozen):
    notice = CriminalNoticeFactory(ground="other", received_on=D(2025, 11, 17))
    case = make_case(category="criminal", source="notice", notice=notice, stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 17),
                     recipient=notice.person)
    services.case_terminate(case=case, reason="own_counsel", on=D(2025, 11, 18), by=reviewer)
    case.refresh_from_db()
    assert case.status == "terminated"
    assert "援终字" in case.termination_number
    assert case.termination_notify_due == D(2025, 11, 21)


def test_terminating_ends_the_current_assignment_and_needs_an_article_48_reason(assigned_case, reviewer, clerk):
    with pytest.raises(ValidationError):
        services.case_terminate(case=assigned_case, reason="bored", on=D(2025, 11, 18), by=reviewer)
    with pytest.raises(PermissionDenied):
        services.case_terminate(case=assigned_case, reason="fraud", on=D(2025, 11, 18), by=clerk)
    services.case_terminate(case=assigned_case, reason="fraud", on=D(2025, 11, 18), by=reviewer,
                            substantive_work=True)
    assigned_case.refresh_from_db()
    assert assigned_case.termination_notify_due is None  # civil
    assert assigned_case.assignments.get().ended_on == D(2025, 11, 18)


def test_closed_or_archived_cases_cannot_be_terminated(closed_case, reviewer):
    with pytest.raises(ValidationError):
        services.case_terminate(case=closed_case, reason="fraud", on=D(2025, 11, 18), by=reviewer)


def test_quality_records_are_kept_by_the_center(assigned_case, director, reviewer, handler):
    services.hearing_record(case=assigned_case, by=director, date=D(2025, 11, 8), attendee="周主任",
                            court="示范县人民法院", assessment="准备充分")
    services.inspection_record(case=assigned_case, by=reviewer, date=D(2025, 11, 9), inspector="郑审查",
                               findings="材料齐全")
    services.opinion_record(case=assigned_case, by=reviewer, organ="示范县人民法院", sent_on=D(2025, 11, 9),
                            received_on=D(2025, 11, 12), satisfaction="satisfied", content="认真负责")
    services.followup_record(case=assigned_case, by=reviewer, date=D(2025, 11, 12), channel="phone",
                             satisfaction="satisfied", notes="受援人满意")
    c = services.complaint_record(case=assigned_case, by=reviewer, received_on=D(2025, 11, 12),
                                  complainant="受援人家属", content="联系不及时")
    services.complaint_handle(complaint=c, handling="约谈承办人", resolved_on=D(2025, 11, 13),
                              substantiated=False, by=reviewer)
    assert assigned_case.hearings.count() == assigned_case.opinions.count() == assigned_case.followups.count() == 1
    with pytest.raises(PermissionDenied):
        services.followup_record(case=assigned_case, by=handler, date=D(2025, 11, 12), channel="phone",
                                 satisfaction="satisfied")


def test_a_discussion_marks_the_case_major(assigned_case, director):
    services.discussion_record(case=assigned_case, held_on=D(2025, 11, 7), participants="周主任、郑审查、张伟",
                               conclusion="建议调解", by=director)
    assigned_case.refresh_from_db()
    assert assigned_case.major


def test_a_discussion_on_a_stale_copy_of_the_case_keeps_what_changed_since(assigned_case, director):
    """The discussion page's copy of the case was read before another user changed it: marking the case major
    saves the case as it is now, not the copy (which would undo that change)."""
    stale = Case.objects.get(pk=assigned_case.pk)
    Case.objects.filter(pk=assigned_case.pk).update(termination_note="另一用户刚写的说明")  # a change made meanwhile
    services.discussion_record(case=stale, held_on=D(2025, 11, 7), participants="周主任、郑审查",
                               conclusion="建议调解", by=director)
    fresh = Case.objects.get(pk=assigned_case.pk)
    assert fresh.major and fresh.termination_note == "另一用户刚写的说明" and stale.major


def test_nothing_is_deleted_along_the_way(archived_case):
    assert Case.objects.filter(pk=archived_case.pk).exists()
    assert archived_case.history.count() >= 4


def test_the_daily_scan_counts_overdue_and_due_soon_steps(org, clerk, frozen):
    from cases.tasks import scan_deadlines_daily

    make_case(accepted_on=D(2025, 11, 3))  # assign due 6 Nov: overdue
    make_case(accepted_on=D(2025, 11, 18))  # due 21 Nov: due soon
    counts = scan_deadlines_daily.delay().get()
    assert counts["overdue"] == 1
    assert counts["due_soon"] == 1
    assert counts["awaiting_assignment"] == 2




def test_a_grading_scale_with_thresholds_out_of_order_is_refused():
    with pytest.raises(ValidationError):
        GradingScale(excellent_min=80, good_min=85, pass_min=60).full_clean()
    GradingScale(excellent_min=95, good_min=85, pass_min=70).full_clean()
