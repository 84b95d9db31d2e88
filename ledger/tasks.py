"""Celery tasks of the ledger: the jobs run through core.run_job; here only the old names and the file expiry."""

from __future__ import annotations

from celery import shared_task


# Messages queued before core.run_job existed: run them as durable jobs.
@shared_task(name="ledger.validate", acks_late=True, reject_on_worker_lost=True)
def validate_ledger(import_id: int) -> None:
    from core import jobs

    from .services import VALIDATE

    jobs.execute(VALIDATE, import_id)


@shared_task(name="ledger.import", acks_late=True, reject_on_worker_lost=True)
def run_ledger_import(import_id: int, user_id: int | None = None) -> None:
    from core import jobs

    from .services import IMPORT

    jobs.execute(IMPORT, import_id)


@shared_task(name="ledger.expire_files", ignore_result=True)
def expire_files() -> int:
    from .services import expire_files as run

    return run()


@shared_task(name="ledger.expire_exports", ignore_result=True)
def expire_exports() -> int:
    from .exports import expire_files as run

    return run()
