"""Template helpers shared by every app: history tables, masking, money, deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.idcard import mask, mask_phone

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def history_table(context, obj, limit: int = 30):
    """Who changed what and when, newest first, with the fields that changed."""
    user = context["request"].user
    if not user.can("history_view") and not getattr(context.get("can_see_history"), "__bool__", lambda: False)():
        return {"rows": None}
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(rows) >= limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = newer.instance._meta.get_field(change.field)
                changes.append({"field": str(getattr(field, "verbose_name", change.field)),
                                "old": _display(field, change.old), "new": _display(field, change.new)})
        rows.append({
            "when": newer.history_date,
            "who": newer.history_user.display_name if newer.history_user else _("system"),
            "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[newer.history_type],
            "reason": newer.history_change_reason or "",
            "changes": changes,
        })
    return {"rows": rows}


def _display(field, value):
    """Choice codes as their labels (lists too), so the history reads 已归档, not archived."""
    choices = getattr(field, "flatchoices", None) or getattr(getattr(field, "base_field", None), "flatchoices", None)
    if not choices:
        return value
    labels = {k: str(v) for k, v in choices}
    if isinstance(value, (list, tuple)):
        return "、".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, value)


@register.filter
def masked_id(value: str, show_full: bool = False) -> str:
    return value if show_full else mask(value)


@register.filter
def masked_phone(value: str, show_full: bool = False) -> str:
    return value if show_full else mask_phone(value)


@register.filter
def yuan(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.inclusion_tag("core/_due.html")
def due_badge(due: date | None):
    """Due date with days left, amber within 2 days, red when overdue."""
    left = None if not due else (due - timezone.localdate()).days
    return {"due": due, "left": left, "overdue": -left if left is not None and left < 0 else 0}


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()
