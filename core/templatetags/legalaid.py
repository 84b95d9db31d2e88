"""Template helpers shared by every app: history tables, masking, money, deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms.widgets import CheckboxInput, CheckboxSelectMultiple, MultiWidget, RadioSelect, Select
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.choices import VOCABULARY_OF
from core.display import EMPTY, date_text, money_text, time_text
from core.history import history_rows
from core.masking import mask, mask_phone

register = template.Library()


@register.filter
def label(obj, name: str):
    """`obj.get_<name>_display()`, read from a table of the field's labels made once per language: Django's
    display builds the whole list of choices, translating each, for every row (for a table vocabulary such
    as the causes, 26 ms for a page of 50 cases; a tenth of a list's rows for a fixed one). A table
    vocabulary (cause, stage, role, outcome) gives the term's label as it is now."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    vocab = VOCABULARY_OF.get(getattr(field.choices, "func", None))
    if vocab is not None:
        return vocab.label(value) if value else value
    if not isinstance(field.choices, (list, tuple)):
        return getattr(obj, f"get_{name}_display")()
    try:
        return _labels(field, translation.get_language()).get(value, value)
    except TypeError:  # an unhashable value (an array field): as Django shows it
        return getattr(obj, f"get_{name}_display")()


@lru_cache(maxsize=1024)
def _labels(field, language) -> dict:
    """A field's fixed choices as {code: label} in one language (the choices never change while running)."""
    with translation.override(language):
        return {code: str(text) for code, text in field.flatchoices}


@register.simple_tag
def filter_field(bf):
    """A list filter's field as crispy-bootstrap5 writes it (label, widget with its Bootstrap classes, errors,
    help text) without crispy's template machinery, which cost a case-list page 20 ms for its 25 fields.
    Checkboxes, radio buttons and compound widgets are left to crispy."""
    widget = bf.field.widget
    if bf.is_hidden or isinstance(widget, CheckboxInput | RadioSelect | CheckboxSelectMultiple | MultiWidget):
        return as_crispy_field(bf)
    own, name = widget.attrs.get("class", ""), widget.__class__.__name__.lower()
    classes = own.split() if name in own else [*own.split(), name]
    classes.append("form-select" if isinstance(widget, Select) else "form-control")
    errors, parts = bf.errors, []
    if errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(classes)}
    if errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{bf.auto_id}_error"})
    if bf.label:
        parts.append(format_html('<label for="{}" class="form-label">{}</label>', bf.id_for_label, bf.label))
    parts.append(bf.as_widget(attrs=attrs))
    if errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">{}</div>', bf.auto_id, format_html_join(
            "", '<p id="error_{}_{}"><strong>{}</strong></p>', ((n, bf.auto_id, e) for n, e in enumerate(errors, 1)))))
    if bf.help_text:
        parts.append(format_html('<div id="{}_helptext" class="form-text">{}</div>', bf.auto_id, bf.help_text))
    return format_html('<div id="div_{}" class="mb-3">{}</div>', bf.auto_id, mark_safe("".join(parts)))  # noqa: S308


@register.inclusion_tag("core/_history.html", takes_context=True)
def history_table(context, obj, limit: int = 30):
    """Who changed what and when, newest first, with the fields that changed (core.history)."""
    user = context["request"].user
    if not user.can("history_view") and not getattr(context.get("can_see_history"), "__bool__", lambda: False)():
        return {"rows": None}
    return {"rows": history_rows(obj, limit=limit)}


@register.filter
def local_time(value):
    """A datetime as 2026-12-02 00:56 in Beijing time, a date as 2026-12-02; anything else (a breadcrumb's
    text) as it is. Every date and time a shared template writes goes through here (core.display)."""
    return time_text(value) if isinstance(value, date) else value


@register.filter
def local_date(value):
    """The Beijing day of a datetime, or a date, as 2026-12-02; anything else as it is."""
    return date_text(value) if isinstance(value, date) else value


@register.filter
def masked_id(value: str, show_full: bool = False) -> str:
    return value if show_full else mask(value)


@register.filter
def masked_phone(value: str, show_full: bool = False) -> str:
    return value if show_full else mask_phone(value)


@register.filter
def yuan(value) -> str:
    """Money as 1,324,900.00 (core.display.money_text), "—" for none."""
    return money_text(value)


@register.filter
def figure(value, unit: str = ""):
    """A statistics figure in its unit: an amount of money (元) as money, a whole count stored as a decimal (a
    target of 120.00 件) as 120, anything else as it is; "—" for none (a rate without a base)."""
    if value is None or value == "":
        return EMPTY
    if unit == "元":
        return money_text(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


@register.inclusion_tag("core/_due.html")
def due_badge(due: date | None):
    """Due date with days left, amber within 2 days, red when overdue."""
    left = None if not due else (due - timezone.localdate()).days
    return {"due": due, "left": left, "overdue": -left if left is not None and left < 0 else 0}


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting); a parameter
    given as None is left out (`page=None`: the export of a list starts from its first row)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
