from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone


@shared_task(name="reports.build_report_run", acks_late=True, reject_on_worker_lost=True)
def build_report_run(run_id: int) -> None:
    """Messages queued before core.run_job existed: run as a durable job."""
    from core import jobs

    from .services import JOB

    jobs.execute(JOB, run_id)


@shared_task(name="reports.scheduled_reports")
def scheduled_reports() -> int:
    from .services import scheduled_reports as run

    return len(run(today=timezone.localdate()))


@shared_task(name="reports.expire_files", ignore_result=True)
def expire_files() -> int:
    from .services import expire_files as run

    return run()


@shared_task(name="reports.warm_figures", ignore_result=True, expires=240)
def warm_figures() -> int:
    """The county's figures of this year made afresh in the shared cache (reports.home.warm_figures)."""
    from .home import warm_figures as run

    return run()


@worker_ready.connect
def _warm_on_start(**_kwargs) -> None:
    """A worker that starts makes the county's figures at once, not after FIGURES_WARM_SECONDS: a new
    installation's first view of the dashboard does not make them (a restart has them kept in PostgreSQL)."""
    try:
        warm_figures.apply_async(retry=False, countdown=2)
    except Exception:  # noqa: BLE001 - beat warms them within FIGURES_WARM_SECONDS anyway
        pass
