from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from core.access import station_scope
from core.choices import REGISTRY_CATEGORY

from . import idcard
from .models import Person, VulnerableEntry


def persons_visible_to(user) -> QuerySet[Person]:
    """Center staff see every person; station staff those registered by their station."""
    return station_scope(Person.objects.all(), user, capability="applicant_manage").select_related(
        "station", "merged_into")


def person_search(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    q = (q or "").strip()
    if not q:
        return qs
    n = idcard.normalise(q)
    cond = Q(name__icontains=q) | Q(phone__contains=q)
    if len(n) >= 4:
        cond |= Q(id_number__icontains=n)
    return qs.filter(cond)


def registry_match(id_number: str, day: date) -> VulnerableEntry | None:
    """A valid registry entry for this ID number on `day` (valid_until not passed)."""
    n = idcard.normalise(id_number)
    if not n:
        return None
    return (VulnerableEntry.objects.filter(id_number=n)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)).order_by("-valid_until").first())


def registry_label(entry: VulnerableEntry | None) -> str:
    if entry is None:
        return ""
    word = REGISTRY_CATEGORY.zh.get(entry.category, entry.category)
    return f"{word}（{entry.source}）" if entry.source else word
