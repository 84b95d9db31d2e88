"""Channels: the inbox always, e-mail through Django's mail settings, SMS through an HTTP gateway; every attempt
logged, no failure ever reaching the person who caused the message."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications import channels
from notifications.models import Delivery, Notification
from notifications.services import notification_deliver, notify, preference_save

pytestmark = pytest.mark.django_db


def message(user, **kw) -> Notification:
    kw.setdefault("title", "案件 2025-001 已指派给您")
    return notify(recipient=user, kind="assigned", body="请于 2025-11-24 前签订委托协议。", url="/cases/1/", **kw)


def logged(note, channel) -> Delivery:
    return note.deliveries.get(channel=channel)


def test_the_inbox_alone_when_no_other_channel_is_chosen(handler):
    note = message(handler)
    assert [(d.channel, d.status) for d in note.deliveries.all()] == [("in_app", "sent")]
    assert mail.outbox == []


def test_an_email_goes_out_through_django_mail_and_is_logged(handler, settings):
    settings.SITE_URL = "https://legalaid.example.gov.cn"
    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=False, phone="")
    note = message(handler)  # eager Celery in tests: delivered after commit, here at once
    notification_deliver(notification_id=note.pk)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["zhangwei@example.cn"] and sent.subject == "案件 2025-001 已指派给您"
    assert "签订委托协议" in sent.body and "https://legalaid.example.gov.cn/cases/1/" in sent.body
    entry = logged(note, "email")
    assert entry.status == "sent" and entry.address == "zhangwei@example.cn"


def test_an_email_is_skipped_with_its_reason_when_the_account_has_no_address(handler):
    preference_save(user=handler, email=True, sms=False, phone="")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    entry = logged(note, "email")
    assert entry.status == "skipped" and entry.error == "该账户没有电子邮箱。"
    assert mail.outbox == []


def test_a_broken_mail_server_is_logged_and_the_inbox_still_has_the_message(handler, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=False, phone="")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    entry = logged(note, "email")
    assert entry.status == "failed" and "Error" in entry.error
    assert logged(note, "in_app").status == "sent"
    assert Notification.objects.filter(recipient=handler).count() == 1


def test_an_sms_posts_a_template_message_to_the_gateway_without_case_details(handler, sms_gateway):
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    assert len(sms_gateway.received) == 1
    request = sms_gateway.received[0]
    assert request["path"] == "/sms/send" and request["authorization"] == "Bearer test-key"
    assert request["json"] == {"phone": "13912345678", "sign_name": "示范县法援", "template_code": "SMS_0001",
                               "params": {"name": "张伟", "kind": "案件指派"}}
    entry = logged(note, "sms")
    assert entry.status == "sent" and entry.address == "13912345678"


def test_the_account_phone_is_used_when_no_mobile_is_given(handler, sms_gateway):
    handler.phone = "13800001111"
    handler.save()
    preference_save(user=handler, email=False, sms=True, phone="")
    notification_deliver(notification_id=message(handler).pk)
    assert sms_gateway.received[0]["json"]["phone"] == "13800001111"


def test_a_gateway_error_is_logged_not_raised(handler, sms_gateway):
    sms_gateway.status = 500
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    entry = logged(note, "sms")
    assert entry.status == "failed" and "HTTP Error 500" in entry.error
    assert len(sms_gateway.received) == 1


def test_a_gateway_that_refuses_the_message_is_logged_as_failed(handler, sms_gateway):
    sms_gateway.answer = {"code": "isv.BUSINESS_LIMIT_CONTROL", "message": "触发天级流控"}
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    entry = logged(note, "sms")
    assert entry.status == "failed" and "BUSINESS_LIMIT_CONTROL" in entry.error


def test_an_unreachable_gateway_is_logged_as_failed(handler, settings):
    settings.SMS_GATEWAY_URL, settings.SMS_TIMEOUT = "http://127.0.0.1:9/sms", 1.0
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    assert logged(note, "sms").status == "failed"


def test_sms_is_off_until_a_gateway_is_configured(handler, settings):
    settings.SMS_GATEWAY_URL = ""
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    entry = logged(note, "sms")
    assert entry.status == "skipped" and "SMS_GATEWAY_URL" in entry.error
    assert channels.sms_enabled() is False


def test_a_delivery_runs_once_per_channel(handler, sms_gateway):
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    notification_deliver(notification_id=note.pk)
    assert len(sms_gateway.received) == 1
    assert note.deliveries.filter(channel="sms").count() == 1


def test_the_delivery_task_runs_after_commit(handler, sms_gateway, django_capture_on_commit_callbacks):
    preference_save(user=handler, email=False, sms=True, phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        note = message(handler)
    assert logged(note, "sms").status == "sent"


def test_an_inactive_or_missing_recipient_gets_nothing(handler):
    handler.is_active = False
    handler.save()
    assert message(handler) is None
    assert notify(recipient=None, kind="digest", title="x") is None


def test_mail_that_a_down_broker_kept_back_goes_out_on_the_next_catch_up(handler, clerk, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from notifications import tasks
    from notifications.services import deliveries_catch_up

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.deliver_notification, "delay", broker_down)
    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=False, phone="")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        note = message(handler)  # after commit, queuing its e-mail meets the broker down: logged, not raised
        message(clerk)  # keeps to the inbox: nothing to catch up
    assert len(queued) == 1
    assert mail.outbox == [] and not note.deliveries.filter(channel="email").exists()

    assert deliveries_catch_up(now=timezone.now()) == 0  # too fresh: the queued job may still be on its way
    later = timezone.now() + timedelta(minutes=10)
    assert deliveries_catch_up(now=later) == 1
    assert len(mail.outbox) == 1 and logged(note, "email").status == "sent"
    assert deliveries_catch_up(now=later) == 0  # never twice


def test_a_failed_email_is_tried_again_by_the_catch_up_until_its_attempts_are_used_up(handler, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import DELIVERY_ATTEMPTS, deliveries_catch_up

    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=False, phone="")
    refused = []

    def mail_server_down(self, notification):
        refused.append(notification.pk)
        return channels.Result(Delivery.Status.FAILED, address="zhangwei@example.cn", error="ConnectionRefused")

    monkeypatch.setattr(channels.EmailChannel, "send", mail_server_down)
    note = message(handler)  # its delivery was queued after the commit; the catch-up finds it unsent
    later = timezone.now() + timedelta(minutes=10)
    for _ in range(DELIVERY_ATTEMPTS + 2):
        deliveries_catch_up(now=later)
    assert note.deliveries.filter(channel="email", status="failed").count() == DELIVERY_ATTEMPTS
    assert len(refused) == DELIVERY_ATTEMPTS, "tried again, then no more"

    monkeypatch.undo()
    other = message(handler, dedupe_key="second")
    Delivery.objects.create(notification=other, channel="email", status="failed", error="ConnectionRefused")
    assert deliveries_catch_up(now=later) == 1, "the mail server is back: the failed message goes out"
    assert len(mail.outbox) == 1 and other.deliveries.filter(channel="email", status="sent").exists()
    assert deliveries_catch_up(now=later) == 0, "sent: never again"


def test_a_worker_that_died_between_two_channels_sends_the_second_on_the_catch_up(handler, settings):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import deliveries_catch_up

    settings.SMS_GATEWAY_URL = ""  # SMS not configured: the channel is skipped, which is final
    handler.email = "zhangwei@example.cn"
    handler.save()
    preference_save(user=handler, email=True, sms=True, phone="13800000000")
    note = message(handler)
    notification_deliver(notification_id=note.pk)
    Delivery.objects.filter(notification=note, channel="sms").delete()  # as if the worker died after the e-mail
    assert note.deliveries.filter(channel="email", status="sent").exists()
    assert deliveries_catch_up(now=timezone.now() + timedelta(minutes=10)) == 1
    assert list(note.deliveries.filter(channel="sms").values_list("status", flat=True)) == ["skipped"]
    assert len(mail.outbox) == 1, "the e-mail that went out is not sent again"
