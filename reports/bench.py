"""`make bench`: indicator and report build times on a large generated dataset
(50,000 cases, 100,000 consultations, 20,000 persons), written with bulk_create."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

CASES = 50_000
CONSULTATIONS = 100_000
PERSONS = 20_000
BATCH = 5_000


def _generate(rng: random.Random) -> None:
    from applicants.models import Person
    from cases.models import Case, FollowUp
    from core.choices import CASE_KIND_WORD, CAUSE, CHANNEL, GROUP, STAGE, TOPIC
    from intake.models import Consultation
    from stations.demo_base import seed_organisation

    org = seed_organisation()
    stations = list(org["stations"].values())
    handlers = list(org["handlers"].values())
    Person.objects.bulk_create(
        [Person(name=f"受援人{i}", sex=rng.choice("MF"), birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(25000)))
         for i in range(PERSONS)], batch_size=BATCH)
    people = list(Person.objects.values_list("pk", flat=True))
    seqs: dict = {}
    cases = []
    start = date(2024, 1, 1)
    for _i in range(CASES):
        accepted = start + timedelta(days=rng.randrange(730))
        category = rng.choices(["civil", "criminal", "administrative"], [80, 17, 3])[0]
        key = (accepted.year, category)
        seqs[key] = seqs.get(key, 0) + 1
        closed = accepted + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.7 else None
        terminated = accepted + timedelta(days=rng.randrange(5, 60)) if closed is None and rng.random() < 0.1 else None
        status = "closed" if closed else "terminated" if terminated else rng.choice(["awaiting", "assigned"])
        assigned = accepted + timedelta(days=rng.randrange(0, 6)) if status != "awaiting" else None
        cases.append(Case(
            number=f"（{accepted.year}）测法援{CASE_KIND_WORD[category]}字第{seqs[key]}号", year=accepted.year, seq=seqs[key],
            category=category, status=status, source="notice" if category == "criminal" and rng.random() < 0.5
            else "application", stage=rng.choice(sorted(STAGE.codes)), cause=rng.choice(CAUSE.codes),
            is_litigation=rng.random() < 0.8, recipient_id=rng.choice(people),
            recipient_groups=rng.sample(GROUP.codes, rng.randrange(0, 3)), recipient_count=rng.choice([1, 1, 1, 2, 5]),
            is_mass=rng.random() < 0.03, amount_involved=Decimal(rng.randrange(0, 200000)),
            station=rng.choice([None, None, *stations]), accepted_on=accepted,
            assign_due=accepted + timedelta(days=3), handler=rng.choice(handlers) if assigned else None,
            assigned_on=assigned, closed_on=closed, amount_recovered=Decimal(rng.randrange(0, 50000)) if closed else None,
            terminated_on=terminated, grade=rng.choice(["excellent", "good", "pass", "fail"]) if closed else "",
            graded_on=closed + timedelta(days=10) if closed else None, file_due=closed + timedelta(days=30) if closed else None,
        ))
    Case.objects.bulk_create(cases, batch_size=BATCH)
    closed_ids = list(Case.objects.filter(closed_on__isnull=False).values_list("pk", "closed_on")[: CASES // 3])
    FollowUp.objects.bulk_create([FollowUp(case_id=pk, date=d + timedelta(days=5),
                                           satisfaction=rng.choice(["satisfied", "basically", "unsatisfied", ""]))
                                  for pk, d in closed_ids], batch_size=BATCH)
    sh = ZoneInfo("Asia/Shanghai")
    Consultation.objects.bulk_create([
        Consultation(occurred_at=datetime.combine(start + timedelta(days=rng.randrange(730)), dtime(9), tzinfo=sh),
                     channel=rng.choice(CHANNEL.codes), topic=rng.choice(TOPIC.codes), person_count=rng.choice([1, 1, 2]),
                     station=rng.choice([None, *stations]))
        for _ in range(CONSULTATIONS)], batch_size=BATCH)


def run(report) -> None:
    from django.db import connection

    from . import indicators as ind
    from .builder import build
    from .periods import parse_period

    t0 = time.perf_counter()
    _generate(random.Random(6))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report("reports: generate 50k cases + 100k consultations", time.perf_counter() - t0, "s")
    p = parse_period("2025")
    t0 = time.perf_counter()
    ind.indicator_rows(p)
    report("reports: every indicator, 2025 and 2024 (county)", time.perf_counter() - t0, "s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build(p, xlsx_path=Path(tmp) / "r.xlsx", docx_path=Path(tmp) / "r.docx")
        report("reports: annual report build (workbook + Word)", time.perf_counter() - t0, "s")
    figure_list_vs_admin(report)


def _median_ms(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return sorted(times)[len(times) // 2]


def figure_list_vs_admin(report) -> None:
    """The list behind a figure (its count, sum row and first page) side by side with a Django admin
    changelist of the same cases and with raw SQL doing the same count, sum and page."""
    from django.contrib import admin
    from django.db import connection
    from django.test import Client, RequestFactory

    from accounts.models import User
    from cases.models import Case

    from .links import indicator_url
    from .periods import parse_period

    p = parse_period("2025")
    director = User.objects.get(username="director")
    client = Client()
    client.force_login(director)
    url = indicator_url("recipients.total", p)

    def ours():
        assert client.get(url).status_code == 200

    site = admin.AdminSite(name="bench")

    class CaseAdmin(admin.ModelAdmin):
        list_display = ["number", "accepted_on", "category", "recipient", "recipient_count", "assigned_on",
                        "closed_on", "status", "station"]
        list_select_related = ["recipient", "station"]
        list_per_page = 50
        date_hierarchy = "accepted_on"

    site.register(Case, CaseAdmin)
    superuser = User.objects.filter(is_superuser=True).first()
    factory = RequestFactory()

    def django_admin():
        request = factory.get("/admin/cases/case/", {"accepted_on__year": "2025"})
        request.user = superuser
        response = site._registry[Case].changelist_view(request)
        response.render()

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), sum(recipient_count) FROM cases_case "
                           "WHERE accepted_on BETWEEN %s AND %s", [p.start, p.end])
            cursor.fetchall()
            cursor.execute("SELECT c.number, c.accepted_on, c.category, r.name, c.recipient_count, c.assigned_on, "
                           "c.closed_on, c.status, s.name FROM cases_case c JOIN applicants_person r ON "
                           "r.id = c.recipient_id LEFT JOIN stations_station s ON s.id = c.station_id "
                           "WHERE c.accepted_on BETWEEN %s AND %s ORDER BY c.accepted_on, c.id LIMIT 50",
                           [p.start, p.end])
            cursor.fetchall()

    ours()  # warm the caches of all three the same way
    django_admin()
    raw_sql()
    a, b, c = _median_ms(ours), _median_ms(django_admin), _median_ms(raw_sql)
    report("reports: figure list 受援人数 2025 (page, count, sum row)", a, "ms")
    report("reports: Django admin changelist, same cases", b, "ms")
    report("reports: raw SQL count + sum + page", c, "ms")
    report("reports: figure list / admin changelist", a / b, "x")
    report("reports: figure list / raw SQL", a / c, "x")
