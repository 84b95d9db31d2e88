"""咨询 and 值班与代书: intake.Consultation and intake.Matter."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from core.cells import is_masked

from ..schema import SHANGHAI
from ..writing import bulk, new_rows, user_of


def write_consultations(rows, ctx):
    from intake.models import Consultation

    fresh, matched = new_rows("咨询", Consultation, rows)
    objs = []
    for row, fp in fresh:
        v = row.values
        objs.append(Consultation(
            occurred_at=datetime.combine(v["date"], time(9, 0), SHANGHAI), channel=v["channel"],
            station=v["station"], person_name=v["name"], person_sex=v["sex"],
            person_phone="" if is_masked(v["phone"]) else v["phone"], person_groups=v["groups"],
            topic=v["topic"], summary=v["summary"], answer=v["answer"], outcome=v["outcome"],
            person_count=v["person_count"], import_fingerprint=fp, created_by=user_of(ctx),
        ))
    bulk(Consultation, objs, ctx)
    return len(objs), matched


def write_matters(rows, ctx):
    """A matter's lawyer is linked to the roster's handler of that name when there is exactly one."""
    from intake.models import Matter
    from stations.models import Handler

    fresh, matched = new_rows("值班与代书", Matter, rows)
    names = {r.values["lawyer"] for r, _fp in fresh if r.values["lawyer"]}
    by_name: dict[str, list] = defaultdict(list)
    for h in Handler.objects.filter(name__in=names):
        by_name[h.name].append(h)
    objs = []
    for r, fp in fresh:
        v = r.values
        found = by_name.get(v["lawyer"], [])
        objs.append(Matter(date=v["date"], kind=v["kind"], place=v["place"],
                           handler=found[0] if len(found) == 1 else None, lawyer_name=v["lawyer"],
                           person_name=v["name"], plea=v["plea"], person_count=v["person_count"],
                           station=ctx.station, import_fingerprint=fp, created_by=user_of(ctx)))
    bulk(Matter, objs, ctx)
    return len(objs), matched
