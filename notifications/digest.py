"""The daily digest: one message per person per day, made from the rules of `rules.py`."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import rules
from .models import Notification
from .services import notify

logger = logging.getLogger(__name__)


def digest_send(*, user, today: date) -> Notification | None:
    sections = rules.digest_for(user, today)
    if not sections:
        return None
    items = sum(s.count for s in sections if s.count)
    return notify(
        recipient=user, kind=Notification.Kind.DIGEST,
        title=_("Reminders for %(day)s: %(n)s items") % {"day": today.isoformat(), "n": items},
        body="\n\n".join(s.text() for s in sections), url=sections[0].url, dedupe_key=f"digest:{today.isoformat()}",
    )


def digests_send(*, today: date | None = None) -> dict[str, int]:
    """Everyone's digest for the day; run twice, the second run sends nothing (the dedupe key)."""
    from accounts.models import User

    today = today or timezone.localdate()
    sent = skipped = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in User.objects.filter(is_active=True).order_by("pk"):
            try:
                made = digest_send(user=user, today=today)
            except Exception:  # one person's failure never stops the others' digests
                logger.exception("digest for user %s failed", user.pk)
                made = None
            if made is None:
                skipped += 1
            else:
                sent += 1
    logger.info("daily digest %s: %s sent, %s without news or already sent", today, sent, skipped)
    return {"sent": sent, "skipped": skipped}
