"""Large list exports as background jobs (the durable job model of core.jobs).

A list view hands its filtered, scoped queryset to `ledger.exporters.export_response` (through core.exports). Up to
EXPORT_BACKGROUND_ROWS rows the file is streamed at once; over that, `request_export` saves an `ExportJob`
with the list's query and the user is sent to its progress page, which offers the file when it is built.

The query is kept as Django documents for re-creating a queryset later (pickling `QuerySet.query`), signed with
the secret key so that the worker loads only what this server wrote, and tied to the Django version that wrote
it (a pickled query does not survive an upgrade: such a job fails with a message to export again). The query
is the one the user could see when asking: the scope is part of it. So the job also records that scope (the
requester's station and capabilities, `requester_scope`): the worker builds the file, and the views serve it,
only while the requester may still see as much (`exports_visible_to`); a narrower scope means exporting again.

The body is idempotent: it writes the file to a temporary path and replaces the job's file in one step.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle  # noqa: S403 - only a signed pickle written by this server is loaded
import tempfile
from datetime import timedelta

import django
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs, sheets
from core.replica import reading_replica
from core.xlsx import SafeWorkbook

from .models import ExportJob, remove_files

logger = logging.getLogger(__name__)

JOB = "ledger.export"


def threshold() -> int:
    return int(getattr(settings, "EXPORT_BACKGROUND_ROWS", 5000))


def is_large(queryset) -> bool:
    """More rows than an export streams at once (counted only up to the threshold)."""
    limit = threshold()
    return queryset.order_by()[: limit + 1].count() > limit


def _signature(blob: bytes) -> str:
    key = hashlib.sha256(("ledger.exports:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, blob, hashlib.sha256).hexdigest()


def _capabilities(user) -> list[str]:
    from accounts.roles import CAPABILITIES

    return [code for code, _label in CAPABILITIES if user.can(code)]


def requester_scope(user) -> dict:
    """What a user may see, as an export job records it when asked: the station and the capabilities."""
    return {"scope_station": user.station_id, "scope_capabilities": _capabilities(user)}


def exports_visible_to(user) -> QuerySet[ExportJob]:
    """The user's own exports that the user may still have: none asked with a wider scope than the user's now
    (another station, a capability since lost, full ID numbers without applicant_view_full any more) — the
    file holds what the requester could see when asking, so it is not served to a narrower scope."""
    if not user.is_authenticated or not user.is_active:
        return ExportJob.objects.none()
    qs = ExportJob.objects.filter(requested_by=user)
    qs = qs.filter(scope_station=user.station_id) if user.station_id else qs.filter(scope_station__isnull=True)
    if not user.can("applicant_view_full"):
        qs = qs.filter(full=False)
    return qs.filter(Q(scope_capabilities__isnull=True) | Q(scope_capabilities__contained_by=_capabilities(user)))


def request_export(*, sheet: str, queryset, filename: str, full: bool, user, list_url: str = "") -> ExportJob:
    """Save the export job and queue it (after commit). `job.queued` is False when the queue could not be
    reached: the job starts by itself when it is back.

    While the same export (same user, list, query and ID numbers) is still waiting or being built, asking again
    (a double click) leads to that job. The user's row is locked, so two requests arriving together do not both
    find none and save two."""
    from django.contrib.auth import get_user_model

    blob = pickle.dumps(queryset.query)
    signature, label = _signature(blob), queryset.model._meta.label
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        waiting = (exports_visible_to(user)
                   .filter(model=label, sheet=sheet, query_signature=signature, full=full,
                           status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING))
                   .order_by("pk").first())
        if waiting is not None:
            waiting.queued = waiting.job_state != "unqueued"
            return waiting
        job = ExportJob.objects.create(
            sheet=sheet, filename=filename[:200], list_url=list_url[:1000], model=label,
            query=blob, query_signature=signature, django_version=django.get_version(), full=full,
            requested_by=user, **requester_scope(user))
    job.queued = jobs.dispatch(JOB, job.pk)
    return job


def _set(pk: int, **fields) -> None:
    ExportJob.objects.filter(pk=pk).update(**fields)


def _fail(pk: int, message: str) -> None:
    _set(pk, status=ExportJob.Status.FAILED, error=str(message)[:2000], finished_at=timezone.now())


def register_jobs() -> None:
    S = ExportJob.Status
    jobs.register(jobs.JobKind(name=JOB, model="ledger.ExportJob", states=(S.QUEUED, S.RUNNING), body=run_export,
                               fail=_fail, reset={"status": S.QUEUED, "progress": 0}))


def queryset_of(job: ExportJob):
    """The list as it was asked for, or ValueError when the stored query cannot be trusted or read."""
    blob = bytes(job.query)
    if not hmac.compare_digest(_signature(blob), job.query_signature):
        raise ValueError(_("The stored list query is not the one this server wrote; export the list again."))
    if job.django_version != django.get_version():
        raise ValueError(_("The system was upgraded since the export was asked for; export the list again."))
    model = apps.get_model(job.model)
    qs = model._default_manager.all()
    qs.query = pickle.loads(blob)  # noqa: S301 - signed above
    return qs


class _Counted:
    """Passes rows through and tells the progress every 1,000 rows."""

    def __init__(self, rows, total: int, progress):
        self.rows, self.total, self.progress, self.done = rows, total, progress, 0

    def __iter__(self):
        for row in self.rows:
            yield row
            self.done += 1
            if self.done % 1000 == 0:
                self.progress(self.done, self.total)


def run_export(pk: int) -> None:
    """Build the file (the job's body, run by core.run_job)."""
    job = ExportJob.objects.select_related("requested_by").get(pk=pk)
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        return
    if not job.requested_by.is_active:  # the requester left since asking
        _fail(pk, _("The requester's account is switched off; the export was not built."))
        return
    if not exports_visible_to(job.requested_by).filter(pk=pk).exists():  # pretix re-checks too
        _fail(pk, _("What the requester may see has changed since the export was asked for; the export was not "
                    "built. Export the list again."))
        return
    try:
        qs = queryset_of(job)
    except (ValueError, pickle.UnpicklingError, LookupError, AttributeError, TypeError) as exc:
        _fail(pk, str(exc))
        return
    _set(pk, status=ExportJob.Status.RUNNING, started_at=timezone.now(), error="")
    fd, tmp = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
    os.close(fd)
    try:
        with jobs.Progress(ExportJob, pk) as progress, reading_replica():
            total = qs.order_by().count()
            progress(0, total)
            book = SafeWorkbook()
            rows = _Counted(sheets.rows(job.sheet, qs, full=job.full), total, progress)
            count = book.add_sheet(job.sheet, sheets.headers(job.sheet), rows)
            book.save(tmp)
            progress(count, max(total, count))
        job.refresh_from_db()
        old = job.file.name if job.file else ""
        with open(tmp, "rb") as fh:
            job.file.save(job.filename, File(fh), save=False)
        if old and old != job.file.name:
            job.file.storage.delete(old)  # a retry replaces the file of an earlier attempt
        job.status, job.rows, job.progress, job.finished_at = ExportJob.Status.DONE, count, 100, timezone.now()
        job.work_done, job.work_total, job.work_unit = count, max(total, count), "rows"
        job.save(update_fields=["file", "status", "rows", "progress", "finished_at", "work_done", "work_total",
                                "work_unit"])
    finally:
        os.unlink(tmp)


def export_retry(*, job: ExportJob, by) -> ExportJob:
    if job.requested_by_id != by.pk:
        raise PermissionDenied
    if job.status != ExportJob.Status.FAILED and job.job_state not in ("stuck", "unqueued"):
        raise ValidationError(_("Only a failed export, or one whose worker stopped, can be retried."))
    jobs.retry_now(job, status=ExportJob.Status.QUEUED, progress=0, error="", started_at=None, finished_at=None)
    job.refresh_from_db()
    return job


def expire_files(*, now=None) -> int:
    """Exported files hold personal data: a finished export's file is removed EXPORT_FILES_KEEP_DAYS after it
    was built (the job stays, with the day the file was removed); export the list again for a new one."""
    now = now or timezone.now()
    return remove_files(_past_keeping(ExportJob.objects.all(), now), now=now)


def _past_keeping(jobs, now):
    cutoff = now - timedelta(days=int(getattr(settings, "EXPORT_FILES_KEEP_DAYS", 7)))
    return (jobs.filter(file_removed_at__isnull=True).exclude(file="")
            .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)))


def expire_file(job: ExportJob, *, now=None) -> ExportJob:
    """The job's file removed now if its keeping time has passed (the nightly removal may not have run yet: a
    stopped beat must not keep personal data downloadable); the job as it now stands."""
    now = now or timezone.now()
    if remove_files(_past_keeping(ExportJob.objects.filter(pk=job.pk), now), now=now):
        job.refresh_from_db()
    return job
