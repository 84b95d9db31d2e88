"""Celery tasks for large ledgers: thin, load by id, call the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="ledger.validate")
def validate_ledger(import_id: int) -> None:
    from .models import LedgerImport
    from .services import ledger_validate

    ledger_validate(LedgerImport.objects.select_related("created_by", "station").get(pk=import_id))


@shared_task(name="ledger.import")
def run_ledger_import(import_id: int, user_id: int) -> None:
    from accounts.models import User

    from .models import LedgerImport
    from .services import ledger_run

    ledger_run(LedgerImport.objects.select_related("station").get(pk=import_id), by=User.objects.get(pk=user_id))
