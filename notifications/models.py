"""Messages to one person: the in-app inbox, and a log of every delivery on every channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Case assigned")
        REASSIGNED = "reassigned", _("Case handed over")
        DIGEST = "digest", _("Daily digest")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("addressed to"), on_delete=models.PROTECT,
                                  related_name="notifications")
    kind = models.CharField(_("kind of message"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # The record the message is about, as "app.model" and its key: a link that outlives a renamed URL.
    subject_label = models.CharField(_("about (model)"), max_length=60, blank=True)
    subject_pk = models.BigIntegerField(_("about (key)"), null=True, blank=True)
    # The same reminder is never sent twice: "digest:2026-12-04", "assignment:17".
    dedupe_key = models.CharField(_("deduplication key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notification_once_per_key"),
        ]
        indexes = [
            # the inbox, newest first
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # the bell: one COUNT of a person's unread messages
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One attempt to bring a notification to its recipient on one channel: every message is logged."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("Mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.PROTECT,
                                     related_name="deliveries")
    channel = models.CharField(_("delivery channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    address = models.CharField(_("sent to"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class NotificationPreference(models.Model):
    """The channels a person wants besides the inbox (which is always on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                                related_name="notification_preference")
    email = models.BooleanField(_("by e-mail"), default=False)
    sms = models.BooleanField(_("by SMS"), default=False)
    phone = models.CharField(_("mobile for SMS"), max_length=20, blank=True,
                             help_text=_("Empty: the phone number of your account."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def sms_number(self) -> str:
        return (self.phone or self.user.phone or "").strip()
