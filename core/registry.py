"""Each app contributes to the shell through optional modules, found like admin.py:

- `<app>/nav.py` defines `ITEMS: list[NavItem]` for the navigation bar;
- `<app>/home.py` defines `panels(request) -> list[Panel]` for the landing page (工作台);
- `<app>/demo.py` defines `seed(*, rng, stdout)`, called by `manage.py seed_demo`.
- `<app>/sheets.py` defines the sheets of its records and the columns it adds to another app's sheet (core.sheets),
  which the ledger's import and the list exports read.

The shell never imports an app by name, so apps stay independent of each other.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from django.apps import apps
from django.utils.functional import Promise

# Order of sections in the navigation bar.
SECTIONS = ["intake", "cases", "network", "money", "statistics", "admin"]


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    section: str
    capability: str | None = None  # accounts.<capability>; None = any logged-in user
    order: int = 50
    icon: str = ""
    visible: Callable | None = None  # extra predicate(user) -> bool
    badge: Callable | None = None  # count(user) -> int, shown as a to-do badge

    def allowed(self, user) -> bool:
        if self.capability and not user.can(self.capability):
            return False
        return self.visible(user) if self.visible else True


@dataclass
class Panel:
    title: str | Promise
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    width: str = "col-12 col-xl-6"


@cache
def modules(name: str) -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return found


def nav_items() -> list[NavItem]:
    items = [item for module in modules("nav") for item in getattr(module, "ITEMS", [])]
    return sorted(items, key=lambda i: (SECTIONS.index(i.section) if i.section in SECTIONS else 99, i.order))


def provided(name: str, kind: str = "home") -> Callable | None:
    """A function an app's `home.py` (or its `demo.py`/`scale.py`, with `kind`) offers to apps below it (e.g.
    `station_figures`, defined by reports so that station pages show the indicators' own figures; intake's demo
    notice of a demo case); None when no app offers it."""
    for module in modules(kind):
        if hasattr(module, name):
            return getattr(module, name)
    return None


def home_panels(request) -> list[Panel]:
    panels = [p for module in modules("home") for p in module.panels(request)]
    return sorted(panels, key=lambda p: p.order)
