"""`make bench-lists` (and `make bench`): every main list at scale, side by side with a Django admin changelist
of the same columns, filters and search (legalaid/bench_urls.py) and with raw SQL for the same page.

    python scripts/bench_lists.py [--scale 1000000] [--db legalaid_scale] [--runs 5]

The database (default `legalaid_scale` on the configured server) is created, migrated and filled with
`seed_demo --scale N` when it holds fewer cases than asked. Pages are fetched in-process through the Django
test client as the director (middleware, templates and all), each scenario once to warm up and then `--runs`
times; the median is printed. The slowest query of each list is EXPLAINed into bench-results/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench-results"


def _database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://legalaid:legalaid@127.0.0.1:5432/legalaid")
    return base.rsplit("/", 1)[0] + "/" + name


def _prepare(db: str, scale: int) -> None:
    import psycopg

    admin = _database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        have = cur.fetchone()[0]
    if have < scale:
        if have:
            sys.exit(f"{db} holds {have:,} cases, fewer than {scale:,}: drop it (dropdb {db}) or ask for fewer")
        print(f"seeding {scale:,} cases into {db} …", flush=True)
        t0 = time.perf_counter()
        from django.core.management.base import CommandError

        try:
            call_command("seed_demo", "--scale", str(scale))
        except (CommandError, TypeError) as exc:
            sys.exit(f"cannot generate the data ({exc}); measure an existing database: "
                     f"python scripts/bench_lists.py --db NAME --no-seed")
        print(f"seeded in {time.perf_counter() - t0:.0f} s", flush=True)


def _timed(fn, runs: int) -> tuple[float, object]:
    fn()  # warm up (caches, plans)
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _side_by_side(ours, theirs, runs: int) -> tuple[float, float]:
    """The medians of two pages timed in turn (ours, theirs, ours, …), so that the machine's drift over a
    run weighs on both alike."""
    ours(), theirs()  # warm up (caches, plans)
    times: tuple[list, list] = ([], [])
    for _ in range(runs):
        for fn, found in ((ours, times[0]), (theirs, times[1])):
            t0 = time.perf_counter()
            fn()
            found.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def _sample(sql: str):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return row[0] if row else ""


def scenarios() -> dict[str, list[dict]]:
    """Per list: (label, our URL, admin URL, raw SQL). Search values are taken from the data."""
    from urllib.parse import quote

    name = _sample("SELECT p.name FROM cases_case c JOIN applicants_person p ON p.id = c.recipient_id "
                   "ORDER BY c.id DESC LIMIT 1 OFFSET 1000")
    number = _sample("SELECT number FROM cases_case ORDER BY id LIMIT 1 OFFSET 5000")
    cname = _sample("SELECT person_name FROM intake_consultation WHERE person_name <> '' ORDER BY id "
                    "LIMIT 1 OFFSET 3000")
    pname = _sample("SELECT name FROM applicants_person ORDER BY id LIMIT 1 OFFSET 7000")
    aname = _sample("SELECT p.name FROM intake_application a JOIN applicants_person p ON p.id = a.applicant_id "
                    "ORDER BY a.id LIMIT 1 OFFSET 2000")
    n_cases = _sample("SELECT count(*) FROM cases_case")
    mid = max(1, n_cases // 25 // 2)
    last = max(1, -(-n_cases // 25))
    case_page = ("SELECT c.*, p.name, h.name FROM cases_case c JOIN applicants_person p ON p.id = c.recipient_id "
                 "LEFT JOIN stations_handler h ON h.id = c.handler_id {where} "
                 "ORDER BY c.accepted_on DESC, c.id DESC LIMIT 25 OFFSET {offset}")
    def small(table, order, ours, admin, filt):
        """First page, one filter and the last page of a list ordered by `order` (raw SQL alike)."""
        n = _sample(f"SELECT count(*) FROM {table}")
        last = max(1, -(-n // 25))
        (label, our_q, admin_q, where) = filt
        return [
            {"label": "first page", "ours": ours, "admin": admin,
             "sql": [f"SELECT * FROM {table} ORDER BY {order} LIMIT 25"]},
            {"label": label, "ours": f"{ours}?{our_q}", "admin": f"{admin}?{admin_q}",
             "sql": [f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT 25"]},
            {"label": "the last page", "ours": f"{ours}?page=last", "admin": f"{admin}?p={last}",
             "sql": [f"SELECT * FROM {table} ORDER BY {order} LIMIT 25 OFFSET {(last - 1) * 25}"]},
        ]

    return {
        "notices": small("intake_criminalnotice", "received_on DESC, id DESC", "/intake/notices/",
                         "/bench-admin/intake/criminalnotice/",
                         ("organ procuratorate", "organ=procuratorate", "organ__exact=procuratorate",
                          "organ = 'procuratorate'")),
        "matters": small("intake_matter", "date DESC, id DESC", "/intake/matters/", "/bench-admin/intake/matter/",
                         ("kind duty lawyer", "kind=duty_lawyer", "kind__exact=duty_lawyer", "kind = 'duty_lawyer'")),
        "discussions": small("cases_discussion", "held_on DESC, id DESC", "/cases/discussions/",
                             "/bench-admin/cases/discussion/",
                             ("the center's own", "station=center", "case__station__isnull=True",
                              "case_id IN (SELECT id FROM cases_case WHERE station_id IS NULL)")),
        "complaints": small("cases_complaint", "received_on DESC, id DESC", "/cases/complaints/",
                            "/bench-admin/cases/complaint/",
                            ("the center's own", "station=center", "case__station__isnull=True",
                             "case_id IN (SELECT id FROM cases_case WHERE station_id IS NULL)")),
        "subsidies": small("funding_subsidy", "created_at DESC, id DESC", "/funding/subsidies/",
                           "/bench-admin/funding/subsidy/",
                           ("status paid", "status=paid", "status__exact=paid", "status = 'paid'")),
        "spending": small("funding_spending", "date DESC, id DESC", "/funding/spending/",
                          "/bench-admin/funding/spending/",
                          ("category office", "category=office", "category__exact=office", "category = 'office'")),
        "events": small("publicity_event", "date DESC, id DESC", "/publicity/", "/bench-admin/publicity/event/",
                        ("form lecture", "form=lecture", "form__exact=lecture", "form = 'lecture'")),
        "cases": [
            {"label": "first page", "ours": "/cases/", "admin": "/bench-admin/cases/case/",
             "sql": [case_page.format(where="", offset=0)]},
            {"label": f"search a recipient's name ({name})", "ours": f"/cases/?q={quote(name)}",
             "admin": f"/bench-admin/cases/case/?q={quote(name)}",
             "sql": [case_page.format(where=f"WHERE p.name = '{name}'", offset=0)]},
            {"label": "search a case number", "ours": f"/cases/?q={quote(number)}",
             "admin": f"/bench-admin/cases/case/?q={quote(number)}",
             "sql": [case_page.format(where=f"WHERE c.number = '{number}'", offset=0)]},
            {"label": "status closed + category civil", "ours": "/cases/?status=closed&category=civil",
             "admin": "/bench-admin/cases/case/?status__exact=closed&category__exact=civil",
             "sql": [case_page.format(where="WHERE c.status = 'closed' AND c.category = 'civil'", offset=0),
                     "SELECT count(*) FROM cases_case WHERE status = 'closed' AND category = 'civil'"]},
            {"label": "cause + station", "ours": "/cases/?cause=labour_pay&station=center",
             "admin": "/bench-admin/cases/case/?cause__exact=labour_pay&station__isnull=True",
             "sql": [case_page.format(where="WHERE c.cause = 'labour_pay' AND c.station_id IS NULL", offset=0)]},
            {"label": "a page in the middle", "ours": f"/cases/?page={mid}", "admin": f"/bench-admin/cases/case/?p={mid}",
             "sql": [case_page.format(where="", offset=(mid - 1) * 25)]},
            {"label": "the last page", "ours": f"/cases/?page={last}", "admin": f"/bench-admin/cases/case/?p={last}",
             "sql": [case_page.format(where="", offset=(last - 1) * 25)]},
        ],
        "consultations": [
            {"label": "first page", "ours": "/intake/consultations/", "admin": "/bench-admin/intake/consultation/",
             "sql": ["SELECT * FROM intake_consultation ORDER BY occurred_at DESC, id DESC LIMIT 25"]},
            {"label": f"search a name ({cname})", "ours": f"/intake/consultations/?q={quote(cname)}",
             "admin": f"/bench-admin/intake/consultation/?q={quote(cname)}",
             "sql": [f"SELECT * FROM intake_consultation WHERE person_name = '{cname}' "
                     "ORDER BY occurred_at DESC, id DESC LIMIT 25"]},
            {"label": "channel phone + topic labour pay",
             "ours": "/intake/consultations/?channel=phone&topic=labour_pay",
             "admin": "/bench-admin/intake/consultation/?channel__exact=phone&topic__exact=labour_pay",
             "sql": ["SELECT * FROM intake_consultation WHERE channel = 'phone' AND topic = 'labour_pay' "
                     "ORDER BY occurred_at DESC, id DESC LIMIT 25"]},
        ],
        "applications": [
            {"label": "first page", "ours": "/intake/applications/", "admin": "/bench-admin/intake/application/",
             "sql": ["SELECT * FROM intake_application ORDER BY received_on DESC, id DESC LIMIT 25"]},
            {"label": f"search an applicant ({aname})", "ours": f"/intake/applications/?q={quote(aname)}",
             "admin": f"/bench-admin/intake/application/?q={quote(aname)}",
             "sql": ["SELECT a.* FROM intake_application a JOIN applicants_person p ON p.id = a.applicant_id "
                     f"WHERE p.name = '{aname}' ORDER BY a.received_on DESC, a.id DESC LIMIT 25"]},
            {"label": "status decided", "ours": "/intake/applications/?status=granted",
             "admin": "/bench-admin/intake/application/?status__exact=granted",
             "sql": ["SELECT * FROM intake_application WHERE status = 'granted' "
                     "ORDER BY received_on DESC, id DESC LIMIT 25"]},
        ],
        "persons": [
            {"label": "first page", "ours": "/applicants/", "admin": "/bench-admin/applicants/person/",
             "sql": ["SELECT * FROM applicants_person WHERE merged_into_id IS NULL ORDER BY name, id LIMIT 25"]},
            {"label": f"search a name ({pname})", "ours": f"/applicants/?q={quote(pname)}",
             "admin": f"/bench-admin/applicants/person/?q={quote(pname)}",
             "sql": [f"SELECT * FROM applicants_person WHERE name = '{pname}' ORDER BY name, id LIMIT 25"]},
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", "1000000")))
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "legalaid_scale"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated lists to measure")
    parser.add_argument("--no-seed", action="store_true", help="measure the database as it is")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database_url(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.test_settings")  # DEBUG off, plain static files
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The test settings' shared cache is a local-memory cache of 300 entries, culled at random past that
    # (production has Redis): a whole bench fills it, and a list's cached count or total would then be made
    # afresh at random (the consultations' first page read 39 ms alone, 153 ms after the other lists).
    settings.CACHES["shared"] = {**settings.CACHES["shared"], "OPTIONS": {"MAX_ENTRIES": 1_000_000}}
    from django.core.cache import caches

    assert caches["shared"]._max_entries == 1_000_000, "the shared cache was made before the bench set it"
    if not args.no_seed:
        _prepare(args.db, args.scale)
    # The planner's statistics and the visibility map, as autovacuum keeps them in production: a database
    # just loaded, or a server restarted (its statistics reset), plans without them (a count on a partial index
    # read 13 ms instead of 0.7).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # Not setup_test_environment(): it makes every template rendered copy its whole context for the test
    # client (about 0.1 ms a template, several ms a page for ours and the admin's alike), which no server does.
    settings.ROOT_URLCONF = "legalaid.bench_urls"
    settings.DEBUG = False
    from accounts.models import User

    director = User.objects.get(username="director")
    director.is_staff = director.is_superuser = True  # the admin changelists need it; ours ignore it
    director.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(director)
    OUT.mkdir(exist_ok=True)
    only = {s for s in args.only.split(",") if s}
    cases = _sample("SELECT count(*) FROM cases_case")
    print(f"lists on {args.db}: {cases:,} cases, {os.cpu_count()} cores, median of {args.runs} runs (ms)")
    print(f"{'list':<14}{'page':<44}{'legalaid':>10}{'admin':>10}{'raw SQL':>10}{'× admin':>9}{'queries':>9}")
    failures = []
    for lst, items in scenarios().items():
        if only and lst not in only:
            continue
        slowest = (0.0, None)
        for s in items:
            def ours(url=s["ours"]):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            def counted(url=s["ours"]):
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                return [q for q in ctx.captured_queries  # transaction control is not a query
                        if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"))]

            # Both pages timed alike and in turn (capturing the queries costs some 5 % of a small page): the
            # queries are counted and EXPLAINed from one more view of ours, untimed.
            ms, admin_ms = _side_by_side(ours, lambda url=s["admin"]: client.get(url), args.runs)
            queries = counted()
            raw_ms, _r = _timed(lambda sqls=s["sql"]: [_sample_all(q) for q in sqls], args.runs)
            ratio = admin_ms / ms if ms else 0
            print(f"{lst:<14}{s['label'][:43]:<44}{ms:>10.0f}{admin_ms:>10.0f}{raw_ms:>10.0f}{ratio:>8.1f}×"
                  f"{len(queries):>9}", flush=True)
            if ms > 300 or ratio < 3 or len(queries) > 10:
                failures.append(f"{lst} / {s['label']}: {ms:.0f} ms, {ratio:.1f}× admin, {len(queries)} queries")
            worst = max(queries, key=lambda q: float(q["time"]))
            if float(worst["time"]) * 1000 > slowest[0]:
                slowest = (float(worst["time"]) * 1000, worst["sql"], s["label"])
        if slowest[1]:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1])
                plan = "\n".join(r[0] for r in cur.fetchall())
            (OUT / f"explain-{lst}.txt").write_text(f"-- {slowest[2]}\n{slowest[1]}\n\n{plan}\n", encoding="utf-8")
    print(f"EXPLAIN of each list's slowest query: {OUT}/explain-*.txt")
    if not only or "figures" in only:
        failures += _figures(client, args.runs)
    if not only or "export" in only:
        failures += _export(director)
    if failures:
        print("over target (lists ≤ 300 ms, ≥ 3× faster than admin, ≤ 10 queries; home and dashboard ≤ 300 ms; "
              "indicators ≤ 3× a raw scan or 1 s; exports ≥ 10,000 rows/s, < 250 MB):")
        for line in failures:
            print("  " + line)
    return 0


def _figures(client, runs: int) -> list[str]:
    """Home, dashboard and every indicator of last year, for the county and for one station, each next to one
    sequential scan of every table they count (planner told not to use an index: a real read of all rows)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from reports import indicators as ind
    from reports.periods import parse_period
    from stations.models import Station

    failures = []
    print("\nlegalaid: figures in the cache; an hour old: kept figures served (made afresh beside the page, as in "
          "production); empty: a new Redis, the copy kept in PostgreSQL served (made afresh beside the page); "
          "never: a new installation, no figures ever made (made for the page)")
    print(f"\n{'page or figure':<46}{'legalaid':>10}{'hour old':>10}{'empty':>10}{'never':>10}{'raw SQL':>10}"
          f"{'× raw':>9}{'queries':>9}")
    from django.test import override_settings

    from core import counts

    class _Later:
        """core.counts' clock an hour on: every kept figure is due to be made afresh."""

        @staticmethod
        def time():
            return time.time() + 3600

    def page(url, user=None):
        from django.test import Client

        c = client
        if user is not None:
            c = Client()
            c.force_login(User.objects.get(username=user))

        def get():
            with CaptureQueriesContext(connection) as ctx:
                response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(ctx.captured_queries)

        def beside(clock=None) -> float:
            """One view, timed without the refresh it starts beside itself, which is then run as the thread
            beside the page would run it."""
            started = []
            real_clock, real_start = counts.time, counts._start
            counts.time, counts._start = clock or real_clock, started.append
            try:
                t0 = time.perf_counter()
                get()
                return (time.perf_counter() - t0) * 1000
            finally:
                counts.time, counts._start = real_clock, real_start
                for run in started:
                    run()

        def empty() -> float:
            """A new Redis: the figures' copy kept in PostgreSQL (core.KeptFigures) served."""
            caches["shared"].clear()
            return beside()

        def never() -> int:
            """A new installation: no figures ever made, neither in the cache nor in PostgreSQL."""
            from core.models import KeptFigures

            caches["shared"].clear()
            KeptFigures.objects.all().delete()
            return get()

        with override_settings(FIGURES_SETTLE_SECONDS=30):
            never_ms, _q = _timed(never, max(1, runs // 2))
            empty()
            empty_ms = statistics.median(empty() for _ in range(runs))
        ms, queries = _timed(get, runs)
        with override_settings(FIGURES_SETTLE_SECONDS=30):
            beside(_Later)
            old_ms = statistics.median(beside(_Later) for _ in range(runs))
        return ms, old_ms, empty_ms, never_ms, queries

    from django.test.utils import CaptureQueriesContext

    for label, url, user in [("home, director", "/", None), ("home, intake clerk", "/", "clerk"),
                             ("home, handler", "/", "handler"), ("home, station staff", "/", "staff_a"),
                             ("director dashboard", "/reports/", None)]:
        ms, old_ms, empty_ms, never_ms, queries = page(url, user)
        print(f"{label:<46}{ms:>10.0f}{old_ms:>10.0f}{empty_ms:>10.0f}{never_ms:>10.0f}{'':>10}{'':>9}{queries:>9}",
              flush=True)
        if ms > 300 or old_ms > 300 or empty_ms > 300:
            failures.append(f"{label}: {ms:.0f} ms cached, {old_ms:.0f} ms an hour old, {empty_ms:.0f} ms a new Redis")
    from reports.home import warm_figures

    made_ms, _r = _timed(warm_figures, max(1, runs // 2))
    print(f"{'county figures made afresh (reports.warm_figures)':<46}{made_ms:>10.0f}   in the worker, every "
          f"{settings.CELERY_BEAT_SCHEDULE['warm-figures']['schedule']:.0f} s", flush=True)

    tables = ["cases_case", "intake_application", "intake_consultation", "intake_matter", "intake_criminalnotice",
              "funding_subsidy", "funding_spending", "publicity_event", "cases_followup", "cases_hearingattendance",
              "cases_discussion", "cases_complaint"]
    tables = [t for t in tables if t in set(connection.introspection.table_names())]

    def raw_scan():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_indexscan = off")
            cur.execute("SET LOCAL enable_indexonlyscan = off")
            cur.execute("SET LOCAL enable_bitmapscan = off")
            for t in tables:
                cur.execute(f"SELECT count(*) FROM {t}")
                cur.fetchone()

    from django.db import transaction

    def scans():
        with transaction.atomic():
            raw_scan()

    raw_ms, _r = _timed(scans, runs)
    year = timezone.localdate().year - 1
    p = parse_period(str(year))
    station = Station.objects.order_by("pk").first()
    for label, st in [(f"every indicator of {year}, county", None),
                      (f"every indicator of {year}, {station.name if station else '-'}", station)]:
        def compute(st=st):
            with CaptureQueriesContext(connection) as ctx:
                ind.compute(p, st)
            return len(ctx.captured_queries)

        ms, queries = _timed(compute, max(1, runs // 2))
        ratio = ms / raw_ms if raw_ms else 0
        print(f"{label[:45]:<46}{ms:>10.0f}{'':>10}{'':>10}{'':>10}{raw_ms:>10.0f}{ratio:>8.1f}×{queries:>9}", flush=True)
        if ratio > 3 and ms > 1000:
            failures.append(f"{label}: {ms:.0f} ms, {ratio:.1f}× one scan of {len(tables)} tables ({raw_ms:.0f} ms)")
    return failures


def _export(director) -> list[str]:
    """A year's cases exported as a background job (ledger.ExportJob), run in a child process so that its
    peak memory is its own: rows per second and the peak resident size."""
    import multiprocessing
    import resource

    from django.db import connections
    from django.utils import timezone

    from cases.models import Case
    from ledger import exports

    year = timezone.localdate().year - 1
    qs = Case.objects.filter(accepted_on__year=year)
    from django.test import override_settings

    # The bench runs Celery eagerly: queue the job without running it, then run it in the child.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False), _no_send():
        job = exports.request_export(sheet="案件", queryset=qs, filename=f"cases-{year}.xlsx", full=True,
                                     user=director)
    connections.close_all()  # the child opens its own
    ctx = multiprocessing.get_context("fork")
    t0 = time.perf_counter()
    child = ctx.Process(target=_run_export, args=(job.pk,))
    child.start()
    child.join()
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    job.refresh_from_db()
    rate = job.rows / seconds if seconds else 0
    print(f"\nexport of {job.rows:,} cases ({year}) as a job: {seconds:.1f} s, {rate:,.0f} rows/s, "
          f"peak {peak_mb:.0f} MB, status {job.status}", flush=True)
    failures = []
    if rate < 10000 or peak_mb > 250 or job.status != "done":
        failures.append(f"export: {rate:,.0f} rows/s (≥ 10,000), {peak_mb:.0f} MB (< 250), {job.status}")
    return failures


def _no_send():
    """Celery's send_task and apply_async made no-ops while the job row is written."""
    from unittest import mock

    from celery.app.task import Task

    return mock.patch.object(Task, "apply_async", lambda *a, **k: None)


def _run_export(pk: int) -> None:
    from ledger import exports

    exports.run_export(pk)


def _sample_all(sql: str):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


if __name__ == "__main__":
    sys.exit(main())
