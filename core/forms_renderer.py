"""The form renderer: Django's, with the one widget that grows with the data rendered in Python.

A province has thousands of handlers and stations, and a list's filter form offers them in a select: through
Django's templates every option costs an `{% include %}` (some 0.5 ms), so 6,000 options took three seconds
of every case-list page. `FastSelectRenderer` writes `django/forms/widgets/select.html` and its options with
string joins, byte for byte what the templates write; every other template renders as before. A widget with
its own option template (or select template) is rendered by its templates as usual.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Select, SelectMultiple, Widget
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .filters import picker

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _escape(value) -> str:
    """conditional_escape without its lazy-string wrapper (called for every option)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    return "".join(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def render_select(widget: dict) -> str | None:
    """The select's HTML as Django's templates write it, or None when an option has its own template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request)


class FastOptions:
    """A select mixin whose options are written straight from `choices`, without Django's option dicts
    (optgroups built 6,000 of them for a case list's handler and station filters). The HTML is the same;
    grouped choices go the usual way."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        widget = Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = set(widget["value"])
        parts = []
        for v, label in choices:
            selected = str(v) in chosen
            if selected and not self.allow_multiple_selected:
                chosen = set()  # a single select marks its first match only, as Django's optgroups do
            parts.append(f'\n  <option value="{_escape(v)}"{" selected" if selected else ""}>{_escape(label)}</option>\n')
        options = "".join(parts)
        return mark_safe(f'<select name="{conditional_escape(name)}"{_attrs(widget["attrs"])}>'  # noqa: S308
                         f"{options}\n</select>\n")


class FastSelect(FastOptions, Select):
    pass


class FastSelectMultiple(FastOptions, SelectMultiple):
    pass


class LookupOptions(FastOptions):
    """A select of thousands (a province's handlers or stations) chosen by type-ahead: the page carries only
    the chosen options and the `pinned` ones (the empty choice, "the center"); static/js/app.js puts a search
    box above it that asks `lookup` (a URL name and its arguments, answering `?q=` with
    {"results": [{"id", "text"}]}) and adds the option picked. The parameter stays the record's key (`handler=12`), so links and saved searches keep
    working, and the field still validates against every choice."""

    def __init__(self, attrs=None, choices=(), *, lookup: tuple, pinned=None):
        super().__init__(attrs, choices)
        if pinned is None:  # a single select keeps its empty choice
            pinned = () if self.allow_multiple_selected else ("",)
        self.lookup, self.pinned = lookup, {str(v) for v in pinned}

    def render(self, name, value, attrs=None, renderer=None):
        from django.urls import reverse
        from django.utils.translation import gettext

        values = value if isinstance(value, (list, tuple)) else [value]
        keep = self.pinned | {str(v) for v in values if v not in (None, "")}
        every, wanted, kept = self.choices, set(keep), []
        source = picker(every)
        if not wanted:
            pass  # nothing chosen: no choice is read
        elif source is not None and "" not in wanted:
            kept = source.pick(wanted)  # only the chosen rows, by key
        else:
            for v, label in every:  # in order, and no further than the last one kept (4,000 choices cost 40 ms)
                if str(v) in wanted:
                    kept.append((v, label))
                    wanted.discard(str(v))
                    if not wanted:
                        break
        self.choices = kept
        attrs = {**(attrs or {}), "data-lookup": reverse(self.lookup[0], args=self.lookup[1:]),
                 "data-lookup-placeholder": gettext("Type a name to find"),
                 "data-lookup-empty": gettext("Nothing matches")}
        try:
            return super().render(name, value, attrs, renderer)
        finally:
            self.choices = every


class LookupSelect(LookupOptions, Select):
    pass


class LookupSelectMultiple(LookupOptions, SelectMultiple):
    pass


# More choices than this (a province's stations, handlers or contact points): a form's field becomes a type-ahead
# instead of a list the page would carry in full; a county's short lists stay lists.
LONG_LIST = 200


def type_ahead_if_long(field, lookup: tuple) -> None:
    """Make a long model choice field (one or several) a type-ahead over `lookup` (see LookupOptions)."""
    if field.queryset.count() <= LONG_LIST:
        return
    many = isinstance(field.widget, SelectMultiple) or getattr(field.widget, "allow_multiple_selected", False)
    kind = LookupSelectMultiple if many else LookupSelect
    attrs = {k: v for k, v in field.widget.attrs.items() if k != "class"}
    field.widget = kind(attrs=attrs, lookup=lookup)
    field.widget.choices = field.choices
