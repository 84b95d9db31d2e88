from datetime import date

import pytest

from core.deadlines import add_period, due_date, is_working_day

# The holiday calendar is a table (core.holidays).
pytestmark = pytest.mark.django_db


def test_a_limit_ending_on_national_day_moves_to_the_next_working_day():
    # 2025-09-28 + 3 calendar days = 1 October, inside the 1–8 October holiday.
    assert add_period(date(2025, 9, 28), 3, "calendar") == date(2025, 10, 9)


def test_a_make_up_saturday_counts_as_a_working_day():
    assert date(2025, 9, 28).weekday() == 6 and is_working_day(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5 and is_working_day(date(2025, 10, 11))


def test_working_day_limits_skip_the_holiday_and_count_the_make_up_day():
    # From Thursday 25 Sep 2025: Fri 26 (1), Sat 27 rest, Sun 28 make-up day (2), Mon 29 (3).
    assert add_period(date(2025, 9, 25), 3, "working") == date(2025, 9, 29)
    # From Mon 29 Sep: Tue 30 (1), 1–8 October holiday, Thu 9 (2), Fri 10 (3).
    assert add_period(date(2025, 9, 29), 3, "working") == date(2025, 10, 10)


def test_a_limit_ending_on_a_weekend_moves_to_monday():
    # 2025-03-05 (Wed) + 3 = Saturday 8 March → Monday 10 March.
    assert add_period(date(2025, 3, 5), 3, "calendar") == date(2025, 3, 10)


def test_a_year_the_calendar_does_not_know_still_skips_weekends():
    assert add_period(date(2031, 3, 5), 3, "calendar") == date(2031, 3, 10)


def test_rules_come_from_the_database_and_can_be_changed(db):
    from core.models import DeadlineRule

    assert due_date("application_review", date(2025, 3, 3)) == date(2025, 3, 10)
    DeadlineRule.objects.filter(code="application_review").update(length=5, unit="working")
    assert due_date("application_review", date(2025, 3, 3)) == date(2025, 3, 10)
    DeadlineRule.objects.filter(code="application_review").update(length=2, unit="working")
    assert due_date("application_review", date(2025, 3, 3)) == date(2025, 3, 5)


def test_paused_days_extend_the_due_date(db):
    assert due_date("application_review", date(2025, 3, 3), paused_days=7) == date(2025, 3, 17)


def test_a_pause_of_a_working_day_rule_keeps_the_days_used_before_it(db):
    from core.models import DeadlineRule

    DeadlineRule.objects.update_or_create(code="application_review", defaults={
        "name": "申请审查", "length": 7, "unit": "working", "basis": "法律援助法第四十三条"})
    # Mon 3 Mar 2025: 4 working days used (4–7 Mar), paused from the notice on Fri 7 Mar to Mon 17 Mar, then 3
    # more (18–20 Mar); two pauses add up, and a calendar-day rule moves by the paused days as before.
    assert due_date("application_review", date(2025, 3, 3), pauses=[(date(2025, 3, 7), date(2025, 3, 17))]) == \
        date(2025, 3, 20)
    assert due_date("application_review", date(2025, 3, 3), pauses=[
        (date(2025, 3, 5), date(2025, 3, 6)), (date(2025, 3, 7), date(2025, 3, 17))]) == date(2025, 3, 21)
    DeadlineRule.objects.filter(code="application_review").update(unit="calendar")
    assert due_date("application_review", date(2025, 3, 3), pauses=[(date(2025, 3, 7), date(2025, 3, 17))]) == \
        due_date("application_review", date(2025, 3, 3), paused_days=10)
