"""Ledger uploads through the web (LEDGER.md): upload → validate (preview) → confirm → import.

The web request only stores the file after cheap checks (size, a real .xlsx, the uncompressed size of each
part, the declared dimensions: core.files); every parse runs in a durable background job (core.jobs), under
the row, column and cell limits of the importer, with the progress written through a separate database
connection so the page can poll it while the import's own transaction is still open. The import marks itself
done in its own transaction, so a retry after a crash finds it done or finds nothing of it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import jobs
from core.files import xlsx_problem

from .importing import LimitReached, check_file, import_ledger
from .models import LedgerImport, remove_files

VALIDATE, IMPORT = "ledger.validate", "ledger.import"
FILE_GONE = _("The file is no longer kept; upload it again.")  # removed past its keeping time (expire_files)


def register_jobs() -> None:
    S = LedgerImport.Status
    jobs.register(jobs.JobKind(name=VALIDATE, model="ledger.LedgerImport", states=(S.VALIDATING,),
                               body=lambda pk: ledger_validate(_load(pk)), fail=_fail, reset={"progress": 0},
                               done=(S.PREVIEWED, S.INVALID)))
    jobs.register(jobs.JobKind(name=IMPORT, model="ledger.LedgerImport", states=(S.IMPORTING,),
                               body=lambda pk: _import_job(pk), fail=_fail, reset={"progress": 0}))


def _load(pk: int) -> LedgerImport:
    return LedgerImport.objects.select_related("created_by", "confirmed_by", "station").get(pk=pk)


def _fail(pk: int, message: str) -> None:
    LedgerImport.objects.filter(pk=pk).update(status=LedgerImport.Status.FAILED, errors=[str(message)],
                                              finished_at=timezone.now())


def _import_job(pk: int) -> None:
    imp = _load(pk)
    ledger_run(imp, by=imp.confirmed_by or imp.created_by)


def ProgressWriter(pk: int) -> jobs.Progress:
    """The import's progress, written on a connection of its own (visible during the import)."""
    return jobs.Progress(LedgerImport, pk)


def ledger_upload(*, file, station=None, by) -> LedgerImport:
    """Check the upload cheaply, store it under the private files root and queue its validation."""
    limit = int(getattr(settings, "LEDGER_MAX_BYTES", 20 * 1024 * 1024))
    if file.size > limit:
        raise ValidationError(_("The file is too large (%(size).1f MB); the limit is %(limit).1f MB."),
                              params={"size": file.size / 1024 / 1024, "limit": limit / 1024 / 1024})
    problem = xlsx_problem(file.temporary_file_path() if hasattr(file, "temporary_file_path") else file)
    file.seek(0)
    if problem:
        raise ValidationError(problem)
    import os

    name = os.path.basename(file.name)[:200]
    imp = LedgerImport(original_name=name, station=station, created_by=by, status=LedgerImport.Status.VALIDATING)
    # Stored under a short name of our own (the user's name may be longer than the file system takes); the
    # import keeps the original name for display.
    imp.file.save(f"{timezone.now():%d%H%M%S}-{uuid.uuid4().hex[:12]}.xlsx", file, save=False)
    imp.save()
    jobs.dispatch(VALIDATE, imp.pk)
    return imp


def _drop_file(imp: LedgerImport) -> None:
    """A file refused for a limit is not kept."""
    if imp.file:
        imp.file.delete(save=False)


def ledger_validate(imp: LedgerImport) -> LedgerImport:
    """Validate and count (a dry run: the counts of what would be created and what is already there)."""
    LedgerImport.objects.filter(pk=imp.pk).update(status=LedgerImport.Status.VALIDATING, progress=0)
    progress = ProgressWriter(imp.pk)
    try:
        problem = check_file(imp.file.path) if imp.file else FILE_GONE
        if problem:
            raise LimitReached(problem)
        result = import_ledger(imp.file.path, user=imp.created_by, station=imp.station,
                               filename=imp.original_name, dry_run=True, progress=progress)
    except LimitReached as exc:
        _drop_file(imp)
        imp.errors, imp.counts, imp.warnings = [*exc.errors, str(exc)], {}, []
        imp.status, imp.progress = LedgerImport.Status.INVALID, 100
        imp.finished_at = timezone.now()
        imp.save(update_fields=["errors", "counts", "warnings", "status", "progress", "file", "finished_at"])
        return imp
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
    """Queue the import of a validated upload whose file is still kept (expire_files removes the file of an
    upload left previewed past its keeping time)."""
    changed = (LedgerImport.objects.filter(pk=imp.pk, status=LedgerImport.Status.PREVIEWED).exclude(file="")
               .update(status=LedgerImport.Status.IMPORTING, progress=0, confirmed_by=by, heartbeat_at=None,
                       dispatched_at=None, attempts=0))
    if not changed:
        imp.refresh_from_db()
        if imp.status == LedgerImport.Status.PREVIEWED:
            raise ValidationError(FILE_GONE)
        raise ValidationError(_("Only a validated ledger without errors can be imported."))
    imp.refresh_from_db()
    jobs.dispatch(IMPORT, imp.pk)
    return imp


def ledger_retry(*, imp: LedgerImport, by) -> LedgerImport:
    """Start a failed or stuck job again at once: a failed import is validated again first."""
    S = LedgerImport.Status
    if imp.status == S.FAILED:
        if not imp.file:
            raise ValidationError(FILE_GONE)
        jobs.retry_now(imp, status=S.VALIDATING, progress=0, errors=[], finished_at=None)
    elif imp.job_state in ("stuck", "unqueued"):
        jobs.retry_now(imp, progress=0)
    else:
        raise ValidationError(_("Only a failed import, or one whose worker stopped, can be retried."))
    imp.refresh_from_db()
    return imp


def ledger_run(imp: LedgerImport, *, by) -> LedgerImport:
    """Import: all or nothing, in one transaction that also marks the import done (a retry after a crash
    finds it done, or finds nothing of it)."""
    if not imp.file:  # removed past its keeping time after the import was confirmed
        LedgerImport.objects.filter(pk=imp.pk).update(status=LedgerImport.Status.FAILED, errors=[str(FILE_GONE)],
                                                      finished_at=timezone.now())
        imp.refresh_from_db()
        return imp
    progress = ProgressWriter(imp.pk)

    def done(result) -> None:
        LedgerImport.objects.filter(pk=imp.pk).update(
            counts=result.counts, errors=result.errors, warnings=result.warnings, progress=100,
            status=LedgerImport.Status.INVALID if result.errors else LedgerImport.Status.DONE,
            finished_at=timezone.now())

    try:
        result = import_ledger(imp.file.path, user=by, station=imp.station, filename=imp.original_name,
                               progress=progress, on_success=done)
        # the file had errors after all (it changed on disk, or a limit): nothing was written
        LedgerImport.objects.filter(pk=imp.pk, status=LedgerImport.Status.IMPORTING).update(
            counts=result.counts, errors=result.errors, warnings=result.warnings, progress=100,
            status=LedgerImport.Status.INVALID, finished_at=timezone.now())
    except LimitReached as exc:
        LedgerImport.objects.filter(pk=imp.pk).update(status=LedgerImport.Status.INVALID, errors=[*exc.errors, str(exc)],
                                                      finished_at=timezone.now())
    except Exception as exc:  # noqa: BLE001 - shown on the page; the transaction rolled back
        LedgerImport.objects.filter(pk=imp.pk).update(status=LedgerImport.Status.FAILED, errors=[*exc.errors, str(exc)],
                                                      finished_at=timezone.now())
    finally:
        progress.close()
    imp.refresh_from_db()
    return imp


def expire_files(*, now=None) -> int:
    """Uploaded ledgers hold personal data: a finished upload's file is removed LEDGER_FILES_KEEP_DAYS after it
    finished (the counts, errors and the imported records stay); the page says when."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(days=int(getattr(settings, "LEDGER_FILES_KEEP_DAYS", 90)))
    S = LedgerImport.Status
    old = (LedgerImport.objects.filter(file_removed_at__isnull=True).exclude(file="")
           .filter(models.Q(status__in=(S.DONE, S.FAILED), finished_at__lt=cutoff)
                   | models.Q(status__in=(S.INVALID, S.PREVIEWED), created_at__lt=cutoff)))
    return remove_files(old, now=now)
