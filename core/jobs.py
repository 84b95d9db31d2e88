"""Background jobs that survive faults (report runs, ledger validation and import).

A job is a row (a model with `core.models.JobFields` and a `status`) saved first and handed to the queue
after the transaction commits. Every kind of job registers here with the statuses in which it is still to
run; one Celery task, `core.run_job`, runs any of them:

- **Claim.** The task atomically takes the row when it is still to run and nobody runs it (no heartbeat, or
  a heartbeat older than `JOBS_STALE_SECONDS`): a message delivered twice, or a retry racing the sweeper,
  runs the body once.
- **Heartbeat.** While the body runs, a thread writes `heartbeat_at` every `JOBS_HEARTBEAT_SECONDS` on a
  connection of its own (the body may hold a long transaction).
- **Sweep.** `sweep()` (Celery beat every `JOBS_SWEEP_SECONDS`, and when a worker starts) hands to the queue
  again every job that is to run but never reached the queue (the broker was down) or was handed to it long
  ago and not started (a lost message), and every running job whose heartbeat stopped (the worker was
  killed): up to `JOBS_MAX_ATTEMPTS` starts, then the job is failed with a message and can be retried at once.
- **Dispatch** never raises: with the broker down the row stays queued, the caller learns it (`dispatch`
  returns False) and says "已排队，队列恢复后自动开始"; the sweeper sends it when the broker is back.

The lifecycle every kind goes through (queued → running → done / failed, restarted, retried) is one table,
`core.job_workflow.JOBS`: claim, sweep and retry take their steps through it.

Job bodies are idempotent: a report rebuilds its files from scratch and replaces them; a ledger import is one
transaction that also marks the import done, so a retry after a crash finds it done or finds nothing of it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from .job_workflow import JOBS, JobState

logger = logging.getLogger(__name__)


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class JobKind:
    """One kind of job: its model, the statuses in which a row is still to run, its body (given the pk), how
    a row is put back to waiting after a crash, and how it is failed with a message. `done` and `failed` are
    its statuses of a job that finished or failed (core.job_workflow maps them onto the generic states)."""

    name: str
    model: str
    states: tuple[str, ...]
    body: Callable[[int], None]
    fail: Callable[[int, str], None]
    reset: dict = field(default_factory=dict)  # fields set when a crashed run is put back to waiting
    done: tuple[str, ...] = ("done",)
    failed: tuple[str, ...] = ("failed",)

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def rows(self):
        return self.model_class.objects.filter(status__in=self.states)


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(row) -> JobKind | None:
    """The kind a row belongs to now (a ledger import is a validation job, then an import job)."""
    label = row._meta.label
    return next((k for k in KINDS.values() if k.model == label and row.status in k.states), None)


# --- dispatch -----------------------------------------------------------------------------------------

def _send(kind_name: str, pk: int) -> bool:
    from .tasks import run_job

    rows = KINDS[kind_name].model_class.objects.filter(pk=pk)
    rows.filter(heartbeat_at__isnull=True).update(dispatched_at=timezone.now())  # before: an eager run follows
    try:
        run_job.apply_async((kind_name, pk), retry=False)
    except Exception as exc:  # noqa: BLE001 - the broker is down: the sweeper sends it later
        logger.warning("job %s #%s stays queued, the broker is unreachable: %s", kind_name, pk, exc)
        rows.filter(heartbeat_at__isnull=True).update(dispatched_at=None)
        return False
    return True


def dispatch(kind_name: str, pk: int) -> bool:
    """Hand the job to the queue after the current transaction commits (at once outside one). Returns False
    when the broker could not be reached (the job stays queued and starts when the broker is back); inside a
    transaction the answer is known only after commit, so it returns True and the sweeper covers a failure."""
    from celery import current_app

    conn = transaction.get_connection()
    # Eager mode (tests, `manage.py` without a broker) runs the job inline, as part of the caller's work.
    if conn.in_atomic_block and not current_app.conf.task_always_eager:
        transaction.on_commit(lambda: _send(kind_name, pk))
        return True
    return _send(kind_name, pk)


def queued_message():
    from django.utils.translation import gettext as _

    return _("Queued: the job queue cannot be reached just now; it starts by itself as soon as the queue is back.")


# --- run ----------------------------------------------------------------------------------------------

class Heartbeat:
    """Writes the row's heartbeat on a connection of its own while the body runs."""

    def __init__(self, kind: JobKind, pk: int):
        self.kind, self.pk = kind, pk
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{kind.name}-{pk}", daemon=True)

    def _beat(self) -> None:
        every = setting("JOBS_HEARTBEAT_SECONDS", 10)
        table = self.kind.model_class._meta.db_table
        conn = None
        try:
            while not self.stop.wait(every):
                try:
                    if conn is None:
                        conn = connections.create_connection("default")
                    with conn.cursor() as cur:
                        cur.execute(f'UPDATE "{table}" SET heartbeat_at = %s WHERE id = %s',  # noqa: S608
                                    [timezone.now(), self.pk])
                except Exception:  # noqa: BLE001 - a missed beat only makes the sweeper look sooner
                    conn = None
        finally:
            if conn is not None:
                conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def claim(kind: JobKind, pk: int) -> bool:
    """Take the row (JOBS "claim": queued, or running on a worker that stopped), atomically: one UPDATE."""
    return bool(kind.model_class.objects.filter(pk=pk).filter(JOBS.q(kind, "claim"))
                .update(heartbeat_at=timezone.now(), attempts=F("attempts") + 1))


def execute(kind_name: str, pk: int) -> str:
    """Run one job (the Celery task's body): claim, heartbeat, body. Returns what happened, for logs and tests."""
    from django.utils.translation import gettext as _

    kind = KINDS.get(kind_name)
    if kind is None:
        logger.error("unknown job kind %s", kind_name)
        return "unknown"
    if not claim(kind, pk):
        return "skipped"  # done, failed, or running elsewhere
    attempts = kind.model_class.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
    if attempts > setting("JOBS_MAX_ATTEMPTS", 3):
        kind.fail(pk, _("The job was interrupted %(n)s times and was stopped. Retry it when the cause is "
                        "fixed.") % {"n": attempts - 1})
        return "failed"
    pause = float(getattr(settings, "JOBS_DRILL_PAUSE_SECONDS", 0) or 0)  # fault drills only: time to kill
    try:
        with Heartbeat(kind, pk):
            if pause:
                time.sleep(pause)
            kind.body(pk)
    except Exception as exc:  # bodies record their own failures; this is the last net
        logger.exception("job %s #%s failed", kind_name, pk)
        kind.fail(pk, f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    return "ran"


# --- sweep --------------------------------------------------------------------------------------------

def sweep() -> dict[str, int]:
    """Send again what never reached the queue or was lost, restart what a dead worker left, fail what
    keeps crashing. Safe to run anywhere, any number of times at once."""
    from django.utils.translation import gettext as _

    counts = {"sent": 0, "restarted": 0, "failed": 0}
    for kind in KINDS.values():
        rows = kind.model_class.objects
        stopped = rows.filter(JOBS.q(kind, "requeue") | JOBS.q(kind, "give_up"))
        for row in stopped.only("pk", "status", "heartbeat_at", "attempts"):
            if JOBS.enabled(row, "give_up"):
                kind.fail(row.pk, _("The job was interrupted %(n)s times and was stopped. Retry it when the cause "
                                    "is fixed.") % {"n": row.attempts})
                counts["failed"] += 1
                continue
            # put it back to waiting, unless it came back to life or finished meanwhile
            if rows.filter(pk=row.pk).filter(JOBS.q(kind, "requeue")).update(
                    heartbeat_at=None, dispatched_at=None, work_done=0, **kind.reset):
                counts["restarted"] += _send(kind.name, row.pk)
        for pk in rows.filter(JOBS.q(kind, "send")).values_list("pk", flat=True):
            counts["sent"] += _send(kind.name, pk)
    if any(counts.values()):
        logger.info("job sweep: %s", counts)
    return counts


# --- progress -----------------------------------------------------------------------------------------

def units():
    """The units a job counts its work in, as the progress page names them."""
    from django.utils.translation import gettext_lazy as _

    return {"rows": _("rows"), "indicators": _("indicators"), "sheets": _("sheets")}


class Progress:
    """Writes a job row's progress as the work moves: the percent, and how much of how much in a unit
    ("12,000 / 50,000 行"). It writes on a connection of its own, so the page sees it while the body holds a
    long transaction; at most once a second unless the percent moved by 2 or the work is done.

    `progress(done, total, unit="rows", base=0, span=100)`: `done` of `total` maps onto base…base+span %
    (a job in phases gives each phase its share: a ledger import checks rows 0–50 %, writes them 50–100 %)."""

    def __init__(self, model, pk: int):
        self.table, self.pk = model._meta.db_table, pk
        self.conn = None
        self.last_percent, self.last_at = -1, 0.0
        # Inside a caller's transaction the row may be locked by it: then no side writes (no deadlock).
        self.enabled = not transaction.get_connection().in_atomic_block

    def __call__(self, done: int, total: int, unit: str = "rows", *, base: int = 0, span: int = 100) -> None:
        total = max(int(total), 0)
        done = min(max(int(done), 0), total) if total else max(int(done), 0)
        percent = min(99, base + (done * span // total if total else 0))
        now = time.monotonic()
        moved = percent - self.last_percent >= 2 or (done == total and total) or now - self.last_at >= 1
        if not self.enabled or not moved or percent < self.last_percent:
            return
        self.last_percent, self.last_at = percent, now
        try:
            if self.conn is None:
                self.conn = connections.create_connection("default")
            with self.conn.cursor() as cur:
                cur.execute(f'UPDATE "{self.table}" SET progress = %s, work_done = %s, work_total = %s, '  # noqa: S608
                            "work_unit = %s WHERE id = %s", [percent, done, total, unit, self.pk])
        except Exception:  # noqa: BLE001 - progress is best effort
            self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def retry_now(row, **fields) -> bool:
    """Put a failed or stuck job back to waiting at once (the retry button), and send it. A job in another
    state (done, running, just queued) is refused with a message (JOBS "retry" / "restart")."""
    JOBS.check(row, "restart" if JOBS.state(row) in (JobState.QUEUED, JobState.RUNNING) else "retry")
    model = type(row)
    model.objects.filter(pk=row.pk).update(heartbeat_at=None, dispatched_at=None, attempts=0, work_done=0,
                                           work_total=0, **fields)
    row.refresh_from_db()
    kind = kind_of(row)
    return dispatch(kind.name, row.pk) if kind else False
