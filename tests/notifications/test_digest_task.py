"""The daily beat job: cases.scan_deadlines_daily counts the deadlines and drives everyone's morning digest."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from notifications.models import Notification
from notifications.services import preference_save
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_scan_is_scheduled_each_morning_in_beijing():
    entry = settings.CELERY_BEAT_SCHEDULE["scan-deadlines-daily"]
    assert entry["task"] == "cases.scan_deadlines_daily"
    assert entry["schedule"] == crontab(hour=7, minute=30)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_the_daily_scan_sends_the_digests_end_to_end(org, clerk, handler, director, handler_profile, frozen,
                                                     django_capture_on_commit_callbacks):
    from cases.services import case_assign
    from cases.tasks import scan_deadlines_daily

    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=False, phone="")
    case = make_case(accepted_on=dt.date(2025, 11, 3))
    case_assign(case=case, handler=handler_profile, on=dt.date(2025, 11, 4), by=clerk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued after the digest's commit
        counts = scan_deadlines_daily.delay().get()
    assert counts["overdue"] == 1

    digest = Notification.objects.get(recipient=handler, kind="digest")
    assert digest.title == "2025-11-20 提醒：1 项" and "已逾期" in digest.body
    assert Notification.objects.filter(recipient=director, kind="digest").count() == 1
    assert [m.subject for m in mail.outbox] == ["2025-11-20 提醒：1 项"]
    assert {d.channel: d.status for d in digest.deliveries.all()} == {"in_app": "sent", "email": "sent"}

    with django_capture_on_commit_callbacks(execute=True):
        scan_deadlines_daily.delay().get()  # beat run twice (a restart): nothing sent twice
    assert Notification.objects.filter(kind="digest").count() == 2
    assert len(mail.outbox) == 1


def test_the_digest_task_runs_on_its_own(org, clerk, handler_profile, handler, frozen):
    from cases.services import case_assign
    from notifications.tasks import send_daily_digest

    case_assign(case=make_case(accepted_on=dt.date(2025, 11, 3)), handler=handler_profile,
                on=dt.date(2025, 11, 4), by=clerk)
    result = send_daily_digest.delay().get()
    assert result["sent"] == 2  # the handler and the director
    assert Notification.objects.filter(recipient=handler, kind="digest").exists()


def test_a_failing_digest_never_fails_the_scan(org, frozen, monkeypatch):
    from cases.tasks import scan_deadlines_daily
    from notifications import digest

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(digest, "digests_send", broken)
    assert "overdue" in scan_deadlines_daily.delay().get()
