"""The job lifecycle table (core.job_workflow.JOBS): every transition walked through core.jobs (claim, execute,
sweep, retry_now), every step refused where the table refuses it, the kinds' own status values mapped onto
the generic states, and every guard written as a Q agreeing with `matches` on real rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import jobs
from core.job_workflow import JOBS, JobState, state_of
from ledger.models import ExportJob, LedgerImport

pytestmark = pytest.mark.django_db
J = JobState
KIND = "test.walk"


def _seconds(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@pytest.fixture
def walk(monkeypatch, director):
    """A kind of its own on ExportJob rows (queued/running/done/failed) as the only kind; sends are recorded,
    not handed to a broker. The body checks it runs in the running state, then finishes (or fails if asked)."""
    seen: dict = {"sent": [], "running": []}

    def body(pk: int) -> None:
        row = ExportJob.objects.get(pk=pk)
        seen["running"].append(state_of(row))
        if row.sheet == "boom":
            raise RuntimeError("boom")
        ExportJob.objects.filter(pk=pk).update(status="done")

    def fail(pk: int, message: str) -> None:
        ExportJob.objects.filter(pk=pk).update(status="failed", error=message)

    kind = jobs.JobKind(name=KIND, model="ledger.ExportJob", states=("queued", "running"), body=body, fail=fail,
                        reset={"status": "queued"})
    monkeypatch.setattr(jobs, "KINDS", {KIND: kind})
    monkeypatch.setattr(jobs, "_send", lambda name, pk: seen["sent"].append(pk) or True)
    stale = _seconds("JOBS_STALE_SECONDS", 60)
    lost = _seconds("JOBS_REDISPATCH_SECONDS", 60)
    limit = _seconds("JOBS_MAX_ATTEMPTS", 3)

    def row(name: str, sheet: str = "案件"):
        """A job row in a named situation."""
        now = timezone.now()
        fields = {
            "queued": dict(status="queued"),
            "queued_sent": dict(status="queued", dispatched_at=now),
            "queued_lost": dict(status="queued", dispatched_at=now - timedelta(seconds=2 * lost)),
            "queued_stuck": dict(status="queued", dispatched_at=now - timedelta(seconds=4 * lost)),
            "running": dict(status="running", heartbeat_at=now, attempts=1),
            "running_stopped": dict(status="running", heartbeat_at=now - timedelta(seconds=2 * stale), attempts=1),
            "running_spent": dict(status="running", heartbeat_at=now - timedelta(seconds=2 * stale),
                                  attempts=limit),
            "done": dict(status="done"),
            "failed": dict(status="failed", error="x"),
        }[name]
        return ExportJob.objects.create(sheet=sheet, filename="x.xlsx", model="cases.Case", query=b"",
                                        query_signature="", django_version="", requested_by=director, **fields)

    class Walk:
        pass

    w = Walk()
    w.kind, w.row, w.seen = kind, row, seen
    return w


SITUATIONS = ["queued", "queued_sent", "queued_lost", "queued_stuck", "running", "running_stopped",
              "running_spent", "done", "failed"]

# The situation each transition is walked from (its source, with its guard holding).
FROM = {
    ("queued", "send"): "queued", ("queued", "claim"): "queued", ("running", "claim"): "running_stopped",
    ("running", "finish"): "running_stopped", ("running", "fail"): "running_stopped",
    ("running", "requeue"): "running_stopped", ("running", "give_up"): "running_spent",
    ("failed", "retry"): "failed", ("queued", "restart"): "queued_stuck", ("running", "restart"): "running_stopped",
}


def _perform(w, action: str, job) -> bool:
    """Take `action` on `job` through core.jobs; True when it was taken, False when refused."""
    if action == "send":
        w.seen["sent"].clear()
        jobs.sweep()
        return job.pk in w.seen["sent"]
    if action == "claim":
        return jobs.claim(w.kind, job.pk)
    if action in ("finish", "fail"):
        if action == "fail":
            ExportJob.objects.filter(pk=job.pk).update(sheet="boom")
        return jobs.execute(KIND, job.pk) in ("ran", "failed")
    if action in ("requeue", "give_up"):
        before = (job.status, job.heartbeat_at)
        jobs.sweep()
        job.refresh_from_db()
        return (job.status, job.heartbeat_at) != before
    if action in ("retry", "restart"):
        try:
            jobs.retry_now(job, status="queued")
        except ValidationError:
            return False
        return True
    raise AssertionError(action)


def test_every_transition_of_the_job_table_is_taken_by_core_jobs(walk):
    table = {(s, a): t for s, a, t in JOBS.transitions()}
    assert set(table) == set(FROM)
    for (source, action), target in table.items():
        job = walk.row(FROM[source, action])
        assert JOBS.state(job) == source and JOBS.enabled(job, action), (source, action)
        assert _perform(walk, action, job), (source, action)
        job.refresh_from_db()
        assert JOBS.state(job) == target, (source, action, job.status)
    assert walk.seen["running"] and set(walk.seen["running"]) == {J.RUNNING}  # bodies run in the running state


# One call takes one of several steps, whichever the row allows: the sweep (send, requeue, give up), execute
# (claim, then finish or fail), the retry button (retry a failed job, restart a stuck one).
SWEEP, EXECUTE, RETRY = ("send", "requeue", "give_up"), ("claim", "finish", "fail"), ("retry", "restart")
CALLS = {"send": SWEEP, "requeue": SWEEP, "give_up": SWEEP, "claim": ("claim",), "finish": EXECUTE,
         "fail": EXECUTE, "retry": RETRY, "restart": RETRY}


def test_every_step_is_refused_where_the_table_refuses_it(walk):
    refused = set()
    for situation in SITUATIONS:
        for action in JOBS.by_action:
            job = walk.row(situation)
            if any(JOBS.enabled(job, a) for a in CALLS[action]):
                continue  # the call takes another step of the table on this row
            before = (job.status, job.heartbeat_at, job.attempts)
            assert not _perform(walk, action, job), (situation, action)
            job.refresh_from_db()
            assert (job.status, job.heartbeat_at, job.attempts) == before, (situation, action)
            refused.add((situation, action))
    assert {("done", "retry"), ("running", "restart"), ("queued_sent", "restart"), ("queued_sent", "send"),
            ("running", "claim"), ("done", "claim"), ("failed", "finish"), ("running", "requeue")} <= refused


def test_retry_now_refuses_a_done_or_a_running_job_with_a_message(walk):
    for situation in ("done", "running", "queued_sent"):
        job = walk.row(situation)
        with pytest.raises(ValidationError):
            jobs.retry_now(job, status="queued")


def test_every_guard_filters_the_rows_it_matches(walk):
    rows = [walk.row(s) for s in SITUATIONS]
    model = ExportJob.objects
    for state in J.values:
        in_db = set(model.filter(JOBS.state_q(walk.kind, state)).values_list("pk", flat=True))
        assert in_db == {r.pk for r in rows if state_of(r) == state}, state
    for action in JOBS.by_action:
        in_db = set(model.filter(JOBS.q(walk.kind, action)).values_list("pk", flat=True))
        assert in_db == {r.pk for r in rows if JOBS.enabled(r, action)}, action


def test_each_kind_maps_its_own_status_values_onto_the_generic_states(director):
    """Ledger imports are validated (validating → previewed / invalid) then imported (importing → done): other
    names, the same lifecycle."""
    S = LedgerImport.Status

    def imp(status, beat=False):
        return LedgerImport.objects.create(original_name="x.xlsx", created_by=director, status=status,
                                           heartbeat_at=timezone.now() if beat else None)

    assert state_of(imp(S.VALIDATING)) == J.QUEUED
    assert state_of(imp(S.IMPORTING, beat=True)) == J.RUNNING
    assert state_of(imp(S.DONE)) == J.DONE
    assert state_of(imp(S.FAILED)) == J.FAILED
    # The validation job declares its own done statuses: a previewed or invalid upload's validation is done (it
    # waits for the user to confirm, or for a corrected file), and no job step applies to it any more.
    waiting = imp(S.PREVIEWED)
    assert state_of(waiting) == J.DONE
    assert state_of(imp(S.INVALID)) == J.DONE
    with pytest.raises(ValidationError):
        jobs.retry_now(waiting)
