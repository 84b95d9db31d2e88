"""Events that notify someone: a handler given a case (or handed one after a change of handler), the handler
who hands it over, the handler whose case is terminated or resumed, and the daily deadline scan that drives the
digest.

Each event is told apart by the record that completes it, not by the ended assignment alone (a change of handler
and a termination both end one): the new assignment of a change tells the previous handler, the terminated case
tells the handler the termination ended, the resumed objection tells the handler whose assignment came back."""

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
    from cases.models import Assignment, Case, TerminationObjection
    from cases.tasks import deadlines_scanned

    post_save.connect(assignment_saved, sender=Assignment, dispatch_uid="notifications.assignment_saved")
    post_save.connect(case_saved, sender=Case, dispatch_uid="notifications.case_saved")
    post_save.connect(objection_saved, sender=TerminationObjection, dispatch_uid="notifications.objection_saved")
    deadlines_scanned.connect(scan_done, dispatch_uid="notifications.scan_done")


def _user_of(handler):
    return getattr(handler, "user", None) if handler is not None else None


def _values(case) -> dict:
    return {"number": case.number or f"#{case.pk}", "name": str(case.recipient)}


def assignment_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """case_assign and the changes of handler (cases.services) create Assignment rows: a new one gives the case
    to its handler and, after a change of handler, takes it from the previous one."""
    if raw or not created or instance.ended_on is not None:
        return  # a later save (letter sent, agreement signed, ended, restored) or an imported past assignment
    # Stored text is written in the site's language, whatever the language of the person who assigned.
    with translation.override(settings.LANGUAGE_CODE):
        _assignment_notify(instance)


def _assignment_notify(instance) -> None:
    case = instance.case
    values = _values(case)
    url = reverse("cases:case_detail", args=[case.pk])
    # The assignments a change of handler ended: the day the new one starts (cases.services._change_handler
    # ends the current one on that day, then creates this one). A termination ends none on an assignment's day:
    # the case cannot be assigned while terminated, and a resumption restores the assignment it ended.
    previous = list(case.assignments.exclude(pk=instance.pk).filter(ended_on=instance.assigned_on)
                    .select_related("handler__user"))
    handed = bool(previous) or case.assignments.exclude(pk=instance.pk).exists()
    notify(recipient=_user_of(instance.handler),
           kind=Notification.Kind.REASSIGNED if handed else Notification.Kind.ASSIGNED,
           title=(_("Case %(number)s (%(name)s) was handed to you") if handed
                  else _("Case %(number)s (%(name)s) was assigned to you")) % values,
           body=_("Assigned on %(day)s; sign the aid agreement by %(due)s.") % {
               "day": instance.assigned_on.isoformat(),
               "due": instance.agreement_due.isoformat() if instance.agreement_due else "—"},
           url=url, subject=case, dedupe_key=f"assignment:{instance.pk}")
    for ended in previous:
        if ended.handler_id == instance.handler_id:
            continue
        notify(recipient=_user_of(ended.handler), kind=Notification.Kind.REASSIGNED,
               title=_("Case %(number)s (%(name)s) was given to another handler") % values,
               body=_("Change of handler on %(day)s: %(reason)s") % {
                   "day": ended.ended_on.isoformat(), "reason": ended.end_reason},
               # no link: the case is no longer theirs to open
               url="", subject=case, dedupe_key=f"assignment-ended:{ended.pk}")


def case_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A terminated case (cases.services.case_terminate, Art. 48) tells the handler whose assignment the
    termination ended: once per termination (its decision number), so a second termination after a resumption
    is told again."""
    from cases.models import Case

    if raw or instance.status != Case.Status.TERMINATED or instance.terminated_on is None:
        return
    # The assignment the termination ended is the case's last one (one is current at a time): not one that a
    # change of handler ended earlier the same day.
    last = instance.assignments.select_related("handler__user").order_by("-assigned_on", "-pk").first()
    if last is None or last.ended_on != instance.terminated_on:
        return
    termination = instance.termination_number or instance.terminated_on.isoformat()
    with translation.override(settings.LANGUAGE_CODE):
        values = _values(instance)
        reason = _reason_label(instance.termination_reason)
        notify(recipient=_user_of(last.handler), kind=Notification.Kind.REASSIGNED,
               title=_("Legal aid on case %(number)s (%(name)s) was terminated") % values,
               body=_("Legal aid terminated on %(day)s (%(reason)s), decision %(decision)s: the case is no "
                      "longer open for work.") % {
                   "day": instance.terminated_on.isoformat(), "reason": reason,
                   "decision": instance.termination_number or "—"},
               # the case stays theirs to read (its handler is kept): the decision is on its page
               url=reverse("cases:case_detail", args=[instance.pk]), subject=instance,
               dedupe_key=f"terminated:{last.pk}:{termination}"[:100])


def _reason_label(code: str) -> str:
    from core.choices import TERMINATION_REASON

    return str(TERMINATION_REASON.label(code)) if code else "—"


def objection_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Legal aid resumed after the justice bureau overturned the termination (cases.services.case_resume,
    Art. 49): the handler whose assignment came back is told the case is theirs again."""
    if raw or instance.resumed_on is None:
        return
    case = instance.case
    current = list(case.assignments.filter(ended_on__isnull=True).select_related("handler__user"))
    with translation.override(settings.LANGUAGE_CODE):
        values = _values(case)
        url = reverse("cases:case_detail", args=[case.pk])
        for assignment in current:
            notify(recipient=_user_of(assignment.handler), kind=Notification.Kind.ASSIGNED,
                   title=_("Legal aid on case %(number)s (%(name)s) resumed: the case is yours again") % values,
                   body=_("The justice bureau overturned the termination %(decision)s; legal aid resumed on "
                          "%(day)s.") % {"decision": instance.termination_number or "—",
                                         "day": instance.resumed_on.isoformat()},
                   url=url, subject=case, dedupe_key=f"resumed:{instance.pk}:{assignment.pk}")


def scan_done(sender, today, **kwargs) -> dict:
    from .digest import digests_send

    return digests_send(today=today)
