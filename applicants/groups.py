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


def groups_at(person, day: date, *, extra: list[str] | None = None) -> list[str]:
    """Declared plus derived groups of `person` at `day`, in the order of the vocabulary."""
    found = set(person.declared_groups or []) | set(extra or [])
    if person.disability_type:
        found.add("disabled")
    found |= derived_groups(birth_date=person.birth_date, sex=person.sex, day=day)
    return [code for code in GROUP.codes if code in found]
