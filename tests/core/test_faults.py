"""Fault drills with real processes (issue 13): gunicorn serving the site, Celery workers (with beat, which runs
the job sweeper), a Redis of the drill's own (so stopping it disturbs nothing else) and the test database.

- a worker killed (kill -9) in the middle of a report: a new worker finishes it by itself;
- the pool child killed under a prefork worker (WorkerLostError): the job is finished by itself;
- Redis stopped when a report and a ledger are requested: a clear message, no 500; both run when Redis is back;
- a worker killed in the middle of a ledger import: nothing of it is kept, and the retried import imports
  every row exactly once;
- PostgreSQL restarted: the next request succeeds;
- two web servers and two workers (scale-out): a session moves between servers, each job runs once.

Nobody presses a button: the sweeper (Celery beat, every 2 s here) and the workers do everything.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from intake.models import Consultation
from ledger.models import LedgerImport
from reports.models import ReportRun

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def until(check, seconds: float = 90, every: float = 0.3, what: str = ""):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what or check}")


class Redis:
    def __init__(self, tmp: Path):
        self.port, self.dir, self.proc = _free_port(), tmp, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Drill:
    """The processes of one drill, all pointed at the test database and the drill's Redis."""

    def __init__(self, tmp: Path, redis: Redis):
        db = settings.DATABASES["default"]
        self.tmp, self.redis, self.procs, self.workers = tmp, redis, [], []
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}",
            "PRIVATE_FILES_ROOT": str(settings.MEDIA_ROOT), "REDIS_URL": redis.url,
            "CELERY_BROKER_URL": redis.url, "CELERY_RESULT_BACKEND": redis.url, "CELERY_TASK_ALWAYS_EAGER": "0",
            "DEBUG": "1", "SECRET_KEY": "drill-" + uuid.uuid4().hex, "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "JOBS_HEARTBEAT_SECONDS": "1", "JOBS_STALE_SECONDS": "4", "JOBS_REDISPATCH_SECONDS": "3",
            "JOBS_SWEEP_SECONDS": "2", "JOBS_MAX_ATTEMPTS": "3", "CONN_MAX_AGE": "60",
        })
        self.env.pop("TEST_DB_NAME", None)

    def _spawn(self, args: list[str], name: str, **extra) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the drill
        proc = subprocess.Popen(args, env={**self.env, **extra}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def web(self) -> str:
        port = _free_port()
        self._spawn([str(BIN / "gunicorn"), "legalaid.wsgi:application", "--bind", f"127.0.0.1:{port}",
                     "--workers", "2", "--timeout", "120"], "web")
        _wait_port(port, 60)
        return f"http://127.0.0.1:{port}"

    def beat(self) -> subprocess.Popen:
        """Celery beat as its own process, as docker-compose runs it: it sends the job sweeper every 2 s."""
        return self._spawn([str(BIN / "celery"), "-A", "legalaid", "beat", "--loglevel=INFO",
                            "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"], "beat")

    def worker(self, *, pool: str = "solo", pause: float = 0, **extra) -> subprocess.Popen:
        name = f"w{len(self.procs)}-{uuid.uuid4().hex[:6]}"
        args = [str(BIN / "celery"), "-A", "legalaid", "worker", f"--pool={pool}", "--concurrency=1",
                "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
        proc = self._spawn(args, name, JOBS_DRILL_PAUSE_SECONDS=str(pause), **extra)
        self.workers.append(proc)
        return proc

    def log(self, name_part: str = "") -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob(f"*{name_part}*.log"))

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@pytest.fixture
def drill(tmp_path, org):
    redis = Redis(tmp_path)
    redis.start()
    d = Drill(tmp_path, redis)
    d.beat()
    yield d
    d.close()
    redis.stop()


class Browser:
    """A cookie-keeping HTTP client that logs in through the login form, as a user does."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict, files: dict | None = None) -> tuple[int, str]:
        if not self._csrf():
            self.get(path)
        headers = {"X-CSRFToken": self._csrf(), "Referer": self.base + path}
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for key, value in data.items():
                body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n"
                         .encode())
            for key, (filename, content) in files.items():
                body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"; "
                         f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
                body += content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, headers=headers))

    def login(self, username: str, password: str = "legalaid-demo") -> None:
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 302, "login failed"

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _run() -> ReportRun:
    return ReportRun.objects.order_by("-pk").first()


def _request_report(browser: Browser) -> ReportRun:
    status, body = browser.post("/reports/runs/", {"preset": "", "period": "2025", "station": "", "want_docx": "on"})
    assert status == 302, body[-2000:]
    return _run()


def test_a_worker_killed_in_the_middle_of_a_report_is_replaced_and_the_report_finishes_by_itself(drill):
    browser = Browser(drill.web())
    browser.login("director")
    first = drill.worker(pause=30)  # holds the job long enough to be killed in the middle of it
    run = _request_report(browser)
    until(lambda: ReportRun.objects.filter(pk=run.pk, heartbeat_at__isnull=False).exists(), 60,
          what="the worker to take the report")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    status, body = browser.get(f"/reports/runs/{run.pk}/status/")
    assert status == 200
    drill.worker()  # a replacement, as systemd or compose restarts it
    until(lambda: ReportRun.objects.get(pk=run.pk).status in ("done", "failed"), 90, what="the report")
    run.refresh_from_db()
    assert run.status == "done", (run.error, drill.log())
    assert run.attempts == 2 and run.xlsx
    assert browser.get(f"/reports/runs/{run.pk}/download/xlsx/")[0] == 200


def test_a_killed_pool_child_is_replaced_and_the_report_finishes_by_itself(drill):
    browser = Browser(drill.web())
    browser.login("director")
    worker = drill.worker(pool="prefork", pause=6)
    run = _request_report(browser)
    until(lambda: ReportRun.objects.filter(pk=run.pk, heartbeat_at__isnull=False).exists(), 60,
          what="the report to start")
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    assert children, "a prefork worker has a pool child"
    for child in children:
        os.kill(int(child), signal.SIGKILL)  # WorkerLostError in the parent
    until(lambda: ReportRun.objects.get(pk=run.pk).status in ("done", "failed"), 90, what="the report")
    run.refresh_from_db()
    assert run.status == "done", (run.error, drill.log())


def test_with_redis_stopped_requests_answer_clearly_and_the_jobs_run_when_it_is_back(drill, tmp_path):
    from core.models import KeptFigures
    from tests.ledger.builders import build_ledger, consultation_row

    browser = Browser(drill.web())
    browser.login("director")
    assert browser.get("/reports/")[0] == 200  # the figures made, kept in Redis and copied to PostgreSQL
    assert KeptFigures.objects.filter(key__startswith="settled:dashboard-values:").exists()
    drill.redis.stop()
    for path, shown in [("/", 'data-testid="home-figures"'), ("/reports/", 'data-testid="key-figures"'),
                        ("/cases/", 'data-testid="case-table"')]:  # the figures' copy served, counts made directly
        status, page = browser.get(path)
        assert status == 200 and shown in page, path
    run = _request_report(browser)  # 302, not 500
    assert run.status == "queued" and run.dispatched_at is None
    status, page = browser.get(f"/reports/runs/{run.pk}/")
    assert status == 200 and 'data-testid="job-unqueued"' in page and "队列恢复后自动开始" in page
    ledger = build_ledger(tmp_path / "台账.xlsx", {"咨询": [consultation_row(**{"日期": dt.date(2024, 3, d)})
                                                          for d in range(1, 8)]})
    status, body = browser.post("/ledger/", {}, files={"file": ("台账.xlsx", ledger.read_bytes())})
    assert status == 302, body[-2000:]
    imp = LedgerImport.objects.get()
    assert imp.status == "validating" and imp.dispatched_at is None
    assert "队列恢复后自动开始" in browser.get(f"/ledger/{imp.pk}/")[1]

    drill.redis.start()
    drill.worker()
    until(lambda: ReportRun.objects.get(pk=run.pk).status == "done", 90, what="the report after Redis came back")
    until(lambda: LedgerImport.objects.get(pk=imp.pk).status == "previewed", 90, what="the ledger validation")
    assert browser.post(f"/ledger/{imp.pk}/confirm/", {})[0] == 302
    until(lambda: LedgerImport.objects.get(pk=imp.pk).status == "done", 90, what="the import")
    assert Consultation.objects.count() == 7


def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_and_the_retry_imports_each_row_once(
        drill, tmp_path):
    from tests.ledger.builders import build_ledger, consultation_row

    rows = [consultation_row(**{"日期": dt.date(2024, 1, 1) + dt.timedelta(days=i % 360), "姓名": f"咨询人{i}"})
            for i in range(4000)]
    ledger = build_ledger(tmp_path / "大台账.xlsx", {"咨询": rows})
    browser = Browser(drill.web())
    browser.login("director")
    drill.worker()
    assert browser.post("/ledger/", {}, files={"file": ("大台账.xlsx", ledger.read_bytes())})[0] == 302
    imp = LedgerImport.objects.get()
    until(lambda: LedgerImport.objects.get(pk=imp.pk).status == "previewed", 120, what="the validation")
    for proc in drill.workers:  # the validating worker goes; a slow one takes the import
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    slow = drill.worker(LEDGER_DRILL_PAUSE_BEFORE_COMMIT="30")  # holds the written rows before commit
    assert browser.post(f"/ledger/{imp.pk}/confirm/", {})[0] == 302
    # kill it when every row is written and not yet committed (a running job shows at most 99 %)
    until(lambda: LedgerImport.objects.filter(pk=imp.pk, status="importing", progress__gte=99).exists(), 120,
          what="the import to write its rows")
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    connection.close()
    until(lambda: Consultation.objects.count() == 0, 20, what="the killed import to roll back")
    assert LedgerImport.objects.get(pk=imp.pk).status == "importing"

    drill.worker()
    until(lambda: LedgerImport.objects.get(pk=imp.pk).status in ("done", "failed", "invalid"), 180,
          what="the retried import")
    imp.refresh_from_db()
    assert imp.status == "done", (imp.errors, drill.log())
    assert imp.attempts == 2 and Consultation.objects.count() == 4000
    assert imp.counts["咨询"] == {"rows": 4000, "created": 4000, "matched": 0}


# Restarting PostgreSQL drops every connection on the machine, other test runs' included: `make test` (CI)
# sets DRILL_RESTART_POSTGRES=1; a developer running pytest by hand opts in the same way.
@pytest.mark.skipif(os.environ.get("DRILL_RESTART_POSTGRES") != "1" or not shutil.which("service"),
                    reason="restarts the machine's PostgreSQL: only under make test (DRILL_RESTART_POSTGRES=1)")
def test_after_a_postgresql_restart_the_next_request_succeeds(drill):
    browser = Browser(drill.web())
    browser.login("director")
    assert browser.get("/cases/")[0] == 200
    restart = subprocess.run(["service", "postgresql", "restart"], capture_output=True, text=True, timeout=120)
    assert restart.returncode == 0, restart.stderr
    _wait_port(int(settings.DATABASES["default"]["PORT"] or 5432), 60)
    connection.close()  # this test process's own connection died with the server too
    for path in ("/cases/", "/reports/runs/", "/"):
        status, body = browser.get(path)
        assert status == 200, (path, status, body[-1500:])


def test_two_web_servers_and_two_workers_share_one_queue_and_run_each_job_once(drill):
    """Scale-out as docker-compose runs it (issue 14): the processes keep no state of their own (sessions and
    jobs live in PostgreSQL, messages in Redis), so a user moves between web servers freely and the jobs they
    ask for through either are shared out between the workers, each run exactly once."""
    from ledger.models import ExportJob
    from tests.factories import make_case

    for _i in range(3):
        make_case()
    drill.env["EXPORT_BACKGROUND_ROWS"] = "1"
    first, second = Browser(drill.web()), Browser(drill.web())
    first.login("director")
    second.jar, second.opener = first.jar, first.opener  # the same session cookie, another server
    drill.worker(pause=1)
    drill.worker(pause=1)
    for n in range(8):  # eight different lists (the same one asked again while waiting leads to that job)
        status, _body = (first if n % 2 else second).get(f"/cases/?accepted_from=2000-01-{n + 1:02d}&export=xlsx")
        assert status == 302
    until(lambda: ExportJob.objects.filter(status="done").count() == 8, 120, what="eight exports done")
    jobs = list(ExportJob.objects.all())
    assert [(j.status, j.rows, j.attempts) for j in jobs] == [("done", 3, 1)] * 8
    ran = [sum("core.run_job" in line and "succeeded" in line for line in log.read_text(errors="replace").splitlines())
           for log in drill.tmp.glob("w[0-9]*.log")]
    assert len(ran) == 2 and all(ran) and sum(ran) >= 8, (ran, drill.log("w"))  # both took a share
