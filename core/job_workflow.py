"""The lifecycle of a background job as one transition table (issue 15.1), for every kind of core.jobs.

Every kind moves through the same generic states, whatever its own status values are called:

- **queued**: the row is in one of the kind's statuses still to run (`JobKind.states`) and no worker holds it
  (no heartbeat);
- **running**: still to run, and a worker holds it (a heartbeat; a heartbeat older than JOBS_STALE_SECONDS
  means the worker stopped);
- **done**: its status is one of the kind's done statuses (`JobKind.done`, "done" unless the kind says);
- **failed**: its status is one of the kind's failed statuses (`JobKind.failed`, "failed" unless it says).

A row in none of them (a ledger upload waiting for the user to confirm it) is in no job state: no job step
applies to it. The database values are never renamed: the kind maps them.

The steps: the sweeper sends a queued job that never reached the queue or was lost (`send`); a worker claims a
queued job, or one whose worker stopped (`claim`); the body finishes it (`finish`) or it fails (`fail`); the
sweeper puts a job whose worker stopped back to queued (`requeue`) or, after JOBS_MAX_ATTEMPTS starts, fails
it (`give_up`); the retry button puts a failed job back to queued (`retry`), or a stuck or unqueued one at once
(`restart`). There is no cancel: no kind offers one. Read by core.jobs (`claim`, `sweep`, `retry_now`).

Guards are Qs on the fields every job has (core.models.JobFields), so one guard filters the rows of any kind
and is checked on one loaded row (`core.workflow.matches`). Their instants and limits are settings read when
used (`Moving`), so a guard built once still means "now".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import Step, Workflow


class JobState(models.TextChoices):
    """The generic states (not a database field: each kind maps its own status values onto them)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Moving:
    """A value read when it is used (now minus a setting's seconds, or a setting): as a query value the database
    compares with it, and in `matches` Python compares with it."""

    def __init__(self, read: Callable[[], object]):
        self.read = read

    def resolve_expression(self, *args, **kwargs):
        return Value(self.read()).resolve_expression(*args, **kwargs)

    # `row_value < moving` asks the reflected `moving > row_value`
    def __lt__(self, other):
        return self.read() < other

    def __le__(self, other):
        return self.read() <= other

    def __gt__(self, other):
        return self.read() > other

    def __ge__(self, other):
        return self.read() >= other

    def __repr__(self) -> str:
        return f"Moving({self.read()!r})"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def ago(name: str, default: int, times: int = 1) -> Moving:
    """The instant `times` × setting `name` seconds before now."""
    return Moving(lambda: timezone.now() - timedelta(seconds=times * _setting(name, default)))


STALE = ago("JOBS_STALE_SECONDS", 60)  # a heartbeat older than this: the worker stopped
LOST = ago("JOBS_REDISPATCH_SECONDS", 60)  # handed to the queue before this and not started: send again
LONG_LOST = ago("JOBS_REDISPATCH_SECONDS", 60, times=3)  # …and shown as stuck, retried at once by the user
LIMIT = Moving(lambda: _setting("JOBS_MAX_ATTEMPTS", 3))

NOT_SENT = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=LOST)
BEAT_STOPPED = Q(heartbeat_at__lt=STALE)
FREE = Q(heartbeat_at__isnull=True) | BEAT_STOPPED
# JobFields.job_state "unqueued" or "stuck": what the retry button may start again while the job is to run.
STUCK = (Q(heartbeat_at__isnull=True, dispatched_at__isnull=True)
         | Q(heartbeat_at__isnull=True, dispatched_at__lt=LONG_LOST) | BEAT_STOPPED)

J = JobState

STEPS = [
    Step("send", _("Hand to the queue again"), (J.QUEUED,), J.QUEUED, guard=NOT_SENT),
    Step("claim", _("Start"), (J.QUEUED, J.RUNNING), J.RUNNING, guard=FREE),
    Step("finish", _("Finish"), (J.RUNNING,), J.DONE),
    Step("fail", _("Mark as failed"), (J.RUNNING,), J.FAILED),
    Step("requeue", _("Restart after the worker stopped"), (J.RUNNING,), J.QUEUED,
         guard=BEAT_STOPPED & Q(attempts__lt=LIMIT)),
    Step("give_up", _("Stop after too many interruptions"), (J.RUNNING,), J.FAILED,
         guard=BEAT_STOPPED & Q(attempts__gte=LIMIT)),
    Step("retry", _("Retry"), (J.FAILED,), J.QUEUED),
    Step("restart", _("Retry"), (J.QUEUED, J.RUNNING), J.QUEUED, guard=STUCK),
]


def _kinds_of(row) -> list:
    from .jobs import KINDS

    label = row._meta.label
    return [k for k in KINDS.values() if k.model == label]


def state_of(row) -> str:
    """The generic state of a job row ("" when it is in none: waiting for the user)."""
    kinds = _kinds_of(row)
    if any(row.status in k.states for k in kinds):
        return J.RUNNING if row.heartbeat_at is not None else J.QUEUED
    if any(row.status in k.failed for k in kinds):
        return J.FAILED
    if any(row.status in k.done for k in kinds):
        return J.DONE
    return ""


class JobWorkflow(Workflow):
    """A workflow whose state is computed from the row and its kind (`state_of`), not read from a field."""

    def state(self, record) -> str:
        return state_of(record)

    def state_q(self, kind, state: str) -> Q:
        """The rows of `kind` in a generic state, as a Q on its own status values."""
        if state == J.QUEUED:
            return Q(status__in=kind.states, heartbeat_at__isnull=True)
        if state == J.RUNNING:
            return Q(status__in=kind.states, heartbeat_at__isnull=False)
        return Q(status__in=kind.done if state == J.DONE else kind.failed)

    def q(self, kind, action: str) -> Q:
        """The rows of `kind` on which `action` may be taken now: its states and its guard."""
        step = self[action]
        q = Q(pk__in=[])
        for source in step.sources:
            q |= self.state_q(kind, source)
        return q & step.guard if step.guard is not None else q


JOBS = JobWorkflow("job", "status", JobState, STEPS,
                   refusal=_("This cannot be done while the job is %(status)s."))
