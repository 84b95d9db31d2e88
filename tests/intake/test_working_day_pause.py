"""DOMAIN.md §5 deadlines: a rule counted in working days must pause while a supplementation notice's materials
are awaited, as a calendar-day rule does.

DOMAIN.md §5: "if incomplete, issue one notice listing everything missing …; the review clock pauses until the
materials arrive" and "each rule is configurable (length and unit: calendar days … or working days)".
An independent check found materials_supplied recomputing review_due as due_date(received_on + paused calendar
days): sliding the whole window by the pause's calendar length and then counting working days, which for a
working-day rule is no pause (around National Day 2025 a 4-day pause had no effect at all). Now the working
days used before the notice stay used and the rest are counted after the materials arrive.

The expected dates keep the product's own convention for a pause (the day the notice is issued counts, the
days after it up to and including the day the materials arrive do not: paused = fulfilled_on - issued_on).
"""

from datetime import date as D

import pytest
from freezegun import freeze_time

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return PersonFactory(name="王小明", hukou="rural", declared_groups=["migrant_worker"])


@freeze_time("2026-03-01 10:00:00+08:00")
@pytest.mark.parametrize("received,issued,supplied,expected", [
    # Tue 30 Sep received; Thu 9 Oct notice (1 working day used: 9 Oct); Mon 13 Oct materials arrive;
    # 6 working days left: 14, 15, 16, 17, 20, 21 Oct. Without any pause the due date would be 16 Oct
    # (9, 10, 11*, 13, 14, 15, 16) — which is what the product gives after the pause.
    (D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 13), D(2025, 10, 21)),
    # Mon 22 Sep received; Fri 26 Sep notice (4 working days used: 23–26 Sep); Mon 13 Oct materials arrive;
    # 3 working days left: 14, 15, 16 Oct. The product gives 17 Oct.
    (D(2025, 9, 22), D(2025, 9, 26), D(2025, 10, 13), D(2025, 10, 16)),
])
def test_a_working_day_review_clock_pauses_for_the_supplementation_notice(org, clerk, applicant, received, issued,
                                                                         supplied, expected):
    from core.models import DeadlineRule
    from intake import services
    from intake.models import Application

    DeadlineRule.objects.filter(code="application_review").update(length=7, unit="working")
    DeadlineRule.objects.filter(code="supplement").update(length=30)  # the materials come in time (by 26 Oct)
    app = services.application_receive(application=Application(
        applicant=applicant, received_on=received, category="civil", cause="labour_pay"), by=clerk)
    services.supplement_notice_issue(application=app, by=clerk, issued_on=issued)
    services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk, on=supplied)
    app = services.materials_supplied(application=app, by=clerk, on=supplied)

    assert app.review_due == expected
