"""Load test (issue 14, "Many users at once"): Locust users against gunicorn on the scale data. Never in `make test`.

    python scripts/loadtest.py [--db postgres://…/legalaid_scale | --db NAME] [--users 30] [--spawn-rate 1]
                               [--time 60s] [--workers 4] [--port 8123] [--wait 2,8] [--warmup 10s]

The database must hold the demo accounts (`seed_demo --scale N`); a bare name is taken on the server of
DATABASE_URL (default `legalaid_scale`, the database of `make bench`). The users write as they would: each run
adds consultations and progress entries to it.

The site runs as in production (legalaid/settings.py, as tests/core/test_production.py starts it): gunicorn with
`--workers`, DEBUG off, the hashed static files collected into a temporary STATIC_ROOT and served by WhiteNoise
(the users fetch pages only, as browsers with their cache warm). Only what plain http on loopback needs differs:
no https redirect, no secure-only cookies (in production TLS ends at the proxy). Redis (LOADTEST_REDIS_URL,
default redis://127.0.0.1:6379/15) holds the shared cache, as in production.

Before the measured run, four users click fast for `--warmup` (not counted): a server that has been up a while
has loaded its templates and translations in every worker. Then `--users` users start at `--spawn-rate` a second,
each logging in first, and wait `--wait` seconds (min,max) between two pages.

The table (one row per kind of page: requests, failures, median, p95, p99, max in ms; and the total) is printed
and written to bench-results/loadtest.txt, beside Locust's CSV files and loadtest.json. Column p95* is the p95
of the requests made once every user had logged in (the steady state without the ramp-up). The target is
judged on it: p95* < 500 ms, and no failed request in the whole run; the exit status is 1 when it is not met.
Logins are left out of the percentile on purpose: each hashes its password (PBKDF2, some 0.3 s of CPU by
design), and thirty of them queued on two cores measure the hash, not the pages; they are in the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "scripts" / "loadtest_locustfile.py"
P95_TARGET_MS = 500


def database_url(value: str) -> str:
    if "://" in value:
        return value
    base = os.environ.get("DATABASE_URL", "postgres://legalaid:legalaid@127.0.0.1:5432/legalaid")
    return base.rsplit("/", 1)[0] + "/" + value


def check_database(url: str) -> None:
    """The demo accounts the users log in with must be there (seed_demo)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM accounts_user WHERE username = ANY(%s)",
                               [["clerk", "handler", "staff_a", "staff_b", "director"]]).fetchone()
            cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    except psycopg.Error as exc:
        sys.exit(f"cannot use the database {url.rsplit('@', 1)[-1]}: {str(exc).strip()}\n"
                 "create, migrate and fill it first: manage.py migrate; manage.py seed_demo --scale N")
    if row[0] < 5:
        sys.exit("the database has no demo accounts: run `manage.py seed_demo --scale N` into it first")
    print(f"database {url.rsplit('/', 1)[-1]}: {cases:,} cases", flush=True)


def port_free(port: int) -> bool:
    """Nothing listens there (a listener would be load-tested instead); closed connections may linger."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def server_env(db_url: str, tmp: Path) -> dict[str, str]:
    """Production settings (legalaid/settings.py), as tests/core/test_production.py and the fault drills run them."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE", "TEST_DB_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE",
                        "CELERY_TASK_ALWAYS_EAGER", "DATABASE_REPLICA_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "legalaid.settings",
        "DEBUG": "0",  # explicit: the checkout's development .env says DEBUG=1 and is read for what is unset
        "SECRET_KEY": "loadtest-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": db_url,
        "REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "STATIC_ROOT": str(tmp / "static"),
        "PRIVATE_FILES_ROOT": str(tmp / "files"),
        # plain http on loopback: TLS ends at the proxy in production
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    })
    return env


def wait_until_up(base: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer in {seconds:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen | None) -> None:
    """gunicorn and its workers: the whole process group, politely first."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def table(result: dict) -> list[str]:
    """One row per kind of page and the total; p95* is the p95 once every user was in (after the ramp-up)."""
    pages = sorted(result["pages"], key=lambda r: (r["name"], r["method"]))
    steady = {(r["method"], r["name"]): r for r in result["steady"]["pages"]}
    width = max([len(r["name"]) for r in pages] + [24]) + 2
    head = (f"{'method':<7}{'page':<{width}}{'requests':>9}{'failures':>9}{'median':>8}{'p95':>8}{'p99':>8}"
            f"{'max':>8}{'p95*':>8}")
    rule = "-" * len(head)

    def line(method, label, r, after):
        return (f"{method:<7}{label:<{width}}{r['requests']:>9}{r['failures']:>9}{r['median'] or 0:>8.0f}"
                f"{r['p95'] or 0:>8.0f}{r['p99'] or 0:>8.0f}{r['max'] or 0:>8.0f}"
                + (f"{after['p95']:>8.0f}" if after and after["requests"] else f"{'':>8}"))

    return [head, rule, *(line(r["method"], r["name"], r, steady.get((r["method"], r["name"]))) for r in pages),
            rule, line("", "total", result["total"], result["steady"]["total"])]


DEMO_PASSWORDS = """
import django
django.setup()
from accounts.models import User
from stations.demo_base import DEMO_PASSWORD
for user in User.objects.filter(username__in=["clerk", "handler", "staff_a", "staff_b", "director"]):
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "legalaid_scale"),
                        help="database URL, or a database name on the server of DATABASE_URL")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=1)
    parser.add_argument("--time", default="60s", help="run time, as Locust takes it (30s, 2m)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--warmup", default="10s", help="a few users first, not counted (0: none)")
    parser.add_argument("--wait", default="2,8", help="think time between two pages of a user, min,max seconds")
    args = parser.parse_args()

    db_url = database_url(args.db)
    check_database(db_url)
    if not port_free(args.port):
        sys.exit(f"port {args.port} is in use: choose another with --port")
    OUT.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="legalaid-loadtest-"))
    env = server_env(db_url, tmp)
    base = f"http://127.0.0.1:{args.port}"
    server = None
    started = dt.datetime.now().astimezone()
    prefix, locust_log = OUT / "loadtest", OUT / "loadtest-locust.log"
    result_file = OUT / "loadtest.json"
    result_file.unlink(missing_ok=True)
    try:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
        # The demo accounts log in with the server's own password hasher: a database seeded under the test
        # settings (bench_lists.py) holds MD5 hashes the server does not accept. Earlier runs' lockouts go too.
        subprocess.run([sys.executable, "-c", DEMO_PASSWORDS], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        log = tmp / "gunicorn.log"
        with log.open("ab") as out:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "legalaid.wsgi:application", "--workers", str(args.workers),
                 "--bind", f"127.0.0.1:{args.port}", "--timeout", "120", "--error-logfile", "-"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_up(base, server, log)
        print(f"gunicorn: {args.workers} workers on {base}; locust: {args.users} users, spawn rate "
              f"{args.spawn_rate:g}/s, {args.time}, think time {args.wait} s", flush=True)
        locust_env = {k: v for k, v in os.environ.items() if not k.startswith("LOCUST_SKIP_")}
        locust = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", base, "--only-summary",
                  "--loglevel", "WARNING", "--stop-timeout", "10"]
        with locust_log.open("w") as out:
            if args.warmup not in ("", "0", "0s"):
                # A server that has been up a while: every worker has loaded its templates, translations and
                # caches. The same users, four of them clicking fast, not counted.
                print(f"warm-up: 4 users for {args.warmup}, not counted", flush=True)
                subprocess.run([*locust, "-u", "4", "-r", "4", "-t", args.warmup],
                               cwd=ROOT, env={**locust_env, "LOADTEST_WAIT": "0.2,0.5"}, stdout=out,
                               stderr=subprocess.STDOUT)
            subprocess.run(
                [*locust, "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time, "--csv", str(prefix)],
                cwd=ROOT, env={**locust_env, "LOADTEST_WAIT": args.wait, "LOADTEST_RESULT": str(result_file)},
                stdout=out, stderr=subprocess.STDOUT)
        if server.poll() is not None:
            print(f"gunicorn stopped during the run:\n{log.read_text(errors='replace')[-3000:]}")
        server_log = log.read_text(errors="replace")
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)

    if not result_file.exists():
        print(f"locust wrote no result; see {locust_log}:\n{locust_log.read_text(errors='replace')[-3000:]}")
        return 1
    result = json.loads(result_file.read_text(encoding="utf-8"))
    total = result["total"]
    steady = result["steady"]["total"]
    # Judged once every user has logged in: a login hashes its password (PBKDF2, about 0.3 s of CPU by design),
    # and 30 of them queued on two cores say nothing of the pages. Failures count over the whole run.
    met = (total["requests"] > 0 and total["failures"] == 0 and not result["exceptions"]
           and steady["requests"] > 0 and (steady["p95"] or 0) < P95_TARGET_MS)
    report = [f"load test {started:%Y-%m-%d %H:%M %z}: {args.users} users ({args.spawn_rate:g}/s), {args.time}, "
              f"think time {args.wait} s, gunicorn {args.workers} workers, {os.cpu_count()} cores, "
              f"database {db_url.rsplit('/', 1)[-1]}",
              "response times in ms", *table(result), f"throughput {total['rps']:.1f} requests/s"]
    after = result["steady"]
    if after["total"]["requests"]:
        report.append(f"p95*: once all {args.users} users had logged in (from {after['after_seconds']} s): "
                      f"{after['total']['requests']} requests, {after['total']['failures']} failures, "
                      f"median {after['total']['median']:.0f}, p95 {after['total']['p95']:.0f} ms")
    slow = [r for r in result["pages"] if (r["p95"] or 0) >= P95_TARGET_MS]
    if slow:
        report.append(f"pages with p95 ≥ {P95_TARGET_MS} ms: "
                      + ", ".join(f"{r['method']} {r['name']} ({r['p95']:.0f})" for r in slow))
    if result["errors"]:
        report.append("failures:")
        report += [f"  {e['occurrences']:>5} × {e['method']} {e['name']}: {e['error'][:200]}"
                   for e in result["errors"]]
    if result["exceptions"]:  # a task that broke (the locustfile's fault, or a page it cannot read)
        report.append("errors in the users' tasks:")
        report += [f"  {e['count']:>5} × {e['message'][:200]}" for e in result["exceptions"]]
    errors = [line for line in server_log.splitlines()
              if "Traceback" in line or "[ERROR]" in line or "WORKER TIMEOUT" in line]
    if errors:
        report.append(f"gunicorn logged {len(errors)} errors (worker timeouts, tracebacks)")
    report.append(f"target: p95* < {P95_TARGET_MS} ms and 0 errors: {'MET' if met else 'NOT MET'}")
    text = "\n".join(report)
    print(text)
    (OUT / "loadtest.txt").write_text(text + "\n", encoding="utf-8")
    if errors:
        (OUT / "loadtest-gunicorn.log").write_text(server_log, encoding="utf-8")
    print(f"written: {OUT / 'loadtest.txt'}, {result_file.name}, {prefix.name}_*.csv, {locust_log.name}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
