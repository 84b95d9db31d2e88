"""Ledger uploads through the web (LEDGER.md): upload → validate (preview) → confirm → import.

Small files are validated and imported inline; large ones (over LEDGER_ASYNC_BYTES or 10,000 rows) in
Celery tasks, with the progress written through a separate database connection so the page can poll it
while the import's own transaction is still open.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .importer import check_file, import_ledger
from .models import LedgerImport

ASYNC_ROWS = 10_000


def async_bytes() -> int:
    return int(getattr(settings, "LEDGER_ASYNC_BYTES", 2 * 1024 * 1024))


def _row_estimate(path: str) -> int:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - the validation reports it
        return 0
    try:
        return sum(max((ws.max_row or 1) - 1, 0) for ws in wb.worksheets)
    finally:
        wb.close()


def is_large(imp: LedgerImport) -> bool:
    path = imp.file.path
    size = os.path.getsize(path)
    if size > async_bytes():
        return True
    if check_file(path):
        return False
    return _row_estimate(path) > ASYNC_ROWS


class ProgressWriter:
    """Writes LedgerImport.progress on its own autocommit connection (visible during the import)."""

    def __init__(self, pk: int, *, base: int = 0, span: int = 100):
        self.pk, self.base, self.span, self.last = pk, base, span, -1
        self.conn = None
        # Inside a caller's transaction the row may be locked by it: then no side writes (no deadlock).
        self.enabled = not transaction.get_connection().in_atomic_block

    def __call__(self, percent: int) -> None:
        value = self.base + percent * self.span // 100
        if not self.enabled or value <= self.last or (value - self.last < 2 and value < 100):
            return
        self.last = value
        try:
            if self.conn is None:
                self.conn = connections.create_connection("default")
            with self.conn.cursor() as cur:
                cur.execute("UPDATE ledger_ledgerimport SET progress = %s WHERE id = %s", [value, self.pk])
        except Exception:  # noqa: BLE001 - progress is best effort
            pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def ledger_upload(*, file, station=None, by) -> LedgerImport:
    """Store the upload under MEDIA_ROOT and validate it (inline, or queue the task when large)."""
    limit = int(getattr(settings, "LEDGER_MAX_BYTES", 20 * 1024 * 1024))
    if file.size > limit:
        raise ValidationError(_("The file is too large (%(size).1f MB); the limit is %(limit).1f MB."),
                              params={"size": file.size / 1024 / 1024, "limit": limit / 1024 / 1024})
    name = os.path.basename(file.name)[:200]
    imp = LedgerImport(original_name=name, station=station, created_by=by, status=LedgerImport.Status.UPLOADED)
    imp.file.save(f"{timezone.now():%d%H%M%S}-{name}", file, save=False)
    imp.save()
    if is_large(imp):
        from .tasks import validate_ledger

        imp.status = LedgerImport.Status.VALIDATING
        imp.save(update_fields=["status"])
        transaction.on_commit(lambda: validate_ledger.delay(imp.pk))
    else:
        ledger_validate(imp)
    return imp


def ledger_validate(imp: LedgerImport) -> LedgerImport:
    """Validate and count (a dry run: the counts of what would be created and what is already there)."""
    imp.status = LedgerImport.Status.VALIDATING
    imp.progress = 0
    imp.save(update_fields=["status", "progress"])
    progress = ProgressWriter(imp.pk)
    try:
        result = import_ledger(imp.file.path, user=imp.created_by, station=imp.station,
                               filename=imp.original_name, dry_run=True, progress=progress)
    finally:
        progress.close()
    imp.counts = result.counts
    imp.errors = result.errors
    imp.warnings = result.warnings
    imp.progress = 100
    imp.status = LedgerImport.Status.INVALID if result.errors else LedgerImport.Status.PREVIEWED
    imp.save(update_fields=["counts", "errors", "warnings", "progress", "status"])
    return imp


def ledger_confirm(*, imp: LedgerImport, by) -> LedgerImport:
    """Import a validated upload: inline when small, in a Celery task when large."""
    if imp.status != LedgerImport.Status.PREVIEWED:
        raise ValidationError(_("Only a validated ledger without errors can be imported."))
    imp.status = LedgerImport.Status.IMPORTING
    imp.progress = 0
    imp.save(update_fields=["status", "progress"])
    if is_large(imp):
        from .tasks import run_ledger_import

        transaction.on_commit(lambda: run_ledger_import.delay(imp.pk, by.pk))
    else:
        ledger_run(imp, by=by)
    return imp


def ledger_run(imp: LedgerImport, *, by) -> LedgerImport:
    progress = ProgressWriter(imp.pk)
    try:
        result = import_ledger(imp.file.path, user=by, station=imp.station, filename=imp.original_name,
                               progress=progress)
    except Exception as exc:  # noqa: BLE001 - shown on the page; the transaction rolled back
        imp.status = LedgerImport.Status.FAILED
        imp.errors = [str(exc)]
        imp.finished_at = timezone.now()
        imp.save(update_fields=["status", "errors", "finished_at"])
        return imp
    finally:
        progress.close()
    imp.counts = result.counts
    imp.errors = result.errors
    imp.warnings = result.warnings
    imp.progress = 100
    imp.status = LedgerImport.Status.INVALID if result.errors else LedgerImport.Status.DONE
    imp.finished_at = timezone.now()
    imp.save(update_fields=["counts", "errors", "warnings", "progress", "status", "finished_at"])
    return imp
