"""Delivery channels behind one interface: `send(notification) -> Result`.

The inbox is always on (the notification row itself). E-mail goes through Django's mail settings (EMAIL_*).
SMS goes to an HTTP gateway of the kind Chinese SMS services offer (a signed template message: sign name,
template code, parameters), configured by SMS_GATEWAY_URL, SMS_GATEWAY_KEY, SMS_SIGN_NAME, SMS_TEMPLATE_CODE
and SMS_TIMEOUT; without SMS_GATEWAY_URL it is off. A channel never raises: a failure is its result.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Delivery, Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    status: str
    address: str = ""
    error: str = ""


class Channel:
    code: str = ""

    def send(self, notification: Notification) -> Result:
        raise NotImplementedError


class InAppChannel(Channel):
    """The notification row is the message: it is in the inbox once saved."""

    code = Delivery.Channel.IN_APP

    def send(self, notification: Notification) -> Result:
        return Result(Delivery.Status.SENT, address=notification.recipient.username)


class EmailChannel(Channel):
    code = Delivery.Channel.EMAIL

    def send(self, notification: Notification) -> Result:
        address = (notification.recipient.email or "").strip()
        if not address:
            return Result(Delivery.Status.SKIPPED, error=_("The account has no e-mail address."))
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{site_url(notification.url)}".strip()
        try:
            send_mail(notification.title, body, None, [address])
        except Exception as exc:  # noqa: BLE001 - any mail failure is logged, never shown to the user
            logger.warning("e-mail to %s failed: %s", address, exc)
            return Result(Delivery.Status.FAILED, address=address, error=f"{type(exc).__name__}: {exc}"[:1000])
        return Result(Delivery.Status.SENT, address=address)


class SmsGateway:
    """Posts one template message as JSON and reads the provider's answer; raises on any failure."""

    def send(self, *, phone: str, params: dict) -> None:
        payload = {
            "phone": phone, "sign_name": settings.SMS_SIGN_NAME, "template_code": settings.SMS_TEMPLATE_CODE,
            "params": params,
        }
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"})
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310 - configured URL
            answer = response.read().decode("utf-8", "replace")
        try:
            code = str(json.loads(answer).get("code", "OK"))
        except (ValueError, AttributeError):
            code = "OK"  # a gateway that answers 200 with plain text accepted the message
        if code.upper() not in {"OK", "0", "200"}:
            raise RuntimeError(f"gateway refused the message: {answer[:300]}")


def sms_enabled() -> bool:
    return bool(getattr(settings, "SMS_GATEWAY_URL", ""))


def gateway() -> SmsGateway:
    return import_string(getattr(settings, "SMS_GATEWAY_CLASS", "notifications.channels.SmsGateway"))()


class SmsChannel(Channel):
    code = Delivery.Channel.SMS

    def send(self, notification: Notification) -> Result:
        if not sms_enabled():
            return Result(Delivery.Status.SKIPPED, error=_("SMS is not configured (SMS_GATEWAY_URL)."))
        phone = preference_for(notification.recipient).sms_number
        if not phone:
            return Result(Delivery.Status.SKIPPED, error=_("No mobile number for SMS."))
        # No case or applicant detail leaves through a third-party gateway: the text only says what kind of
        # message waits in the system (the provider's template: "${name}，您有一条${kind}，请登录系统查看").
        params = {"name": notification.recipient.display_name[:20], "kind": notification.get_kind_display()}
        try:
            gateway().send(phone=phone, params=params)
        except (urllib.error.URLError, OSError, RuntimeError, ValueError) as exc:
            logger.warning("SMS to %s failed: %s", phone, exc)
            return Result(Delivery.Status.FAILED, address=phone, error=f"{type(exc).__name__}: {exc}"[:1000])
        return Result(Delivery.Status.SENT, address=phone)


def preference_for(user):
    from .models import NotificationPreference

    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def out_of_band_channels(user) -> list[Channel]:
    """The channels this person chose besides the inbox."""
    pref = preference_for(user)
    chosen: list[Channel] = []
    if pref.email:
        chosen.append(EmailChannel())
    if pref.sms:
        chosen.append(SmsChannel())
    return chosen


def site_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path
