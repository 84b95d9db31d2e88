"""`{% csrf_token %}` as Django's, followed by the form's own number `_once` (a builtin of the template engine, so
every POST form of the project, the admin's and crispy's included, carries one).

A new number is written each time the tag is: each form of a page has its own, and a form shown again with its
errors gets a fresh one. core.flow takes the number when the form is saved, so the same form sent twice saves
once. Where Django writes no CSRF field (no request, as in an e-mail) no number is written either.
"""

from __future__ import annotations

import uuid

from django import template
from django.template import defaulttags
from django.utils.html import format_html

from core.flow import ONCE_FIELD

register = template.Library()


class CsrfTokenNode(defaulttags.CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:
            return csrf
        return format_html('{}<input type="hidden" name="{}" value="{}">', csrf, ONCE_FIELD, uuid.uuid4())


@register.tag
def csrf_token(parser, token):
    return CsrfTokenNode()
