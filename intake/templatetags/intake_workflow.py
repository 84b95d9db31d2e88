"""What a template of the window reads from the transition table (intake.workflow)."""

from __future__ import annotations

from django import template

from intake.workflow import review_clock as _review_clock

register = template.Library()


@register.filter
def review_clock(app) -> str:
    """"running" (the review deadline counts), "paused" (waiting for materials) or "" for an application."""
    return _review_clock(app)
