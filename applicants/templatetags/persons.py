"""A person's name where a page shows it beside a record, for those who may see the person."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from applicants.selectors import person_is_visible

register = template.Library()


@register.filter
def person_name(person, user) -> str:
    """`{{ a.applicant|person_name:user }}`: the name, or a neutral word for a person registered outside
    the user's station (station staff may take such a person's application without learning who it is)."""
    if person is None:
        return ""
    if person_is_visible(user, person):
        return person.name
    return _("registered person")


@register.filter
def person_visible(person, user) -> bool:
    return person is not None and person_is_visible(user, person)
