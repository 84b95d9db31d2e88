"""`make bench`: the publicity list's totals and the network summary on 20,000 events."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

EVENTS = 20_000


def run(report) -> None:
    from publicity.models import Event
    from publicity.selectors import event_list, event_totals
    from stations.demo_base import seed_organisation
    from stations.selectors import network_summary

    org = seed_organisation()
    stations = list(org["stations"].values()) + [None]
    rng = random.Random(3)
    start = dt.date(2024, 1, 1)
    Event.objects.bulk_create(
        [Event(date=start + dt.timedelta(days=rng.randrange(900)), title=f"法律援助宣传活动{i}", form="community",
               station=rng.choice(stations), materials=rng.randint(0, 500), onsite=rng.randint(0, 50),
               audience=rng.randint(0, 500)) for i in range(EVENTS)], batch_size=2000)
    director = org["users"]["director"]
    staff = org["users"]["staff_a"]
    for who, user in (("director", director), ("station staff", staff)):
        began = time.perf_counter()
        qs = event_list(user).filter(date__gte=dt.date(2025, 1, 1))
        totals = event_totals(qs)
        page = list(qs[:25])
        report(f"publicity: totals + first page ({who}, {totals['count']} rows)",
               (time.perf_counter() - began) * 1000, "ms")
        assert len(page) == 25
    with CaptureQueriesContext(connection) as ctx:
        began = time.perf_counter()
        rows = list(network_summary(director, 2025))
        elapsed = (time.perf_counter() - began) * 1000
    report(f"stations: network summary ({len(rows)} stations, {len(ctx.captured_queries)} query)", elapsed, "ms")
