"""`{% kept a b … %}…{% endkept %}`: a piece of a page written once and kept in this process's memory under
everything it depends on, for the pieces every list page repeats unchanged for hours (its filter form, the
money pages' menu).

    {% load kept %}
    {% kept filter.form|form_key request.get_full_path export %}<form>…</form>{% endkept %}

The key is the values named (each must be hashable) together with the piece's own number (each `{% kept %}`
of each template as parsed), the language, the script prefix and the URLconf. A value that is None means "do not keep": the piece is written afresh, as
`form_key` answers for a form whose choices come from the database. At most KEEP pieces are kept, the least
recently used dropped first. Unlike `{% cache %}`, nothing expires: a piece is kept only under a key that
names all it shows, so it never goes stale.

A list's filter form took a fifth of a small list's time (0.8 ms of the spending list's 8) to write the same
HTML again; the money pages' menu as much.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from django import template
from django.forms import ModelChoiceField
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_filters.fields import ChoiceIterator

register = template.Library()

KEEP = 1024
_pieces: OrderedDict = OrderedDict()
_lock = threading.Lock()
_serials = itertools.count()


def forget_all() -> None:
    with _lock:
        _pieces.clear()


def _choices(choices):
    if choices is None:
        return ()
    # django-filter wraps a list of choices in its own iterator (adding the empty and null choices)
    inner = choices.choices if isinstance(choices, ChoiceIterator) else choices
    if not isinstance(inner, list | tuple):
        return None  # a callable's choices (a vocabulary table), a model's: read afresh each time
    return tuple((str(v), str(label)) for v, label in choices)


def _data(form) -> tuple:
    data = form.data
    getlist = getattr(data, "getlist", None)
    return tuple(sorted((str(k), tuple(map(str, getlist(k))) if getlist else str(data[k])) for k in data))


@register.filter
def form_key(form):
    """Everything a filter form's HTML is made of (its fields as they are now, with their labels in the
    language, their choices, widgets and attributes, and the data it was given), or None when a field's choices
    come from the database (they may change at any time and depend on the reader)."""
    if form is None:
        return None
    parts: list = [type(form).__module__, type(form).__qualname__, form.prefix, form.is_bound, _data(form),
                   repr(sorted(form.initial.items(), key=lambda kv: kv[0]))]
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            return None
        widget = field.widget
        choices, shown = _choices(getattr(field, "choices", None)), _choices(getattr(widget, "choices", None))
        if choices is None or shown is None:
            return None
        parts.append((name, type(field).__qualname__, str(field.label), str(field.help_text), field.required,
                      field.disabled, repr(field.initial), type(widget).__module__, type(widget).__qualname__,
                      tuple(sorted((str(k), str(v)) for k, v in widget.attrs.items())), choices, shown))
    return tuple(parts)


@register.filter
def holds(user, capabilities: str):
    """Which of the space-separated capabilities the user holds, as a key: ("funding_manage", …)."""
    return tuple(c for c in capabilities.split() if user.can(c)) if getattr(user, "is_authenticated", False) \
        else ()


class KeptNode(template.Node):
    def __init__(self, nodelist, values):
        # Each piece of each template parsed has its own number, never reused (a template made from a string
        # has no name, and two such may share a line): with the cached loader a template is parsed once.
        self.nodelist, self.values, self.serial = nodelist, values, next(_serials)

    def render(self, context):
        values = tuple(v.resolve(context) for v in self.values)
        if any(v is None for v in values):
            return self.nodelist.render(context)
        key = (self.serial, get_language(), get_script_prefix(), get_urlconf(), values)
        try:
            with _lock:
                piece = _pieces.get(key)
                if piece is not None:
                    _pieces.move_to_end(key)
                    return piece
        except TypeError:  # a value that cannot be a key: written each time
            return self.nodelist.render(context)
        piece = mark_safe(self.nodelist.render(context))  # noqa: S308 - the template's own, escaped output
        with _lock:
            _pieces[key] = piece
            while len(_pieces) > KEEP:
                _pieces.popitem(last=False)
        return piece


@register.tag
def kept(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% kept %} needs at least one value to keep the piece under")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, [parser.compile_filter(b) for b in bits])
