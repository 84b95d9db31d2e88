"""Who is told what: assignment events, and the daily digest of each role, with its warn_days and dedupe."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.models import DeadlineRule
from notifications.digest import digest_send, digests_send
from notifications.models import Delivery, Notification
from tests.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

D = dt.date


def assign(case, handler_profile, clerk, on):
    from cases.services import case_assign

    case_assign(case=case, handler=handler_profile, on=on, by=clerk)
    case.refresh_from_db()
    return case


def forget() -> None:
    """Test set-up only: the messages made so far are removed (the app itself never deletes one)."""
    Delivery.objects.all().delete()
    Notification.objects.all().delete()


def warn(code: str, days: int) -> None:
    DeadlineRule.objects.filter(code=code).update(warn_days=days)


def test_a_handler_is_told_when_a_case_is_assigned_to_them(org, clerk, handler, handler_profile, frozen):
    case = assign(make_case(accepted_on=D(2025, 11, 17)), handler_profile, clerk, D(2025, 11, 18))
    note = Notification.objects.get(recipient=handler)
    assert note.kind == "assigned"
    assert case.number in note.title and "指派给您" in note.title
    assert note.url == f"/cases/{case.pk}/"
    assert note.subject_label == "cases.case" and note.subject_pk == case.pk
    assert note.deliveries.get().channel == "in_app"
    assert note.read_at is None


def test_a_change_of_handler_tells_the_new_handler_and_the_previous_one(org, clerk, handler, handler_profile,
                                                                        other_handler, frozen):
    from accounts.models import User
    from cases.services import case_change_handler

    li = User.objects.create_user(username="lina", full_name="李娜")
    other_handler.user = li
    other_handler.save()
    case = assign(make_case(accepted_on=D(2025, 11, 17)), other_handler, clerk, D(2025, 11, 17))
    case_change_handler(case=case, handler=handler_profile, on=D(2025, 11, 19), reason="原承办人回避", by=clerk)
    handed = Notification.objects.get(recipient=handler)
    assert handed.kind == "reassigned" and "转交给您" in handed.title
    taken = Notification.objects.filter(recipient=li).order_by("pk")
    assert [n.kind for n in taken] == ["assigned", "reassigned"]
    assert "原承办人回避" in taken[1].body and taken[1].url == ""


def test_a_handler_without_an_account_is_not_notified(org, clerk, other_handler, frozen):
    assign(make_case(accepted_on=D(2025, 11, 17)), other_handler, clerk, D(2025, 11, 18))
    assert not Notification.objects.exists()


def test_saving_an_assignment_again_does_not_notify_twice(org, clerk, handler, handler_profile, frozen):
    case = assign(make_case(accepted_on=D(2025, 11, 17)), handler_profile, clerk, D(2025, 11, 18))
    assignment = case.assignments.get()
    assignment.letter_number = "x"
    assignment.save()
    assert Notification.objects.filter(recipient=handler).count() == 1


def test_the_handlers_digest_lists_overdue_and_due_soon_steps_by_warn_days(org, clerk, handler, handler_profile,
                                                                          frozen):
    late = assign(make_case(accepted_on=D(2025, 11, 3)), handler_profile, clerk, D(2025, 11, 4))  # due 10 Nov
    soon = assign(make_case(accepted_on=D(2025, 11, 17)), handler_profile, clerk, D(2025, 11, 17))  # due 24 Nov
    assert late.agreement_due == D(2025, 11, 10) and soon.agreement_due == D(2025, 11, 24)
    forget()

    warn("agreement_sign", 3)  # 20 + 3 = 23 Nov: the 24th is not yet "due soon"
    note = digest_send(user=handler, today=frozen)
    assert note.kind == "digest" and note.title == "2025-11-20 提醒：1 项"
    assert late.number in note.body and "逾期" in note.body and soon.number not in note.body
    assert note.url == "/cases/?overdue=1"

    warn("agreement_sign", 4)
    forget()
    note = digest_send(user=handler, today=frozen)
    assert note.title == "2025-11-20 提醒：2 项"
    assert f"{soon.number}" in note.body and "2025-11-24" in note.body


def test_the_digest_is_sent_once_a_day_however_often_the_scan_runs(org, clerk, handler, handler_profile, frozen):
    assign(make_case(accepted_on=D(2025, 11, 3)), handler_profile, clerk, D(2025, 11, 4))
    first = digests_send(today=frozen)
    second = digests_send(today=frozen)
    assert Notification.objects.filter(recipient=handler, kind="digest").count() == 1
    assert first["sent"] >= 1 and second["sent"] == 0
    digests_send(today=frozen + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=handler, kind="digest").count() == 2


def test_nobody_gets_a_digest_on_a_day_with_nothing_to_say(org, frozen):
    assert digests_send(today=frozen) == {"sent": 0, "skipped": 8}
    assert not Notification.objects.exists()


def _incomplete(clerk, due_on):
    from intake.models import Application, SupplementNotice
    from tests.factories import ApplicationFactory

    app = ApplicationFactory(status=Application.Status.INCOMPLETE, applicant=PersonFactory(name="王五"))
    SupplementNotice.objects.create(application=app, issued_on=D(2025, 11, 5), due_on=due_on, items=["身份证"])
    return app


def test_clerks_hear_of_materials_due_and_of_applications_deemed_withdrawn_tomorrow(org, clerk, reviewer, frozen):
    last_day = _incomplete(clerk, D(2025, 11, 20))
    soon = _incomplete(clerk, D(2025, 11, 22))
    later = _incomplete(clerk, D(2025, 11, 30))
    warn("supplement", 2)
    body = digest_send(user=clerk, today=frozen).body
    tomorrow, due = body.split("【材料即将到期】")
    assert "明日将视为撤回" in tomorrow and str(last_day) in tomorrow and str(soon) not in tomorrow
    assert str(soon) in due and "2025-11-22" in due
    assert str(later) not in body
    assert digest_send(user=reviewer, today=frozen) is None  # the reviewer decides; the window chases materials


def test_reviewers_hear_of_applications_awaiting_decision_and_objections_due(org, reviewer, frozen):
    from intake.models import Application, Objection
    from tests.factories import ApplicationFactory

    ApplicationFactory(status=Application.Status.UNDER_REVIEW, review_due=D(2025, 11, 18))
    ApplicationFactory(status=Application.Status.UNDER_REVIEW, review_due=D(2025, 11, 21))
    ApplicationFactory(status=Application.Status.UNDER_REVIEW, review_due=D(2025, 11, 27))
    refused = ApplicationFactory(status=Application.Status.REFUSED)
    Objection.objects.create(application=refused, filed_on=D(2025, 11, 18), due_on=D(2025, 11, 21))
    Objection.objects.create(application=ApplicationFactory(status=Application.Status.REFUSED),
                             filed_on=D(2025, 11, 19), due_on=D(2025, 11, 24))
    note = digest_send(user=reviewer, today=frozen)
    assert "待您审查决定的申请：3" in note.body
    assert note.body.count("决定已逾期") == 1 and note.body.count("请于2025-11-21前决定") == 1
    assert "【到期的异议】" in note.body and "2025-11-21" in note.body and "2025-11-24" not in note.body
    assert note.url == "/intake/applications/?status=under_review"


def test_finance_hears_of_the_batches_to_pay(org, finance, clerk, frozen):
    from funding.models import PaymentBatch, Subsidy

    batch = PaymentBatch.objects.create(number="2025-007")
    Subsidy.objects.create(case=make_case(by=clerk), handler=org["handlers"]["张伟"], batch=batch,
                           computed_amount=Decimal("1500.00"), amount=Decimal("1500.00"))
    PaymentBatch.objects.create(number="2025-006", status="paid", paid_on=D(2025, 11, 1))
    note = digest_send(user=finance, today=frozen)
    assert "2025-007：1 笔补贴，合计 1,500.00 元" in note.body and "2025-006" not in note.body
    assert note.url == "/funding/batches/"


def test_the_director_gets_overdue_work_by_handler_and_by_station(org, director, clerk, handler_profile,
                                                                  station_a, admin_user, frozen):
    assign(make_case(accepted_on=D(2025, 11, 3)), handler_profile, clerk, D(2025, 11, 4))  # agreement overdue
    assign(make_case(accepted_on=D(2025, 11, 3), station=station_a), handler_profile, clerk, D(2025, 11, 4))
    make_case(accepted_on=D(2025, 11, 3), station=station_a)  # assignment overdue (due 6 Nov)
    make_case(accepted_on=D(2025, 11, 19))  # not yet due
    note = digest_send(user=director, today=frozen)
    by_handler, by_station = note.body.split("【各站点逾期事项】")
    assert "逾期事项共 3 件，按承办人" in by_handler
    assert "张伟：2" in by_handler and "尚未指派：1" in by_handler
    assert f"{station_a.name}：2" in by_station and "中心：1" in by_station
    assert note.title == "2025-11-20 提醒：3 项"  # the same three cases, not six
    assert digest_send(user=admin_user, today=frozen) is None  # the superuser configures; no role, no digest
