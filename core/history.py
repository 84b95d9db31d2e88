"""A record's change history as a person reads it: who, when (Beijing time) and each changed value.

django-simple-history diffs give raw values: the id of a related record, a choice code, a Python list.
Here a related record is written as its str() (looked up once per related model for the whole table,
not once per row), a choice as its label, a list as its items joined with 、, a boolean as 是/否, a date
as 2026-12-02, a time in Beijing time, an amount as 1,324,900.00 and an empty value as —.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from .display import EMPTY, money_text, time_text

SEPARATOR = "、"

Names = dict[tuple[type[models.Model], object], str]

# Apps name what core cannot know: a related model whose str() is a code (auth's Group: "director"), a field
# whose inherited label reads wrong in the project's language. Filled from the apps' ready().
RELATED_NAMES: dict[type[models.Model], object] = {}
FIELD_LABELS: dict[tuple[str, str], object] = {}


def name_related(model: type[models.Model], namer) -> None:
    """History tables write a record of `model` as namer(record) instead of str(record)."""
    RELATED_NAMES[model] = namer


def label_field(model_label: str, field_name: str, label) -> None:
    """History tables of `model_label` ("accounts.User") head `field_name`'s changes with `label`."""
    FIELD_LABELS[(model_label, field_name)] = label


def history_rows(obj: models.Model, *, limit: int = 30) -> list[dict]:
    """The newest `limit` history records of `obj`, newest first, each with the fields it changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    if not records:
        return []
    m2m_fields = list(type(records[0])._history_m2m_fields)
    members = _m2m_members(type(records[0]), m2m_fields, records)
    opts = obj._meta
    raw: list[tuple[object, list[tuple[models.Field, object, object]]]] = []
    for newer, older in zip(records[:limit], [*records[1:limit + 1], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=[f.name for f in m2m_fields])
            changes = [(opts.get_field(c.field), c.old, c.new) for c in delta.changes]
            for field in m2m_fields:
                old = members[field.name].get(older.history_id, [])
                new = members[field.name].get(newer.history_id, [])
                if old != new:
                    changes.append((field, old, new))
            changes.sort(key=lambda change: change[0].creation_counter)  # the model's own field order
        raw.append((newer, changes))
    names = _related_names(change for _record, changes in raw for change in changes)
    return [{
        "when": record.history_date,
        "who": record.history_user.display_name if record.history_user else _("system"),
        "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type],
        "reason": record.history_change_reason or "",
        "changes": [{"field": str(FIELD_LABELS.get((opts.label, field.name))
                                  or getattr(field, "verbose_name", field.name)),
                     "old": display_value(field, old, names), "new": display_value(field, new, names)}
                    for field, old, new in changes],
    } for record, changes in raw]


def _m2m_members(history_model, m2m_fields, records) -> dict[str, dict[int, list]]:
    """For each many-to-many field, the related ids each history record held: one query per field."""
    ids = [r.history_id for r in records]
    out: dict[str, dict[int, list]] = {}
    for field in m2m_fields:
        through_history = getattr(history_model, field.name).model
        target = f"{field.m2m_reverse_field_name()}_id"
        held: dict[int, list] = defaultdict(list)
        for history_id, related_id in (through_history.objects.filter(history_id__in=ids)
                                       .order_by(target).values_list("history_id", target)):
            held[history_id].append(related_id)
        out[field.name] = held
    return out


def _related_names(changes: Iterable[tuple[models.Field, object, object]]) -> Names:
    """str() of every related record the changes name, one query per related model."""
    wanted: dict[tuple[type[models.Model], str], set] = defaultdict(set)
    for field, old, new in changes:
        if not _is_relation(field):
            continue
        for value in (old, new):
            wanted[(field.related_model, _target(field))].update(v for v in _as_list(value) if v is not None)
    names: Names = {}
    for (related, target), keys in wanted.items():
        namer = RELATED_NAMES.get(related, str)
        for record in related._base_manager.filter(**{f"{target}__in": keys}):
            names[(related, getattr(record, target))] = str(namer(record))
    return names


def _is_relation(field) -> bool:
    return bool(field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.related_model)


def _target(field) -> str:
    """The related model's field a stored value refers to: its primary key unless the key names another."""
    if field.many_to_many:
        return field.related_model._meta.pk.attname
    return field.target_field.attname


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def display_value(field, value, names: Names | None = None) -> str:
    """One stored value of `field` as the page writes it (see the module docstring)."""
    if value is None or value in ("", [], (), {}):
        return EMPTY
    if _is_relation(field):
        return SEPARATOR.join(
            (names or {}).get((field.related_model, v), f"#{v}") for v in _as_list(value)
        ) or EMPTY
    choices = getattr(field, "flatchoices", None) or getattr(getattr(field, "base_field", None), "flatchoices", None)
    labels = {k: str(v) for k, v in choices} if choices else {}
    if isinstance(value, (list, tuple, set, frozenset)):
        return SEPARATOR.join(_scalar(v, labels) for v in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{k}：{_scalar(v, labels)}" for k, v in value.items())
    return _scalar(value, labels)


def _scalar(value, labels: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):  # a datetime too: in Beijing time
        return time_text(value)
    if isinstance(value, Decimal):  # the project's decimal fields are amounts of yuan (a share, a multiplier
        # or a target under 1,000 reads the same either way)
        return money_text(value)
    if isinstance(value, (list, tuple)):
        return SEPARATOR.join(_scalar(v, labels) for v in value)
    try:
        return labels.get(value, str(value))
    except TypeError:  # an unhashable value (a dict inside a JSON list)
        return str(value)
