"""困难群体 (applicants.VulnerableEntry), and the recipients of 案件 rows (applicants.Person)."""

from __future__ import annotations

from django.db.models import Q

from core.cells import is_masked
from core.choices import DERIVED_GROUPS, GROUP

from ..parse import Row
from ..writing import Context, bulk, new_rows, saved, user_of


def write_registry(rows, ctx):
    from applicants.models import VulnerableEntry

    fresh, matched = new_rows("困难群体", VulnerableEntry, rows)
    objs = [VulnerableEntry(name=r.values["name"], id_number=r.values["id_number"], category=r.values["category"],
                            source=r.values["source"], valid_until=r.values["valid_until"], import_fingerprint=fp)
            for r, fp in fresh]
    bulk(VulnerableEntry, objs, ctx)
    return len(objs), matched


def persons_for(rows: list[Row], ctx: Context) -> list:
    """The recipient of each row: found by ID number (once per file), else created; bulk. A masked or missing
    number never finds anyone and is not stored. Groups from the ledger are added, never removed."""
    from applicants import idcard
    from applicants.models import Person

    numbers = {r.values["id_number"] for r in rows if r.values["id_number"] and not is_masked(r.values["id_number"])}
    numbers -= set(ctx.persons)
    found = {}
    wanted = sorted(numbers)
    for i in range(0, len(wanted), 5000):
        part = wanted[i:i + 5000]
        residents = [n for n in part if idcard.is_resident_number(n)]
        others = [n for n in part if not idcard.is_resident_number(n)]
        for p in Person.objects.filter(Q(id_type="resident", id_number__in=residents)
                                       | Q(id_type__in=["passport", "other"], id_number__in=others),
                                       merged_into__isnull=True):
            found[p.id_number] = p
    ctx.persons.update(found)
    fresh, out, grown = [], [], {}
    for r in rows:
        v = r.values
        extra = [g for g in v["groups"] if g not in DERIVED_GROUPS]
        number = v["id_number"] if v["id_number"] and not is_masked(v["id_number"]) else ""
        person = ctx.persons.get(number) if number else None
        if person is None:
            resident = bool(number) and idcard.is_resident_number(number)
            info = idcard.parse(number) if resident else None
            person = Person(name=v["name"], id_number=number, sex=info.sex if info else v["sex"],
                            id_type="resident" if resident or not number else "other",
                            birth_date=info.birth_date if info else v["birth_date"], declared_groups=extra,
                            station=v["station"], created_by=user_of(ctx))
            fresh.append(person)
            if number:
                ctx.persons[number] = person
        elif set(extra) - set(person.declared_groups or []):
            person.declared_groups = [c for c in GROUP.codes if c in set(person.declared_groups or []) | set(extra)]
            if person.pk:
                grown[person.pk] = person
        out.append(person)
    bulk(Person, fresh, ctx)
    for person in grown.values():
        saved(person, ctx, update_fields=["declared_groups"])
    return out
