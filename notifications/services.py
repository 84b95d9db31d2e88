"""Every write of notifications: a message is created once (per dedupe key), logged on every channel it goes
out on, and read by its recipient only."""

from __future__ import annotations

import logging
import uuid
from collections import Counter

from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels
from .models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)

# The bell's count is one of the navigation's counts (core.counts: dropped with them whenever a watched record
# changes), under a per-person version that the person's own messages move (notifications is not watched).
UNREAD_VERSION_KEY = "notifications:unread-version:{pk}"


def unread_cache_clear(user_pk: int) -> None:
    try:
        caches["shared"].set(UNREAD_VERSION_KEY.format(pk=user_pk), uuid.uuid4().hex, None)
    except Exception as exc:  # noqa: BLE001 - the cache is a convenience; it expires on its own
        logger.warning("notifications cache unavailable: %s", exc)


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "", subject=None,
           dedupe_key: str = "") -> Notification | None:
    """Put a message in the recipient's inbox and send it on their other channels after commit.

    Returns None when a message with the same dedupe key was already made for this person (the daily scan run
    twice, an assignment saved again)."""
    if recipient is None or not recipient.is_active:
        return None
    if dedupe_key and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    note = Notification(recipient=recipient, kind=kind, title=title[:200], body=body, url=url[:300],
                        dedupe_key=dedupe_key[:100])
    if subject is not None:
        note.subject_label, note.subject_pk = subject._meta.label_lower, subject.pk
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:  # made meanwhile by a concurrent run: the unique key keeps it to one
        return None
    _log(note, channels.InAppChannel().send(note), channels.InAppChannel.code)
    unread_cache_clear(recipient.pk)
    if channels.out_of_band_channels(recipient):  # no job for the many who keep to the inbox
        transaction.on_commit(lambda: _queue_delivery(note.pk), robust=True)
    return note


def _queue_delivery(notification_id: int) -> None:
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception as exc:  # noqa: BLE001 - a broker that is down costs the e-mail/SMS, never the inbox
        logger.warning("could not queue the delivery of notification %s: %s", notification_id, exc)


def _log(note: Notification, result: channels.Result, channel: str) -> Delivery:
    return Delivery.objects.create(notification=note, channel=channel, status=result.status,
                                   address=result.address[:200], error=result.error)


# A channel that failed (mail server down, SMS gateway refusing) is tried again by the catch-up, this many
# attempts in all; sent or skipped (no address) is final.
DELIVERY_ATTEMPTS = 3


def _finished(channel: str):
    """Deliveries of a notification on `channel` that end its trying: one sent or skipped, or the last failure."""
    from django.db.models import Count, Exists, OuterRef

    final = Delivery.objects.filter(notification=OuterRef("pk"), channel=channel)
    failures = (Delivery.objects.filter(notification=OuterRef("pk"), channel=channel,
                                        status=Delivery.Status.FAILED)
                .order_by().values("notification").annotate(n=Count("pk")).filter(n__gte=DELIVERY_ATTEMPTS))
    return Exists(final.exclude(status=Delivery.Status.FAILED)) | Exists(failures)


def notification_deliver(*, notification_id: int) -> list[Delivery]:
    """Send one notification on the recipient's chosen out-of-band channels, each attempt logged. Idempotent:
    a channel whose message went out (or was skipped, no address) is not tried again, nor one that failed
    DELIVERY_ATTEMPTS times; a failed one is tried again. Nothing goes to an account switched off since the
    message was made (notify() refuses an inactive recipient): its inbox keeps the message, no e-mail or SMS
    carries it out. A crash between sending and logging sends that message once more (at least once)."""
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or not note.recipient.is_active:
        return []
    logged = list(note.deliveries.values_list("channel", "status"))
    failures = Counter(c for c, status in logged if status == Delivery.Status.FAILED)
    done = {c for c, status in logged if status != Delivery.Status.FAILED} | \
        {c for c, n in failures.items() if n >= DELIVERY_ATTEMPTS}
    out = []
    for channel in channels.out_of_band_channels(note.recipient):
        if channel.code in done:
            continue
        out.append(_log(note, channel.send(note), channel.code))
    return out


def deliveries_catch_up(*, now=None, older_than_minutes: int = 5, within_hours: int = 24) -> int:
    """Send what was left unsent: messages of the last day to people who chose e-mail or SMS, on each chosen
    channel that has not finished (a broker that was down never queued it, a worker died between two channels,
    or the mail server failed and the attempts are not used up), and whose account is still active. Run by
    the beat every few minutes; returns how many messages were sent on."""
    from datetime import timedelta

    from django.db.models import Q

    now = now or timezone.now()
    pending = (Q(recipient__notification_preference__email=True) & ~_finished(Delivery.Channel.EMAIL)) | \
        (Q(recipient__notification_preference__sms=True) & ~_finished(Delivery.Channel.SMS))
    missed = (Notification.objects
              .filter(created_at__lte=now - timedelta(minutes=older_than_minutes),
                      created_at__gte=now - timedelta(hours=within_hours))
              .filter(recipient__is_active=True)
              .filter(pending)
              .order_by("pk").values_list("pk", flat=True))
    sent = 0
    for notification_id in missed:
        sent += bool(notification_deliver(notification_id=notification_id))
    return sent


def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        unread_cache_clear(by.pk)
    return notification


def notifications_mark_all_read(*, by) -> int:
    count = Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear(by.pk)
    return count


@transaction.atomic
def preference_save(*, user, email: bool, sms: bool, phone: str) -> NotificationPreference:
    pref = NotificationPreference.objects.select_for_update().filter(user=user).first()
    pref = pref or NotificationPreference(user=user)
    pref.email, pref.sms, pref.phone = email, sms, (phone or "").strip()
    pref._history_user = user
    pref.save()
    return pref

