"""Transitions of an application, deadlines and the criminal notice (DOMAIN.md §5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from intake import services
from intake.models import Application, Consultation
from tests.factories import PersonFactory

from .conftest import tick_all

S = Application.Status
AT = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
pytestmark = pytest.mark.django_db


@freeze_time("2025-03-03 10:00:00+08:00")
def test_receiving_at_the_center_numbers_the_receipt_and_starts_the_7_day_clock(make_app):
    app = make_app()
    assert app.status == S.RECEIVED
    assert app.number.startswith("（2025）") and "援收字第1号" in app.number
    assert app.review_due == date(2025, 3, 10)
    assert [m.name for m in app.materials.all()][0] == "法律援助申请表"


@freeze_time("2025-09-28 10:00:00+08:00")
def test_review_due_skips_the_national_day_holiday(make_app):
    app = make_app()
    # 2025-10-05 falls in the National Day holiday (10-01..10-08); the next working day is 10-09.
    assert app.review_due == date(2025, 10, 9)


@freeze_time("2025-03-03 10:00:00+08:00")
def test_station_staff_take_a_preliminary_intake_and_forward_it(person, staff_a, station_a):
    app = services.application_receive(application=Application(applicant=person, received_on=date(2025, 3, 3),
                                                               cause="labour_pay"), by=staff_a)
    assert app.status == S.DRAFT and app.station == station_a and app.number == ""
    app = services.application_forward(application=app, by=staff_a)
    assert app.status == S.RECEIVED and app.number and app.forwarded_at
    assert app.review_due == date(2025, 3, 10)


def test_station_staff_cannot_forward_another_stations_intake(person, staff_a, staff_b):
    from django.core.exceptions import PermissionDenied

    app = services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                               cause="labour_pay"), by=staff_a)
    with pytest.raises(PermissionDenied):  # not theirs to forward: a refusal of the user (intake.workflow)
        services.application_forward(application=app, by=staff_b)
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_a_station_user_posting_another_stations_id_is_rejected(person, staff_a, station_b):
    with pytest.raises(ValidationError) as exc:
        services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                             cause="labour_pay", station=station_b), by=staff_a)
    assert "station" in exc.value.error_dict
    assert not Application.objects.exists()


@freeze_time("2025-03-03 10:00:00+08:00")
def test_supplement_notice_lists_everything_missing_and_pauses_the_clock(make_app, clerk):
    app = make_app()
    first = app.materials.first()
    services.materials_update(application=app, received={first.pk}, by=clerk)
    with freeze_time("2025-03-04 09:00:00+08:00"):
        notice = services.supplement_notice_issue(application=app, by=clerk)
    assert "援补字第1号" in notice.number
    assert notice.items == [m.name for m in app.materials.all()][1:]
    assert notice.due_on == date(2025, 3, 19)
    app.refresh_from_db()
    assert app.status == S.INCOMPLETE
    assert app.materials_due == notice.due_on  # the deadline of the phase "awaiting materials"
    with freeze_time("2025-03-07 09:00:00+08:00"):
        with pytest.raises(ValidationError):
            services.materials_supplied(application=app, by=clerk)  # still missing
        tick_all(app, clerk)
        app = services.materials_supplied(application=app, by=clerk)
    assert app.status == S.RECEIVED and app.materials_due is None
    # Paused 3 days (03-04 → 03-07): 03-03 + 3 + 7 = 03-13.
    assert app.review_due == date(2025, 3, 13)
    notice.refresh_from_db()
    assert notice.fulfilled_on == date(2025, 3, 7)


def test_no_notice_when_nothing_is_missing(make_app, clerk):
    app = make_app()
    tick_all(app, clerk)
    with pytest.raises(ValidationError):
        services.supplement_notice_issue(application=app, by=clerk)


@freeze_time("2025-03-03 10:00:00+08:00")
def test_deemed_withdrawn_after_the_notices_date_by_the_daily_task(make_app, clerk):
    app = make_app()
    services.supplement_notice_issue(application=app, by=clerk)
    from intake.tasks import deem_withdrawn_daily

    with freeze_time("2025-03-18 02:00:00+08:00"):  # due 03-18: not yet
        assert deem_withdrawn_daily() == 0
    with freeze_time("2025-03-19 02:00:00+08:00"):
        assert deem_withdrawn_daily() == 1
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN and app.deemed_withdrawn and app.withdrawn_on == date(2025, 3, 19)


def test_materials_ticked_by_the_notices_date_are_supplied_not_deemed_withdrawn(make_app, clerk):
    """DOMAIN.md §5: only materials "not supplied by the notice's date" make an application deemed withdrawn.
    A clerk who ticked the last one in time but forgot to press "Materials supplied" does not cost the
    applicant the application: the daily task marks them supplied on the day the last one arrived."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        services.supplement_notice_issue(application=app, by=clerk)
    with freeze_time("2025-03-12 10:00:00+08:00"):
        tick_all(app, clerk)
    from intake.tasks import deem_withdrawn_daily

    with freeze_time("2025-03-19 02:00:00+08:00"):
        assert deem_withdrawn_daily() == 0
    app.refresh_from_db()
    assert app.status == S.RECEIVED and not app.deemed_withdrawn
    notice = app.supplement_notices.get()
    assert notice.fulfilled_on == date(2025, 3, 12)
    assert app.review_due == date(2025, 3, 19)  # 7 days from 03-03, paused 03-03..03-12 (9 days)


def test_materials_ticked_after_the_notices_date_do_not_save_the_application(make_app, clerk):
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        services.supplement_notice_issue(application=app, by=clerk)
    with freeze_time("2025-03-19 01:00:00+08:00"):  # the notice was due 03-18; the task has not run yet
        tick_all(app, clerk)
        assert services.deem_withdrawn() == 1
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN and app.deemed_withdrawn


@freeze_time("2025-03-05 10:00:00+08:00")
def test_ticking_the_last_material_tells_the_clerk_to_press_materials_supplied(make_app, clerk, client):
    app = make_app()
    services.supplement_notice_issue(application=app, by=clerk)
    client.force_login(clerk)
    response = client.post(f"/intake/applications/{app.pk}/materials/",
                           {"received": [m.pk for m in app.materials.all()]}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "全部收到" in text and "“材料已补齐”" in text
    app.refresh_from_db()
    assert app.status == S.INCOMPLETE  # the clerk decides the day: nothing is marked behind their back


def test_review_needs_complete_materials(make_app, clerk):
    app = make_app()
    with pytest.raises(ValidationError):
        services.application_submit_review(application=app, by=clerk)
    tick_all(app, clerk)
    assert services.application_submit_review(application=app, by=clerk).status == S.UNDER_REVIEW


@freeze_time("2025-03-05 10:00:00+08:00")
def test_grant_stores_the_reasons_numbers_the_decision_and_opens_the_case(make_app, clerk, reviewer):
    app = make_app(received_on=date(2025, 3, 3))
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, case = services.application_grant(application=app, by=reviewer)
    assert app.status == S.GRANTED and app.decided_by == reviewer and app.decided_on == date(2025, 3, 5)
    assert "援决字第1号" in app.decision_number
    assert app.eligibility_result == "eligible"
    assert "农民工追索劳动报酬，免予核查经济困难状况" in app.eligibility_reasons
    assert case.application == app and case.status == "awaiting" and case.accepted_on == date(2025, 3, 5)
    assert case.assign_due == date(2025, 3, 10)  # 03-08 is a Saturday → next working day
    assert case.source == "application"


def test_a_clerk_cannot_decide(make_app, clerk):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_grant(application=app, by=clerk)


def test_deciding_a_withdrawn_application_is_refused(make_app, clerk, reviewer):
    app = make_app()
    services.application_withdraw(application=app, by=clerk)
    with pytest.raises(ValidationError):
        services.application_grant(application=app, by=reviewer)
    with pytest.raises(ValidationError):
        services.application_refuse(application=app, by=reviewer, reasons="不符合条件")
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN and not app.decision_number


def test_grant_is_blocked_when_not_eligible(clerk, reviewer):
    rich = PersonFactory(hukou="urban", household_income=50000, household_size=1)
    app = services.application_receive(application=Application(applicant=rich, received_on=date.today(),
                                                               cause="traffic"), by=clerk)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    with pytest.raises(ValidationError):
        services.application_grant(application=app, by=reviewer)
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW


def test_refusal_needs_written_reasons_and_can_be_objected_to(make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    with pytest.raises(ValidationError):
        services.application_refuse(application=app, by=reviewer, reasons="  ")
    app = services.application_refuse(application=app, by=reviewer, reasons="不属于法律援助事项范围")
    assert app.status == S.REFUSED and "援不字第1号" in app.decision_number
    obj = services.objection_file(application=app, by=clerk, filed_on=date.today(), grounds="不服")
    services.objection_decide(objection=obj, by=reviewer, outcome="overturned", decided_on=date.today())
    app, case = services.application_grant(application=app, by=reviewer)
    assert app.status == S.GRANTED and case


def test_advance_aid_is_granted_before_materials_are_complete(make_app, reviewer):
    app = make_app(advance_aid=True, advance_aid_reason="诉讼时效将于5日内届满")
    app, case = services.application_grant(application=app, by=reviewer)
    assert app.status == S.GRANTED and case.advance_aid


def test_advance_aid_needs_a_reason(person, clerk):
    with pytest.raises(ValidationError) as exc:
        services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                             cause="labour_pay", advance_aid=True), by=clerk)
    assert "advance_aid_reason" in exc.value.error_dict


def test_green_channel_only_for_migrant_workers_wage_or_injury(clerk):
    other = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.application_receive(application=Application(applicant=other, received_on=date.today(),
                                                             cause="labour_pay", green_channel=True), by=clerk)
    assert "green_channel" in exc.value.error_dict


def test_future_received_date_is_rejected(person, clerk):
    with pytest.raises(ValidationError):
        services.application_receive(application=Application(applicant=person, received_on=date(2999, 1, 1),
                                                             cause="labour_pay"), by=clerk)


def test_led_to_an_application_links_the_consultation(person, clerk):
    c = services.consultation_save(consultation=Consultation(occurred_at=AT,
                                                             person_name="王小明"), by=clerk)
    app = services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                               cause="labour_pay"), by=clerk, consultation=c)
    c.refresh_from_db()
    assert c.application == app and c.outcome == "application" and c.person == person


def test_a_consultation_leads_to_one_application_and_keeps_saying_so(person, clerk):
    """§3: a consultation that leads to an application links to it: not a second one, and its outcome is not
    edited away from 引导申请 while the link stays."""
    c = services.consultation_save(consultation=Consultation(occurred_at=AT, person_name="王小明"), by=clerk)
    services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                         cause="labour_pay"), by=clerk, consultation=c)
    c.refresh_from_db()
    with pytest.raises(ValidationError):
        services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                             cause="labour_pay"), by=clerk, consultation=c)
    assert Application.objects.count() == 1
    c.outcome = "answered"
    with pytest.raises(ValidationError) as exc:
        services.consultation_save(consultation=c, by=clerk)
    assert "outcome" in exc.value.message_dict
    assert Consultation.objects.get(pk=c.pk).outcome == "application"


@freeze_time("2025-03-03 10:00:00+08:00")
def test_a_criminal_notice_opens_a_case_awaiting_assignment_within_3_days(clerk):
    from intake.models import CriminalNotice

    minor = PersonFactory(name="李小军", birth_date=date(2009, 5, 1))
    notice, case = services.notice_register(notice=CriminalNotice(
        organ="court", organ_name="示范县人民法院", notice_number="（2025）示刑通字第8号",
        received_on=date(2025, 3, 3), person=minor, ground="minor", stage="trial", cause="theft"), by=clerk)
    assert case.notice == notice and case.source == "notice" and case.status == "awaiting"
    assert case.aid_form == "criminal_defence" and case.role == "defence" and case.category == "criminal"
    assert case.assign_due == date(2025, 3, 6)
    assert "minor" in case.recipient_groups


def test_station_staff_consultation_is_pinned_to_their_station(staff_a, station_a, station_b):
    c = services.consultation_save(consultation=Consultation(occurred_at=AT), by=staff_a)
    assert c.station == station_a
    with pytest.raises(ValidationError):
        services.consultation_save(consultation=Consultation(occurred_at=AT,
                                                             station=station_b), by=staff_a)


def test_person_merge_moves_records_and_keeps_the_duplicate(director, clerk, person):
    from applicants.services import person_merge

    dup = PersonFactory(name="王小明", id_number="", phone="13900001111")
    app = services.application_receive(application=Application(applicant=dup, received_on=date.today(),
                                                               cause="labour_pay"), by=clerk)
    person_merge(keep=person, drop=dup, by=director, reason="重复登记")
    app.refresh_from_db()
    dup.refresh_from_db()
    assert app.applicant == person and dup.merged_into == person
    assert dup.history.count() >= 2


def test_person_merge_finds_every_record_that_points_at_a_person():
    """Read from the models, so applicants imports no app above it; a new app's records would move too."""
    from applicants.services import records_pointing_at_a_person

    found = {(model._meta.label, field) for model, field in records_pointing_at_a_person()}
    assert {("intake.Application", "applicant"), ("intake.CriminalNotice", "person"),
            ("intake.Consultation", "person"), ("intake.Matter", "person"), ("cases.Case", "recipient")} <= found
    assert not any(label.startswith("applicants.") or ".Historical" in label for label, _field in found)


def test_only_a_director_may_merge(clerk, person):
    from django.core.exceptions import PermissionDenied

    from applicants.services import person_merge

    with pytest.raises(PermissionDenied):
        person_merge(keep=person, drop=PersonFactory(), by=clerk)
