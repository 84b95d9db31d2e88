"""Case deadlines use the holiday-aware rules of core.deadlines (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases import services
from core.models import DeadlineRule
from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


@freeze_time("2025-10-20")
def test_an_assign_deadline_ending_on_national_day_moves_to_the_next_working_day(org):
    case = make_case(accepted_on=D(2025, 9, 28))  # + 3 days = 1 Oct, National Day holiday to 8 Oct
    assert case.assign_due == D(2025, 10, 9)


@freeze_time("2025-10-20")
def test_a_notice_assign_deadline_ending_on_a_holiday_moves_too(org):
    notice = CriminalNoticeFactory(received_on=D(2025, 9, 29))
    case = make_case(category="criminal", source="notice", notice=notice, stage="trial", aid_form="criminal_defence",
                     cause="theft", accepted_on=D(2025, 9, 29), recipient=notice.person)
    assert case.assign_due == D(2025, 10, 9)


@freeze_time("2025-10-20")
def test_a_calendar_deadline_ending_on_a_make_up_working_sunday_stays_there(org):
    case = make_case(accepted_on=D(2025, 9, 25))  # + 3 = Sunday 28 Sep, a 调休 working day
    assert case.assign_due == D(2025, 9, 28)


@freeze_time("2025-10-20")
def test_a_working_day_rule_counts_the_make_up_sunday(org):
    DeadlineRule.objects.update_or_create(code="case_assign", defaults={
        "name": "指派承办人", "length": 3, "unit": "working"})
    case = make_case(accepted_on=D(2025, 9, 26))  # Fri; Sat rest, Sun 28 works, Mon 29, Tue 30
    assert case.assign_due == D(2025, 9, 30)


@freeze_time("2025-10-20")
def test_a_working_day_rule_skips_the_whole_national_day_holiday(org):
    DeadlineRule.objects.update_or_create(code="case_assign", defaults={
        "name": "指派承办人", "length": 3, "unit": "working"})
    case = make_case(accepted_on=D(2025, 9, 29))  # Tue 30 Sep, then 9 Oct, 10 Oct
    assert case.assign_due == D(2025, 10, 10)


@freeze_time("2025-10-20")
def test_the_agreement_deadline_is_five_days_after_assignment_and_skips_the_holiday(org, clerk):
    case = make_case(accepted_on=D(2025, 9, 26))
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=D(2025, 9, 28), by=clerk)
    case.refresh_from_db()
    assert case.agreement_due == D(2025, 10, 9)  # 3 Oct is a holiday


@freeze_time("2025-12-31")
def test_file_and_archive_deadlines_are_thirty_days_after_closing_and_submission(org, clerk, handler, reviewer):
    case = make_case(accepted_on=D(2025, 9, 1))
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=D(2025, 9, 2), by=clerk)
    services.case_close(case=case, closed_on=D(2025, 9, 5), outcome="settlement", closing_report="和解",
                        by=handler)
    case.refresh_from_db()
    assert case.file_due == D(2025, 10, 9)  # 5 Oct falls in the National Day holiday
    services.case_submit_file(case=case, submitted_on=D(2025, 11, 1), by=handler)
    case.refresh_from_db()
    assert case.archive_due == D(2025, 12, 1)


@freeze_time("2025-10-20")
def test_a_changed_rule_length_applies_to_new_cases(org):
    DeadlineRule.objects.update_or_create(code="case_assign", defaults={
        "name": "指派承办人", "length": 1, "unit": "calendar"})
    case = make_case(accepted_on=D(2025, 10, 13))
    assert case.assign_due == D(2025, 10, 14)
