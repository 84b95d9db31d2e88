"""Filter helpers shared by the apps' list filters."""

from __future__ import annotations


def by_name(model):
    """Callable choices `(pk, name)` of a model's rows, by name: a filter's select of handlers, stations or
    providers. A province has thousands of them; read as two columns they cost no model instance each (a
    ModelChoiceFilter built 4,000 handlers for every case-list page), and core.forms_renderer writes them."""

    def choices():
        return [(str(pk), name) for pk, name in model._default_manager.order_by("name", "pk").values_list("pk", "name")]

    return choices
