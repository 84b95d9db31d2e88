"""`seed_demo --scale N`: the county's yearly targets (民生工程目标) for the ten years (core/scale.py).

Each year's target is set in advance from the year before: about 5 % above its result (one new station),
rounded up as the county writes them; the first year's from its own result. Report runs are not generated:
they are built on request from the data.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.db import connection

from core.scale import Progress, Timeline

from .models import Target

CODES = ["cases.accepted", "services.total", "consultations.total", "publicity.events", "network.stations"]


def seed_scale(*, cases: int, rng, stdout) -> None:
    from cases.models import Case
    from intake.models import Consultation, Matter
    from publicity.models import Event
    from stations.models import Station

    t = Timeline()
    progress = Progress(stdout, "reports")
    quote = connection.ops.quote_name
    results: dict[int, dict[str, int]] = {}

    def add(year, code, value):
        results.setdefault(int(year), {}).setdefault(code, 0)
        results[int(year)][code] += int(value or 0)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT extract(year FROM accepted_on), count(*), sum(recipient_count) "
                       f"FROM {quote(Case._meta.db_table)} GROUP BY 1")
        for year, count, recipients in cursor.fetchall():
            add(year, "cases.accepted", count)
            add(year, "services.total", recipients)
        cursor.execute(f"SELECT extract(year FROM occurred_at AT TIME ZONE 'Asia/Shanghai'), sum(person_count) "
                       f"FROM {quote(Consultation._meta.db_table)} GROUP BY 1")
        for year, people in cursor.fetchall():
            add(year, "consultations.total", people)
            add(year, "services.total", people)
        cursor.execute(f"SELECT extract(year FROM date), sum(person_count) FROM {quote(Matter._meta.db_table)} "
                       f"GROUP BY 1")
        for year, people in cursor.fetchall():
            add(year, "services.total", people)
        cursor.execute(f"SELECT extract(year FROM date), count(*) FROM {quote(Event._meta.db_table)} GROUP BY 1")
        for year, count in cursor.fetchall():
            add(year, "publicity.events", count)
    for year in range(t.start.year, t.end.year + 1):
        end = min(t.end, date(year, 12, 31))
        add(year, "network.stations", Station.objects.active_at(end).exclude(active=False, closed_on__isnull=True)
            .count())
    targets = []
    for year in range(t.start.year + 1, t.end.year + 1):
        base = results.get(year - 1, {})
        if year - 1 == t.start.year:  # a partial first year: its rate over the whole year
            days = (date(year - 1, 12, 31) - t.start).days + 1
            base = {code: value * 365 / days if code != "network.stations" else value for code, value in base.items()}
        for code in CODES:
            if code not in base:
                continue
            if code == "network.stations":
                value = base[code] + 1
            else:
                step = 10 if base[code] < 2000 else 100
                value = max(step, math.ceil(base[code] * 1.05 / step) * step)
            targets.append(Target(year=year, code=code, value=Decimal(value)))
    Target.objects.bulk_create(targets, ignore_conflicts=True)
    progress.done("targets", len(targets))
