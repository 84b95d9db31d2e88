"""The one task that runs every background job, and the sweeper that keeps them moving (core.jobs)."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready


# acks_late + reject_on_worker_lost: a message is acknowledged only when the job is done, so a worker killed
# mid-job leaves it in the queue; the claim in core.jobs makes a second delivery harmless.
@shared_task(name="core.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(kind: str, pk: int) -> str:
    from . import jobs

    return jobs.execute(kind, pk)


@shared_task(name="core.sweep_jobs", ignore_result=True)
def sweep_jobs() -> dict:
    from . import jobs

    return jobs.sweep()


@worker_ready.connect
def _sweep_on_start(**_kwargs) -> None:
    """A worker that starts (again) picks up what was queued while none ran."""
    try:
        sweep_jobs.apply_async(retry=False, countdown=1)
    except Exception:  # noqa: BLE001 - beat sweeps soon anyway
        pass


@shared_task(name="core.expire_form_tokens", ignore_result=True)
def expire_form_tokens() -> int:
    """Forget the numbers of forms sent more than a week ago (core.flow)."""
    from . import flow

    return flow.form_tokens_expire()
