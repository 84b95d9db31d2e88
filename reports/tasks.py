from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="reports.build_report_run")
def build_report_run(run_id: int) -> None:
    from .services import report_run_execute

    report_run_execute(run_id=run_id)


@shared_task(name="reports.scheduled_reports")
def scheduled_reports() -> int:
    from .services import scheduled_reports as run

    return len(run(today=timezone.localdate()))
