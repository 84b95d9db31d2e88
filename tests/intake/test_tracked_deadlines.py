"""Tracked deadlines of the window (issue 16, item 6): the 5-day objection decision (Art. 49) with its
outcome, and one supplementation notice per application (Art. 43)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from intake import services
from intake.models import Application, SupplementNotice
from tests.factories import PersonFactory

from .conftest import tick_all

S = Application.Status
pytestmark = pytest.mark.django_db


def refused(make_app, clerk, reviewer, **kw) -> Application:
    app = make_app(**kw)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    return services.application_refuse(application=app, by=reviewer, reasons="不属于法律援助事项范围")


# --- The objection clock --------------------------------------------------------------------------

@freeze_time("2025-03-05 10:00:00+08:00")
def test_an_objection_is_due_five_days_after_it_was_received(make_app, clerk, reviewer):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 3, 5), grounds="不服")
    assert obj.due_on == date(2025, 3, 10)  # Wednesday + 5 = Monday


@freeze_time("2025-03-03 10:00:00+08:00")
def test_an_objection_due_on_a_saturday_moves_to_monday(make_app, clerk, reviewer):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 3, 3), grounds="不服")
    assert obj.due_on == date(2025, 3, 10)  # 8 March is a Saturday


@freeze_time("2025-09-28 10:00:00+08:00")
def test_an_objection_due_in_the_national_day_holiday_moves_past_it(make_app, clerk, reviewer):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 9, 28), grounds="不服")
    assert obj.due_on == date(2025, 10, 9)  # 3 Oct is in the holiday (1–8 Oct)


@freeze_time("2025-03-05 10:00:00+08:00")
def test_a_second_objection_while_one_is_pending_is_refused(make_app, clerk, reviewer):
    app = refused(make_app, clerk, reviewer)
    services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
    with pytest.raises(ValidationError):
        services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="再次不服")
    assert app.objections.count() == 1


@freeze_time("2025-03-05 10:00:00+08:00")
def test_the_outcome_records_the_decision_date_who_recorded_it_and_the_note(make_app, clerk, reviewer):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 3, 5), grounds="不服")
    services.objection_decide(objection=obj, by=reviewer, outcome="upheld", decided_on=date(2025, 3, 5),
                              note="  司法局维持原决定  ")
    obj.refresh_from_db()
    assert (obj.outcome, obj.decided_on, obj.decided_by, obj.note) == ("upheld", date(2025, 3, 5), reviewer,
                                                                       "司法局维持原决定")
    latest = obj.history.first()
    assert latest.history_user == reviewer and latest.outcome == "upheld"


@freeze_time("2025-03-05 10:00:00+08:00")
def test_a_clerk_or_station_staff_cannot_record_the_outcome(make_app, clerk, reviewer, staff_a):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 3, 5), grounds="不服")
    for user in (clerk, staff_a):
        with pytest.raises(PermissionDenied):
            services.objection_decide(objection=obj, by=user, outcome="upheld", decided_on=date(2025, 3, 5))
    obj.refresh_from_db()
    assert obj.outcome == "pending" and obj.decided_by is None


@freeze_time("2025-03-05 10:00:00+08:00")
def test_an_outcome_in_the_future_or_before_the_objection_changes_nothing(make_app, clerk, reviewer):
    obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                  filed_on=date(2025, 3, 5), grounds="不服")
    for day in (date(2025, 3, 6), date(2025, 3, 4)):
        with pytest.raises(ValidationError):
            services.objection_decide(objection=obj, by=reviewer, outcome="upheld", decided_on=day)
    with pytest.raises(ValidationError):
        services.objection_decide(objection=obj, by=reviewer, outcome="pending", decided_on=date(2025, 3, 5))
    obj.refresh_from_db()
    assert obj.outcome == "pending"


def test_an_objection_is_late_when_pending_past_its_date_or_decided_after_it(make_app, clerk, reviewer):
    with freeze_time("2025-03-05 10:00:00+08:00") as clock:
        obj = services.objection_file(application=refused(make_app, clerk, reviewer), by=clerk,
                                      filed_on=date(2025, 3, 5), grounds="不服")
        assert not services.objection_late(obj)
        clock.move_to("2025-03-11 10:00:00+08:00")
        assert services.objection_late(obj)
        services.objection_decide(objection=obj, by=reviewer, outcome="upheld", decided_on=date(2025, 3, 11))
        obj.refresh_from_db()
        assert services.objection_late(obj)


# --- The objection on the pages -----------------------------------------------------------------

def _objection_due(html: str) -> str:
    found = re.search(r'data-testid="objection-due">(.*?)</span>\s*</span>', html, re.S)
    assert found, "no due date on the page"
    return found.group(1)


def test_the_application_page_shows_the_due_date_in_red_once_overdue(make_app, clerk, reviewer, client_for):
    with freeze_time("2025-03-05 10:00:00+08:00") as clock:
        app = refused(make_app, clerk, reviewer)
        services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
        html = client_for("clerk").get(f"/intake/applications/{app.pk}/").content.decode()
        assert "2025-03-10" in _objection_due(html) and "text-bg-danger" not in _objection_due(html)
        clock.move_to("2025-03-12 10:00:00+08:00")
        html = client_for("clerk").get(f"/intake/applications/{app.pk}/").content.decode()
        assert "text-bg-danger" in _objection_due(html) and "已逾期 2 天" in html


@freeze_time("2025-03-05 10:00:00+08:00")
def test_the_outcome_form_is_offered_to_deciders_only(make_app, clerk, reviewer, client_for):
    app = refused(make_app, clerk, reviewer)
    services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
    url = f"/intake/applications/{app.pk}/"
    assert 'data-testid="objection-decide-form"' in client_for("reviewer").get(url).content.decode()
    assert 'data-testid="objection-decide-form"' in client_for("director").get(url).content.decode()
    assert 'data-testid="objection-decide-form"' not in client_for("clerk").get(url).content.decode()


@freeze_time("2025-03-05 10:00:00+08:00")
def test_posting_the_outcome_answers_deciders_and_refuses_the_others(make_app, clerk, reviewer, client_for):
    app = refused(make_app, clerk, reviewer)
    obj = services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
    data = {"outcome": "overturned", "decided_on": "2025-03-05", "note": "责令改正"}
    url = f"/intake/objections/{obj.pk}/decide/"
    for persona, status in [("clerk", 403), ("staff_a", 403), ("finance", 403), ("handler", 403)]:
        assert client_for(persona).post(url, data).status_code == status, persona
    obj.refresh_from_db()
    assert obj.outcome == "pending"
    r = client_for("reviewer").post(url, data)
    assert r.status_code == 302 and r["Location"] == f"/intake/applications/{app.pk}/"
    obj.refresh_from_db()
    assert (obj.outcome, obj.decided_by) == ("overturned", reviewer)
    html = client_for("clerk").get(f"/intake/applications/{app.pk}/").content.decode()
    assert "责令改正" in html and reviewer.display_name in html


@freeze_time("2025-03-05 10:00:00+08:00")
def test_station_staff_see_their_stations_objection_but_never_decide_it(person, staff_a, staff_b, clerk, reviewer, client_for):
    app = services.application_receive(application=Application(applicant=person, received_on=date(2025, 3, 5),
                                                               cause="labour_pay"), by=staff_a)
    app = services.application_forward(application=app, by=staff_a)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    services.application_refuse(application=app, by=reviewer, reasons="不符合条件")
    obj = services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
    # station staff never decide (403, as the permission table says); another station's application is 404
    assert client_for("staff_b").get(f"/intake/objections/{obj.pk}/decide/").status_code == 403
    assert client_for("staff_b").get(f"/intake/applications/{app.pk}/").status_code == 404
    html = client_for("staff_a").get(f"/intake/applications/{app.pk}/").content.decode()
    assert "2025-03-10" in _objection_due(html) and 'data-testid="objection-decide-form"' not in html


@freeze_time("2025-03-05 10:00:00+08:00")
@pytest.mark.parametrize("data", [
    {"outcome": "upheld", "decided_on": "not-a-date"},
    {"outcome": "upheld", "decided_on": "2025-02-30"},
    {"outcome": "nonsense", "decided_on": "2025-03-05"},
    {"outcome": "upheld", "decided_on": "2025-03-06"},
    {"outcome": "upheld", "decided_on": "2025-03-01"},
    {"outcome": "upheld"},
])
def test_bad_outcome_input_is_explained_in_chinese_and_changes_nothing(make_app, clerk, reviewer, client_for, data):
    app = refused(make_app, clerk, reviewer)
    obj = services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
    r = client_for("reviewer").post(f"/intake/objections/{obj.pk}/decide/", data)
    assert r.status_code == 200
    assert re.search(r"[\u4e00-\u9fff]", str(r.context["form"].errors))
    obj.refresh_from_db()
    assert obj.outcome == "pending"


def test_an_unknown_objection_number_is_not_found(client_for, org):
    assert client_for("reviewer").get("/intake/objections/999999/decide/").status_code == 404


# --- The deciders' to-do ----------------------------------------------------------------------------

def test_the_deciders_home_lists_pending_objections_with_the_overdue_count(make_app, clerk, reviewer, client_for):
    from intake.nav import _review_badge

    with freeze_time("2025-03-05 10:00:00+08:00") as clock:
        app = refused(make_app, clerk, reviewer)
        services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 5), grounds="不服")
        assert _review_badge(reviewer) == 1
        clock.move_to("2025-03-11 10:00:00+08:00")
        html = client_for("reviewer").get("/").content.decode()
        assert "待审查的异议" in html and app.number in html
        assert 'data-testid="objections-overdue"' in html
        assert "待审查的异议" not in client_for("clerk").get("/").content.decode()
        obj = app.objections.get()
        services.objection_decide(objection=obj, by=reviewer, outcome="upheld", decided_on=date(2025, 3, 11))
        assert "待审查的异议" not in client_for("reviewer").get("/").content.decode()
        assert _review_badge(reviewer) == 0


# --- One supplementation notice ---------------------------------------------------------------------

def _incomplete_again(make_app, clerk) -> Application:
    """An application whose first notice was answered, then a further material turned out to be needed."""
    app = make_app()
    services.supplement_notice_issue(application=app, by=clerk)
    tick_all(app, clerk)
    services.materials_supplied(application=app, by=clerk)
    services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk,
                              extra="工伤认定决定书")
    app.refresh_from_db()
    assert app.status == S.RECEIVED and services.missing_materials(app) == ["工伤认定决定书"]
    return app


@freeze_time("2025-03-05 10:00:00+08:00")
def test_a_second_supplementation_notice_without_a_reason_is_refused(make_app, clerk):
    app = _incomplete_again(make_app, clerk)
    with pytest.raises(ValidationError) as exc:
        services.supplement_notice_issue(application=app, by=clerk)
    assert "reason" in exc.value.error_dict
    app.refresh_from_db()
    assert app.status == S.RECEIVED and app.supplement_notices.count() == 1


@freeze_time("2025-03-05 10:00:00+08:00")
def test_a_second_supplementation_notice_with_a_written_reason_is_issued_and_logged(make_app, clerk):
    app = _incomplete_again(make_app, clerk)
    notice = services.supplement_notice_issue(application=app, by=clerk,
                                              reason="  申请人补交材料时称已申请工伤认定，需补充认定决定书  ")
    assert notice.reason == "申请人补交材料时称已申请工伤认定，需补充认定决定书"
    assert notice.items == ["工伤认定决定书"]
    app.refresh_from_db()
    assert app.status == S.INCOMPLETE
    last = app.history.first()
    assert last.history_user == clerk and "申请人补交材料时称" in last.history_change_reason
    assert notice.history.first().history_change_reason.startswith("申请人补交材料时称")


@freeze_time("2025-03-05 10:00:00+08:00")
def test_the_first_notice_needs_no_reason_and_keeps_none(make_app, clerk):
    notice = services.supplement_notice_issue(application=make_app(), by=clerk, reason="随便写的")
    assert notice.reason == ""


@freeze_time("2025-03-05 10:00:00+08:00")
def test_the_page_asks_for_the_reason_and_a_post_without_it_changes_nothing(make_app, clerk, client_for):
    app = _incomplete_again(make_app, clerk)
    c = client_for("clerk")
    html = c.get(f"/intake/applications/{app.pk}/").content.decode()
    assert 'data-testid="further-supplement"' in html and "一次性告知" in html
    r = c.post(f"/intake/applications/{app.pk}/supplement/", {"reason": "   "}, follow=True)
    assert "再次发出通知书须写明理由" in r.content.decode()
    assert SupplementNotice.objects.filter(application=app).count() == 1
    r = c.post(f"/intake/applications/{app.pk}/supplement/", {"reason": "x" * 1001}, follow=True)
    assert "理由过长" in r.content.decode()
    assert SupplementNotice.objects.filter(application=app).count() == 1
    r = c.post(f"/intake/applications/{app.pk}/supplement/", {"reason": "遗漏工伤认定决定书"}, follow=True)
    assert SupplementNotice.objects.filter(application=app).count() == 2
    assert "遗漏工伤认定决定书" in r.content.decode()


@freeze_time("2025-03-05 10:00:00+08:00")
def test_reviewers_and_station_staff_follow_the_same_rule(make_app, clerk, staff_a, reviewer, client_for):
    app = _incomplete_again(make_app, clerk)
    assert client_for("staff_b").post(f"/intake/applications/{app.pk}/supplement/",
                                      {"reason": "理由"}).status_code == 404
    assert client_for("finance").post(f"/intake/applications/{app.pk}/supplement/",
                                      {"reason": "理由"}).status_code == 403
    assert SupplementNotice.objects.filter(application=app).count() == 1
    other = make_app(applicant=PersonFactory(declared_groups=["migrant_worker"]))
    services.supplement_notice_issue(application=other, by=reviewer)
    assert other.supplement_notices.count() == 1
