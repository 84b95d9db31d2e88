"""Tracked deadlines of a case (issue 16, item 6): the 3-day notice of a termination to the organ (Art. 48)
recorded as sent, which clears the to-do and the overdue lists, and the send date of the 公函 of a notice case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from cases import services
from cases.home import todo_queryset
from cases.models import Case
from cases.selectors import due_soon_q, overdue_q
from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = D(2025, 11, 17)


def notice_case(org, accepted_on=MONDAY) -> Case:
    notice = CriminalNoticeFactory(ground="other", received_on=accepted_on)
    return make_case(category="criminal", source="notice", notice=notice, stage="trial", aid_form="criminal_defence",
                     cause="theft", accepted_on=accepted_on, recipient=notice.person,
                     station=org["stations"]["station-a"])


@pytest.fixture
def terminated(org, reviewer, frozen) -> Case:
    """A criminal notice case terminated on Monday 17 Nov 2025: the organ is to be told by Thursday 20 Nov."""
    case = notice_case(org)
    services.case_terminate(case=case, reason="own_counsel", on=D(2025, 11, 17), by=reviewer)
    case.refresh_from_db()
    assert case.termination_notify_due == D(2025, 11, 20)
    return case


def in_(qs, case) -> bool:
    return qs.filter(pk=case.pk).exists()


# --- the termination notice ---------------------------------------------------------------------------

def test_an_unsent_termination_notice_is_due_soon_then_overdue(terminated):
    assert in_(Case.objects.filter(due_soon_q(D(2025, 11, 20))), terminated)
    assert not in_(Case.objects.filter(overdue_q(D(2025, 11, 20))), terminated)
    assert in_(Case.objects.filter(overdue_q(D(2025, 11, 21))), terminated)


def test_recording_the_notice_sets_date_and_means_and_keeps_the_history(terminated, clerk):
    services.case_termination_notified(case=terminated, on=D(2025, 11, 19), means="post", by=clerk)
    terminated.refresh_from_db()
    assert (terminated.termination_notified_on, terminated.termination_notify_means) == (D(2025, 11, 19), "post")
    last = terminated.history.first()
    assert last.history_user == clerk and last.termination_notify_means == "post"
    assert "邮寄送达" in last.history_change_reason


def test_the_notice_marked_sent_clears_the_overdue_and_the_to_do(terminated, clerk, director):
    with freeze_time("2025-11-24 10:00:00+08:00"):
        assert in_(Case.objects.filter(overdue_q()), terminated)
        assert in_(todo_queryset(clerk), terminated) and in_(todo_queryset(director), terminated)
        services.case_termination_notified(case=terminated, on=D(2025, 11, 24), means="served", by=clerk)
        assert not in_(Case.objects.filter(overdue_q()), terminated)
        assert not in_(Case.objects.filter(due_soon_q()), terminated)
        assert not in_(todo_queryset(clerk), terminated) and not in_(todo_queryset(director), terminated)


def test_a_late_notice_is_still_recorded(terminated, clerk):
    with freeze_time("2025-12-01 10:00:00+08:00"):
        services.case_termination_notified(case=terminated, on=D(2025, 12, 1), means="electronic", by=clerk)
    terminated.refresh_from_db()
    assert terminated.termination_notified_on == D(2025, 12, 1)


def test_only_center_staff_who_assign_record_the_notice(terminated, handler, staff_a, finance):
    for user in (handler, staff_a, finance):
        with pytest.raises(PermissionDenied):
            services.case_termination_notified(case=terminated, on=D(2025, 11, 18), means="served", by=user)
    terminated.refresh_from_db()
    assert terminated.termination_notified_on is None


@pytest.mark.parametrize(("on", "means"), [
    (D(2025, 11, 16), "served"),  # before the termination
    (D(2025, 11, 21), "served"),  # tomorrow
    (D(2025, 11, 18), "fax"),  # not a means we know
    (D(2025, 11, 18), ""),
    (None, "served"),
])
def test_a_bad_date_or_means_changes_nothing(terminated, clerk, on, means):
    with pytest.raises(ValidationError):
        services.case_termination_notified(case=terminated, on=on, means=means, by=clerk)
    terminated.refresh_from_db()
    assert terminated.termination_notified_on is None and terminated.termination_notify_means == ""


def test_the_notice_is_recorded_once(terminated, clerk, reviewer):
    services.case_termination_notified(case=terminated, on=D(2025, 11, 18), means="served", by=clerk)
    with pytest.raises(ValidationError):
        services.case_termination_notified(case=terminated, on=D(2025, 11, 19), means="post", by=reviewer)
    terminated.refresh_from_db()
    assert terminated.termination_notified_on == D(2025, 11, 18)


def test_a_civil_or_open_case_has_no_notice_to_record(assigned_case, clerk, reviewer):
    with pytest.raises(ValidationError):
        services.case_termination_notified(case=assigned_case, on=D(2025, 11, 18), means="served", by=clerk)
    services.case_terminate(case=assigned_case, reason="fraud", on=D(2025, 11, 18), by=reviewer)
    with pytest.raises(ValidationError):
        services.case_termination_notified(case=assigned_case, on=D(2025, 11, 18), means="served", by=clerk)


def test_the_case_page_shows_the_next_step_and_the_form_to_those_who_may(terminated, client_for):
    url = reverse("cases:case_detail", args=[terminated.pk])
    html = client_for("clerk").get(url).content.decode()
    assert 'data-testid="termination-notice-form"' in html and "将终止决定通知办案机关" in html
    page = client_for("staff_a").get(url).content.decode()  # the station sees its case, read-only
    assert 'data-testid="termination-notice-form"' not in page and "通知办案机关期限" in page


def test_recording_through_the_page(terminated, client_for):
    url = reverse("cases:case_termination_notified", args=[terminated.pk])
    r = client_for("clerk").post(url, {"on": "2025-11-19", "means": "served"}, follow=True)
    assert "已登记通知办案机关" in r.content.decode()
    assert "已将终止决定通知办案机关" in r.content.decode() and "直接送达" in r.content.decode()
    terminated.refresh_from_db()
    assert terminated.termination_notified_on == D(2025, 11, 19)
    assert 'data-testid="termination-notice-form"' not in r.content.decode()


@pytest.mark.parametrize("data", [
    {}, {"on": "yesterday", "means": "served"}, {"on": "2025-13-01", "means": "served"},
    {"on": "2025-11-19", "means": "pigeon"}, {"on": "2025-11-16", "means": "served"},
    {"on": "2025-11-30", "means": "served"}, {"on": "2025-11-19"},
])
def test_bad_input_on_the_page_is_a_chinese_message_and_changes_nothing(terminated, client_for, data):
    url = reverse("cases:case_termination_notified", args=[terminated.pk])
    r = client_for("clerk").post(url, data, follow=True)
    assert r.status_code == 200
    errors = [str(m) for m in r.context["messages"] if m.level_tag == "error"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors), errors
    terminated.refresh_from_db()
    assert terminated.termination_notified_on is None


def test_the_page_answers_403_and_404_as_the_roles_say(terminated, client_for, org, clerk):
    url = reverse("cases:case_termination_notified", args=[terminated.pk])
    data = {"on": "2025-11-19", "means": "served"}
    assert client_for("staff_b").post(url, data).status_code == 404  # another station's case
    for persona in ("staff_a", "finance"):
        assert client_for(persona).post(url, data).status_code == 403, persona
    assert client_for("clerk").get(url).status_code == 405
    assert client_for("anonymous").post(url, data).status_code == 302
    assert client_for("clerk").post(reverse("cases:case_termination_notified", args=[999999]), data
                                    ).status_code == 404
    terminated.refresh_from_db()
    assert terminated.termination_notified_on is None


def test_the_assigners_home_lists_the_termination_until_notified(terminated, client_for, clerk):
    html = client_for("clerk").get("/").content.decode()
    assert "待通知办案机关的终止案件" in html and terminated.number in html
    services.case_termination_notified(case=terminated, on=D(2025, 11, 20), means="served", by=clerk)
    assert "待通知办案机关的终止案件" not in client_for("clerk").get("/").content.decode()


# --- the 公函 of a notice case ------------------------------------------------------------------------

@pytest.fixture
def assigned_notice(org, clerk, frozen):
    case = notice_case(org)
    assignment = services.case_assign(case=case, handler=org["handlers"]["张伟"], on=D(2025, 11, 18), by=clerk)
    assert assignment.letter_number
    return case, assignment


def test_the_letter_send_date_is_recorded_once_with_its_history(assigned_notice, clerk, reviewer):
    case, assignment = assigned_notice
    services.assignment_letter_sent(assignment=assignment, on=D(2025, 11, 19), by=clerk)
    assignment.refresh_from_db()
    assert assignment.letter_sent_on == D(2025, 11, 19)
    assert assignment.history.first().history_user == clerk
    with pytest.raises(ValidationError):
        services.assignment_letter_sent(assignment=assignment, on=D(2025, 11, 20), by=reviewer)


@pytest.mark.parametrize("on", [D(2025, 11, 17), D(2025, 11, 21), None])
def test_a_letter_date_before_the_assignment_or_in_the_future_is_refused(assigned_notice, clerk, on):
    _case, assignment = assigned_notice
    with pytest.raises(ValidationError):
        services.assignment_letter_sent(assignment=assignment, on=on, by=clerk)
    assignment.refresh_from_db()
    assert assignment.letter_sent_on is None


def test_an_application_case_has_no_letter(assigned_case, clerk, handler):
    assignment = assigned_case.assignments.get()
    with pytest.raises(ValidationError):
        services.assignment_letter_sent(assignment=assignment, on=D(2025, 11, 19), by=clerk)
    with pytest.raises(PermissionDenied):
        services.assignment_letter_sent(assignment=assignment, on=D(2025, 11, 19), by=handler)


def test_the_letter_date_is_recorded_on_the_case_page_and_shown_on_the_notice_page(assigned_notice, client_for):
    case, assignment = assigned_notice
    detail = reverse("cases:case_detail", args=[case.pk])
    notice_page = reverse("intake:notice_detail", args=[case.notice.pk])
    assert "公函尚未发出" in client_for("clerk").get(notice_page).content.decode()
    assert 'data-testid="letter-sent-form"' in client_for("clerk").get(detail).content.decode()
    assert 'data-testid="letter-sent-form"' not in client_for("handler").get(detail).content.decode()
    url = reverse("cases:case_letter_sent", args=[case.pk])
    r = client_for("clerk").post(url, {"assignment": assignment.pk, "on": "2025-11-19"}, follow=True)
    assert "已于2025-11-19发出" in r.content.decode()
    html = client_for("clerk").get(notice_page).content.decode()
    assert assignment.letter_number in html and "已于2025-11-19发出" in html


@pytest.mark.parametrize("data", [
    {}, {"assignment": "abc", "on": "2025-11-19"}, {"assignment": "-1", "on": "2025-11-19"},
    {"assignment": "999999", "on": "2025-11-19"}, {"assignment": "{pk}", "on": "garbage"},
    {"assignment": "{pk}", "on": "2025-11-30"},
])
def test_bad_letter_input_is_a_chinese_message_and_changes_nothing(assigned_notice, client_for, data):
    case, assignment = assigned_notice
    data = {k: v.format(pk=assignment.pk) for k, v in data.items()}
    r = client_for("clerk").post(reverse("cases:case_letter_sent", args=[case.pk]), data, follow=True)
    assert r.status_code == 200
    errors = [str(m) for m in r.context["messages"] if m.level_tag == "error"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors), errors
    assignment.refresh_from_db()
    assert assignment.letter_sent_on is None


def test_another_cases_assignment_cannot_be_marked_through_this_case(assigned_notice, org, clerk, client_for):
    case, _assignment = assigned_notice
    other = notice_case(org)
    other_assignment = services.case_assign(case=other, handler=org["handlers"]["李娜"], on=D(2025, 11, 18), by=clerk)
    r = client_for("clerk").post(reverse("cases:case_letter_sent", args=[case.pk]),
                                 {"assignment": other_assignment.pk, "on": "2025-11-19"}, follow=True)
    assert "该指派不属于本案件" in r.content.decode()
    other_assignment.refresh_from_db()
    assert other_assignment.letter_sent_on is None


def test_the_letter_page_answers_403_and_404_as_the_roles_say(assigned_notice, client_for):
    case, assignment = assigned_notice
    url = reverse("cases:case_letter_sent", args=[case.pk])
    data = {"assignment": assignment.pk, "on": "2025-11-19"}
    assert client_for("staff_b").post(url, data).status_code == 404
    for persona in ("handler", "staff_a", "finance"):
        assert client_for(persona).post(url, data).status_code == 403, persona
    assignment.refresh_from_db()
    assert assignment.letter_sent_on is None
