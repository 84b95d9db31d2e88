"""Filter helpers shared by the apps' list filters."""

from __future__ import annotations

import django_filters as df


class ByName:
    """Callable choices `(pk, name)` of a model's rows, by name, after the `extra` ones: a filter's select of
    handlers, stations or providers. A province has thousands of them; read as two columns they cost no model
    instance each (a ModelChoiceFilter built 4,000 handlers for every case-list page). The select is chosen by
    type-ahead (core.forms_renderer.LookupOptions), so a page reads only the chosen ones (`pick`), and the
    filter's field validates only the submitted ones (LookupMultipleChoiceFilter)."""

    def __init__(self, model, extra=()):
        self.model, self.extra = model, tuple(extra)

    def __call__(self) -> list[tuple[str, str]]:
        rows = self.model._default_manager.order_by("name", "pk").values_list("pk", "name")
        return [*self.extra, *((str(pk), name) for pk, name in rows)]

    def pick(self, values) -> list[tuple[str, str]]:
        """The choices of `values` only, in the order of all of them (one query, none without a key)."""
        wanted = {str(v) for v in values}
        keys = [v for v in wanted if v.isascii() and v.isdigit()]  # "²" and "１２" are no keys (and no 500)
        rows = (self.model._default_manager.filter(pk__in=keys).order_by("name", "pk").values_list("pk", "name")
                if keys else ())
        return [*((v, label) for v, label in self.extra if str(v) in wanted), *((str(pk), name) for pk, name in rows)]


def by_name(model, extra=()) -> ByName:
    return ByName(model, extra)


def picker(choices) -> ByName | None:
    """The ByName behind a field's or a widget's choices (wrapped by Django and django-filter), if any."""
    for _depth in range(4):
        if isinstance(choices, ByName):
            return choices
        inner = getattr(choices, "func", None) or getattr(choices, "choices", None)
        if inner is None or inner is choices:
            return None
        choices = inner
    return None


class LookupMultipleChoiceField(df.fields.MultipleChoiceField):
    def valid_value(self, value):
        source = picker(self.choices)
        if source is None:
            return super().valid_value(value)
        return bool(source.pick([value]))


class LookupMultipleChoiceFilter(df.MultipleChoiceFilter):
    """A MultipleChoiceFilter over `by_name` choices that never reads them all."""

    field_class = LookupMultipleChoiceField
