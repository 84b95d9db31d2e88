"""Transition tables: one per record that moves (issue 15.1).

A workflow is a table of `Step`s (an action: the states it starts from, the state it leads to, the capability
it needs, whether it is for center staff only, its guard, the deadline it starts and the one it stops, the
document it issues) and of `Phase`s (the states that matter to users: what is waiting, for whom, by when).
Services check a step through the table (`Workflow.check` / `Workflow.authorize`), the detail page offers the
buttons it answers (`Workflow.offered`), the "next step" hint, the overdue and due-soon filters and the to-do
lists read its phases, so adding a step means one row here plus its service and template.

Guards are written once, as a `Q`: the same object filters a queryset (lists, to-dos, overdue) and is checked
on one loaded row in Python (`matches`), so the list and the page can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

# --- a Q evaluated on one row -------------------------------------------------------

def _value(obj, path: list[str]):
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
        if callable(obj) and not hasattr(obj, "pk"):  # a related manager or method is not a value
            raise ValueError(f"cannot evaluate {'__'.join(path)} in Python")
    return obj


_LOOKUPS: dict[str, Callable] = {
    "exact": lambda v, x: v == x,
    "isnull": lambda v, x: (v is None) == bool(x),
    "lt": lambda v, x: v is not None and v < x,
    "lte": lambda v, x: v is not None and v <= x,
    "gt": lambda v, x: v is not None and v > x,
    "gte": lambda v, x: v is not None and v >= x,
    "in": lambda v, x: v in x,
    "range": lambda v, x: v is not None and x[0] <= v <= x[1],
}


def matches(obj, q: Q) -> bool:
    """Whether the row `obj` (as loaded, annotations included) satisfies `q`: field lookups of `_LOOKUPS` over
    plain and related fields, combined with AND, OR and NOT, and expressions that carry a `row_test(obj)` (see
    `row_exists`). The same `q` filters querysets."""
    # Plain lookups first and lazily, so an expression (which may cost a query) is decided only when needed.
    children = sorted(q.children, key=lambda child: not isinstance(child, (Q, tuple)))
    results = (_child_matches(obj, child) for child in children)
    result = all(results) if q.connector == Q.AND else any(results)
    return not result if q.negated else result


def _child_matches(obj, child) -> bool:
    if isinstance(child, Q):
        return matches(obj, child)
    if not isinstance(child, tuple):  # an expression (Exists) that says how to decide it on one row
        return bool(child.row_test(obj))
    key, expected = child
    parts = key.split("__")
    lookup = parts[-1] if parts[-1] in _LOOKUPS else "exact"
    path = parts[:-1] if parts[-1] in _LOOKUPS else parts
    if len(path) == 1 and hasattr(obj, f"{path[0]}_id") and (hasattr(expected, "pk") or lookup == "isnull"):
        expected = getattr(expected, "pk", expected)  # compare keys: no query for the related row
        path = [f"{path[0]}_id"]
    elif len(path) == 2 and path[1] in ("pk", "id"):
        path = [f"{path[0]}_id"]
    return _LOOKUPS[lookup](_value(obj, path), expected)


def row_exists(queryset, row_test: Callable[[object], bool]):
    """An `Exists` for querysets that `matches` decides on one row with `row_test` (an annotation when the row
    has it, else one query)."""
    from django.db.models import Exists

    expression = Exists(queryset)
    expression.row_test = row_test
    return expression


def row_among(values, row_test: Callable[[object], bool], field: str = "pk"):
    """Like `row_exists`, for a condition few records meet at any time (an objection awaiting its decision, a
    proposal awaiting approval): the row's `field` is one of the keys `values` selects (one column, not
    correlated), `field = ANY(ARRAY(SELECT …))`. PostgreSQL reads those keys once and finds their rows by index,
    also inside an OR of phases, where EXISTS (…) is tested on every row of the table (a province's to-do
    badge: 570 ms → 1 ms)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import F

    from .indicators import AmongLookup

    expression = AmongLookup(F(field), ArraySubquery(values.order_by()))
    expression.row_test = row_test
    return expression


# --- the table ----------------------------------------------------------------------

Who = Callable[[object, object], bool]  # (user, record) -> may this user act on this record


@dataclass(frozen=True)
class Step:
    """One action of a workflow.

    `sources`: the states it may start from (empty: any state); `target`: the state it leads to (empty: the state
    does not change). `capability`: what the user needs (empty: decided by `who` alone); `center_only`: for
    center staff only; `who`: a further check of the user against the record (the case's own handler);
    `guard`: a further condition on the record, as a Q. `starts`/`stops`: the deadline field it sets and the one
    it satisfies; `issues`: the document (core.issued kind) it issues."""

    action: str
    label: object
    sources: tuple[str, ...] = ()
    target: str = ""
    capability: str = ""
    center_only: bool = False
    who: Who | None = None
    guard: Q | None = None
    starts: str = ""
    stops: str = ""
    issues: str = ""
    blocked: object = ""  # the message when the state allows the step but the guard does not

    def permitted(self, user, record=None) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.center_only and not user.is_center:
            return False
        if self.capability and not user.can(self.capability):
            return False
        if self.who is not None and (record is None or not self.who(user, record)):
            return False
        return True

    def enabled(self, record, state: str) -> bool:
        if self.sources and state not in self.sources:
            return False
        return self.guard is None or matches(record, self.guard)

    def q(self, state_field: str) -> Q:
        q = Q(**{f"{state_field}__in": self.sources}) if self.sources else Q()
        return q & self.guard if self.guard is not None else q


@dataclass(frozen=True)
class Phase:
    """A state that matters to users: the records in it (`q`), the step that moves them on, the deadline field
    it runs against (empty: none), the hint shown as the next step, and whose to-do it is (`todo(user)` gives
    the Q of the records waiting for this user, or None when it is nobody's of theirs)."""

    name: str
    label: object
    q: Q
    step: str = ""
    due: str = ""
    hint: object = ""
    todo: Callable[[object], Q | None] | None = None
    counts_for_deadlines: bool = True  # False for a phase that refines another with the same deadline


@dataclass
class Workflow:
    name: str
    state_field: str
    states: type  # the model's TextChoices
    steps: Iterable[Step]
    phases: Iterable[Phase] = ()
    refusal: str = ""  # message when a step is not possible in the record's state ("%(state)s")
    by_action: dict[str, Step] = field(init=False)

    def __post_init__(self) -> None:
        self.steps = tuple(self.steps)
        self.phases = tuple(self.phases)
        self.by_action = {s.action: s for s in self.steps}
        if len(self.by_action) != len(self.steps):
            raise ValueError(f"{self.name}: two steps share an action")
        for phase in self.phases:
            if phase.step and phase.step not in self.by_action:
                raise ValueError(f"{self.name}: phase {phase.name} names unknown step {phase.step}")

    def __getitem__(self, action: str) -> Step:
        return self.by_action[action]

    def state(self, record) -> str:
        return getattr(record, self.state_field)

    # -- one record --
    def enabled(self, record, action: str) -> bool:
        return self[action].enabled(record, self.state(record))

    def allowed(self, user, record, action: str) -> bool:
        step = self[action]
        return step.enabled(record, self.state(record)) and step.permitted(user, record)

    def offered(self, user, record) -> dict[str, bool]:
        """Every action of the table and whether this user is offered it on this record (the buttons)."""
        return {a: self.allowed(user, record, a) for a in self.by_action}

    def authorize(self, user, record, action: str) -> None:
        """A missing capability or a record that is not the user's to act on is a refusal (403), not a rule."""
        if not self[action].permitted(user, record):
            raise PermissionDenied

    def check(self, record, action: str) -> None:
        """Refuse, with a message for the user, a step the record's state does not allow."""
        step = self[action]
        if step.blocked and (not step.sources or self.state(record) in step.sources) and not step.enabled(
                record, self.state(record)):
            raise ValidationError(str(step.blocked))
        if not self.enabled(record, action):
            display = getattr(record, f"get_{self.state_field}_display", lambda: self.state(record))()
            raise ValidationError((self.refusal or _("This cannot be done while the record is %(state)s."))
                                  % {"state": display, "status": display})

    def phase(self, record) -> Phase | None:
        """The first phase the record is in (phases are listed most specific first)."""
        for phase in self.phases:
            if matches(record, phase.q):
                return phase
        return None

    def next_step(self, record) -> tuple[str, date | None]:
        phase = self.phase(record)
        if phase is None or not phase.hint:
            return "", None
        return str(phase.hint), getattr(record, phase.due) if phase.due else None

    # -- querysets --
    def _dated(self, lookup: Callable[[str], dict]) -> Q:
        q = Q(pk__in=[])
        for phase in self.phases:
            if phase.due and phase.counts_for_deadlines:
                q |= phase.q & Q(**lookup(phase.due))
        return q

    def due_expression(self):
        """The deadline each record runs against in its phase, as SQL: to sort a to-do list by what is due first
        (an application waiting for materials by the notice's date, not by its paused review clock)."""
        from django.db.models import Case, DateField, F, When

        whens = [When(phase.q, then=F(phase.due)) for phase in self.phases if phase.due]
        return Case(*whens, default=None, output_field=DateField())

    def overdue_q(self, today: date) -> Q:
        """Records in a phase whose deadline has passed."""
        return self._dated(lambda f: {f"{f}__lt": today})

    def due_soon_q(self, today: date, days: int) -> Q:
        return self._dated(lambda f: {f"{f}__range": (today, today + timedelta(days=days))})

    def phase_q(self, name: str) -> Q:
        for phase in self.phases:
            if phase.name == name:
                return phase.q
        raise KeyError(name)

    def todo_q(self, user) -> Q:
        """Records waiting for this user's step, as one Q over the phases."""
        q = Q(pk__in=[])
        for phase in self.phases:
            if phase.todo is None:
                continue
            mine = phase.todo(user)
            if mine is not None:
                q |= phase.q & mine
        return q

    # -- for tests and documentation --
    def transitions(self) -> list[tuple[str, str, str]]:
        """(source, action, target) for every step and every state it starts from."""
        out = []
        for step in self.steps:
            for source in step.sources or tuple(self.states.values):
                out.append((source, step.action, step.target or source))
        return out
