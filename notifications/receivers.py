"""Events that notify someone: a handler given a case (or handed one after a change of handler), the handler
who hands it over, and the daily deadline scan that drives the digest."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Notification
from .services import notify

logger = logging.getLogger(__name__)


def connect() -> None:
    from cases.models import Assignment
    from cases.tasks import deadlines_scanned

    post_save.connect(assignment_saved, sender=Assignment, dispatch_uid="notifications.assignment_saved")
    deadlines_scanned.connect(scan_done, dispatch_uid="notifications.scan_done")


def _user_of(handler):
    return getattr(handler, "user", None) if handler is not None else None


def assignment_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """case_assign and case_change_handler (cases.services) save Assignment rows: a new one gives the case to
    its handler, an ended one takes it from the previous handler."""
    if raw:
        return
    # Stored text is written in the site's language, whatever the language of the person who assigned.
    with translation.override(settings.LANGUAGE_CODE):
        _assignment_notify(instance, created)


def _assignment_notify(instance, created: bool) -> None:
    case = instance.case
    values = {"number": case.number or f"#{case.pk}", "name": str(case.recipient)}
    url = reverse("cases:case_detail", args=[case.pk])
    if created and instance.ended_on is None:
        handed = case.assignments.exclude(pk=instance.pk).exists()
        notify(recipient=_user_of(instance.handler),
               kind=Notification.Kind.REASSIGNED if handed else Notification.Kind.ASSIGNED,
               title=(_("Case %(number)s (%(name)s) was handed to you") if handed
                      else _("Case %(number)s (%(name)s) was assigned to you")) % values,
               body=_("Assigned on %(day)s; sign the aid agreement by %(due)s.") % {
                   "day": instance.assigned_on.isoformat(),
                   "due": instance.agreement_due.isoformat() if instance.agreement_due else "—"},
               url=url, subject=case, dedupe_key=f"assignment:{instance.pk}")
    elif instance.ended_on is not None:
        notify(recipient=_user_of(instance.handler), kind=Notification.Kind.REASSIGNED,
               title=_("Case %(number)s (%(name)s) was given to another handler") % values,
               body=_("Change of handler on %(day)s: %(reason)s") % {
                   "day": instance.ended_on.isoformat(), "reason": instance.end_reason},
               # no link: the case is no longer theirs to open
               url="", subject=case, dedupe_key=f"assignment-ended:{instance.pk}")


def scan_done(sender, today, **kwargs) -> dict:
    from .digest import digests_send

    return digests_send(today=today)
