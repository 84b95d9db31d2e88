"""The recipient of a case where a page names it, for those who may learn who it is (cases.selectors)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from cases.selectors import recipient_is_visible

register = template.Library()


@register.filter
def recipient_name(case, user) -> str:
    """`{{ case|recipient_name:user }}`: the recipient's name, or the neutral word the application page uses
    for a person registered outside the user's station (applicants' "registered person")."""
    if case is None or case.recipient_id is None:
        return ""
    if recipient_is_visible(user, case):
        return case.recipient.name
    return _("registered person")
