"""Writes on persons and the registry (STYLE.md: services check permission and state)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import require
from core.models import AccessLog
from core.stored import site_language

from . import idcard
from .models import Person, VulnerableEntry

# What the person's edit page changes: the fields of its form (applicants.forms.PersonForm). An edit copies these,
# and only these, onto the row it locked: a merge made meanwhile (merged_into) is not undone by the copy the page
# loaded before it.
PERSON_EDITABLE = ("name", "id_type", "id_number", "sex", "birth_date", "ethnicity", "phone", "address", "hukou",
                   "township", "occupation", "declared_groups", "disability_type", "household_size",
                   "household_income", "assets_note")
UNIQUE_ID_NUMBER = "person_unique_id_number"


def _constraint(exc: IntegrityError) -> str:
    """The name of the constraint a write broke (PostgreSQL says it), or ""."""
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) or ""


@transaction.atomic
def person_save(*, person: Person, by) -> Person:
    require(by, "applicant_manage")
    creating = person.pk is None
    if creating:
        person.created_by = by
        if not by.is_center:
            person.station = by.station
    else:
        stored = Person.objects.select_for_update().get(pk=person.pk)
        for name in PERSON_EDITABLE:
            setattr(stored, name, getattr(person, name))
        person = stored
    person._history_user = by
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        # The form checked the number, but the same person was saved at the same moment (a double click, a retry
        # after a timeout): the database keeps one record per number, and the page says so as the form does.
        if _constraint(exc) != UNIQUE_ID_NUMBER:
            raise
        raise ValidationError({"id_number": ValidationError(_("This ID number is already registered."),
                                                            code="duplicate")}) from None
    return person


def person_view_logged(*, person: Person, by) -> None:
    """Opening a full record (ID and phone unmasked) is logged (DOMAIN.md §13)."""
    AccessLog.objects.create(user=by, action="view_person", object_type="person", object_id=str(person.pk))


def full_id_shown(*, person: Person | None, by, asked: bool) -> bool:
    """Pages that show a person beside a case, a notice, an application or a consultation mask the ID and phone
    numbers as lists do; a role that may see them in full asks (a click) and the view is logged like the
    opening of the person's own page (DOMAIN.md §13)."""
    if not asked or person is None or not by.can("applicant_view_full"):
        return False
    person_view_logged(person=person, by=by)
    return True


def records_pointing_at_a_person() -> list[tuple[type, str]]:
    """Every (model, field) of the installed apps that points at a person, read from the models themselves,
    so applicants imports none of the apps above it and a new app's records move with the person too (a
    person's own `merged_into` and the change history, which keeps what was, are not moved)."""
    return sorted(((rel.related_model, rel.field.name) for rel in Person._meta.related_objects
                   if rel.field.many_to_one and rel.related_model is not Person),
                  key=lambda pair: (pair[0]._meta.label, pair[1]))


@transaction.atomic
def person_merge(*, keep: Person, drop: Person, by, reason: str = "") -> Person:
    """Move everything of `drop` to `keep`; `drop` stays as a record pointing at `keep`."""
    require(by, "applicant_merge")
    if keep.pk == drop.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    # Both records locked (in the order of their numbers, as any two merges take them) and read again: a merge of
    # the same record made at the same moment (another tab, a colleague) is found here, not undone.
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=(keep.pk, drop.pk)).order_by("pk")}
    keep, drop = locked[keep.pk], locked[drop.pk]
    if keep.merged_into_id or drop.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    with site_language():  # the history is read in the center's language, whoever clicked (core.stored)
        moved = _("Merged person #%(a)s into #%(b)s") % {"a": drop.pk, "b": keep.pk}
        merged = reason or _("Merged")
    for model, field in records_pointing_at_a_person():
        for obj in model.objects.filter(**{field: drop}):
            setattr(obj, field, keep)
            obj._history_user = by
            obj._change_reason = moved
            obj.save(update_fields=[field])
    if not keep.id_number and drop.id_number:
        # The number comes with its type, and a resident ID number says the birth date and sex: they replace
        # what was estimated on a record registered without the ID card (DOMAIN.md §4).
        keep.id_type, keep.id_number = drop.id_type, drop.id_number
        if keep.id_type == Person.IdType.RESIDENT or idcard.is_resident_number(keep.id_number):
            try:
                info = idcard.parse(keep.id_number)
            except ValidationError:
                info = None
            if info is not None:
                keep.id_type, keep.birth_date, keep.sex = Person.IdType.RESIDENT, info.birth_date, info.sex
    for field in ("phone", "address", "hukou", "township", "occupation", "birth_date", "sex",
                  "disability_type", "household_income", "assets_note"):
        if not getattr(keep, field) and getattr(drop, field):
            setattr(keep, field, getattr(drop, field))
    keep.declared_groups = sorted(set(keep.declared_groups) | set(drop.declared_groups))
    drop.merged_into = keep
    drop._history_user = by
    drop._change_reason = merged
    drop.save()
    keep._history_user = by
    keep._change_reason = moved
    keep.save()
    return keep


@transaction.atomic
def registry_entry_save(*, entry: VulnerableEntry, by) -> VulnerableEntry:
    require(by, "registry_manage")
    entry._history_user = by
    entry.save()
    return entry
