"""Beneficiary groups at a date (DOMAIN.md §4): declared groups plus the derived ones."""

from __future__ import annotations

from datetime import date

from core.choices import GROUP


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def derived_groups(*, birth_date: date | None, sex: str, day: date) -> set[str]:
    groups: set[str] = set()
    age = age_on(birth_date, day)
    if age is not None and age < 18:
        groups.add("minor")
    if age is not None and age >= 60:
        groups.add("elderly")
    # A woman is female and not a minor; with no birth date she is taken as an adult.
    if sex == "F" and "minor" not in groups:
        groups.add("women")
    return groups


# A valid entry of the vulnerable-persons registry makes its category a group of the person (STATISTICS.md
# groups: 低保/特困 → 低保特困, 残疾人 → 残疾人, 优抚对象 → 军人军属; 其他 names no group).
REGISTRY_GROUPS = {"dibao": "low_income", "tekun": "low_income", "disabled": "disabled", "youfu": "military"}


def registry_categories(id_numbers, day: date | None = None) -> dict[str, set[tuple[str, date | None]]]:
    """{normalised ID number: {(category, valid_until)}} of the registry, in one query for many people."""
    from . import idcard
    from .models import VulnerableEntry

    wanted = {idcard.normalise(n) for n in id_numbers if n}
    wanted.discard("")
    found: dict[str, set] = {}
    for i in range(0, len(wanted), 5000):
        chunk = sorted(wanted)[i:i + 5000]
        for number, category, until in VulnerableEntry.objects.filter(id_number__in=chunk).values_list(
                "id_number", "category", "valid_until"):
            found.setdefault(number, set()).add((category, until))
    return found


def registry_groups(entries, day: date) -> set[str]:
    """The groups that registry entries valid on `day` give."""
    return {REGISTRY_GROUPS[c] for c, until in entries or () if c in REGISTRY_GROUPS and (until is None or until >= day)}


def groups_at(person, day: date, *, extra: list[str] | None = None, registry=None,
              declared: list[str] | None = None) -> list[str]:
    """Declared, registry and derived groups of `person` at `day`, in the order of the vocabulary.

    `registry` is the person's entries from `registry_categories` (bulk callers); None looks them up.
    `declared` stands for the person's declared groups when the caller knows them at `day` (a ledger row's
    人群类别 is what was declared for that case), else the person's as they are now."""
    found = set(person.declared_groups or [] if declared is None else declared) | set(extra or [])
    if person.disability_type:
        found.add("disabled")
    if registry is None and getattr(person, "id_number", ""):
        from . import idcard

        registry = registry_categories([person.id_number]).get(idcard.normalise(person.id_number), set())
    found |= registry_groups(registry, day)
    found |= derived_groups(birth_date=person.birth_date, sex=person.sex, day=day)
    return [code for code in GROUP.codes if code in found]
