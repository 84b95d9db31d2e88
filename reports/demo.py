"""Demo targets for this year, scaled to the demo data, and one finished annual report."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils import timezone

from .models import ReportRun, Target

TARGET_CODES = ["cases.accepted", "services.total", "consultations.total", "publicity.events", "network.stations"]


def _round_up(value: float, step: int) -> int:
    return max(step, int(math.ceil(value / step) * step))


def seed(*, rng, stdout) -> None:
    from stations.models import Station

    from . import indicators as ind
    from .dashboard import dashboard_period
    from .services import report_run_execute

    today = timezone.localdate()
    if Target.objects.filter(year=today.year).exists():
        stdout.write("reports: already seeded")
        return
    p = dashboard_period(today.year, today)
    values = ind.compute(p)
    elapsed = (today - date(today.year, 1, 1)).days + 1
    days = (date(today.year, 12, 31) - date(today.year, 1, 1)).days + 1
    for code in TARGET_CODES:
        if code == "network.stations":
            target = values[code] + 1  # one new station this year
        else:
            # About 10 % above the straight-line projection of the year so far.
            target = _round_up(values[code] / elapsed * days * 1.1, 10)
        Target.objects.create(year=today.year, code=code, value=Decimal(target))
    station = Station.objects.filter(code="station-a").first()
    if station is not None:
        v = ind.compute(p, station)
        Target.objects.create(year=today.year, code="cases.accepted", station=station,
                              value=Decimal(_round_up(v["cases.accepted"] / elapsed * days * 1.1, 5)))
    from .periods import parse_period

    last = parse_period(str(today.year - 1))
    run = ReportRun.objects.create(period=last.code, start=last.start, end=last.end, scheduled=True,
                                   want_docx=True)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    stdout.write(f"reports: {Target.objects.count()} targets, annual report {last.code} {run.status}")
