"""Reads of notifications: a person sees their own messages only."""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.db.models import QuerySet

from core import counts

from .models import Notification
from .services import UNREAD_VERSION_KEY

logger = logging.getLogger(__name__)


def notifications_of(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The bell's figure: one COUNT on the partial index of unread messages, kept with the navigation's counts
    (core.counts) under the person's version, so a warm page view costs no query for it and a page costs the
    same whether the navigation's counts are warm or cold."""
    if not user or not user.is_authenticated:
        return 0

    def count() -> int:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    try:
        version = caches["shared"].get(UNREAD_VERSION_KEY.format(pk=user.pk)) or "0"
    except Exception as exc:  # noqa: BLE001 - without the cache the count is made directly
        logger.warning("notifications cache unavailable: %s", exc)
        return count()
    return int(counts.cached("notifications_unread", f"{user.pk}:{version}", count))
