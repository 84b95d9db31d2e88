"""Report runs: request, run, retry (DOMAIN.md §11)."""

from __future__ import annotations

import logging
import os
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.access import require
from core.replica import reading_replica

from .models import TARGET_YEARS, ReportRun, Target
from .periods import Period, parse_period, period_from_input
from .submission import figures_of, sha256, submitted_version

logger = logging.getLogger(__name__)


def find_station(text: str):
    """A station by its name or code (exact), or None."""
    from stations.models import Station

    text = (text or "").strip()
    if not text:
        return None
    return Station.objects.filter(Q(code=text) | Q(name=text)).first()


def may_request(user, station) -> bool:
    """Center staff with report_request: any station or the county; station staff: never (no capability)."""
    if user is None or not user.is_authenticated or not user.can("report_request"):
        return False
    return user.is_center or (station is not None and station.pk == user.station_id)


@transaction.atomic
def report_run_request(*, period: str, station=None, want_docx: bool = True, by, scheduled: bool = False) -> ReportRun:
    p: Period = period_from_input(period)
    if by is not None and not may_request(by, station):
        raise PermissionDenied
    if by is not None and not scheduled:
        # A second click on "request" while the same report is still waiting or building leads to that one.
        # The requester's row is locked, so two clicks arriving together do not both find nothing and queue two.
        from django.contrib.auth import get_user_model

        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        waiting = (ReportRun.objects.filter(
            period=p.code, station=station, want_docx=want_docx, requested_by=by, scheduled=False,
            status__in=(ReportRun.Status.QUEUED, ReportRun.Status.RUNNING))
            .order_by("pk").first())
        if waiting is not None:
            return waiting
    run = ReportRun(period=p.code, start=p.start, end=p.end, station=station, want_docx=want_docx,
                    requested_by=by, scheduled=scheduled)
    run.full_clean(exclude=["xlsx", "docx"])
    run.save()
    _queue(run)
    return run


def _queue(run: ReportRun) -> None:
    from core import jobs

    jobs.dispatch(JOB, run.pk)


@transaction.atomic
def report_run_retry(*, run: ReportRun, by) -> ReportRun:
    from core import jobs

    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if not may_request(by, run.station):
        raise PermissionDenied
    if run.status != ReportRun.Status.FAILED and run.job_state not in ("stuck", "unqueued"):
        raise ValidationError(_("Only a failed report, or one whose worker stopped, can be retried."))
    jobs.retry_now(run, status=ReportRun.Status.QUEUED, progress=0, error="", started_at=None, finished_at=None)
    return run


JOB = "reports.build"


def _fail(run_id: int, message: str) -> None:
    _set(run_id, status=ReportRun.Status.FAILED, error=message[:2000], finished_at=timezone.now())


def register_jobs() -> None:
    from core import jobs

    jobs.register(jobs.JobKind(
        name=JOB, model="reports.ReportRun", states=(ReportRun.Status.QUEUED, ReportRun.Status.RUNNING),
        body=lambda pk: report_run_execute(run_id=pk), fail=_fail,
        reset={"status": ReportRun.Status.QUEUED, "progress": 0}))


def _set(run_id: int, **fields) -> None:
    ReportRun.objects.filter(pk=run_id).update(**fields)


def report_run_execute(*, run_id: int) -> None:
    """Build one run (called by the Celery task). Never leaves a half-written file behind."""
    from .builder import build

    run = ReportRun.objects.select_related("station", "requested_by").get(pk=run_id)
    if run.status not in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING):
        return
    # The requester may have lost the right since asking (pretix re-checks too).
    if not run.scheduled and not may_request(run.requested_by, run.station):
        _set(run.pk, status=ReportRun.Status.FAILED, error=_("The requester may no longer request reports."),
             finished_at=timezone.now())
        return
    _set(run.pk, status=ReportRun.Status.RUNNING, progress=1, started_at=timezone.now(), error="")
    tmpdir = tempfile.mkdtemp(prefix="report-")
    try:
        p = run.as_period()
        base = f"{_slug(run)}"
        xlsx = Path(tmpdir) / f"{base}.xlsx"
        docx = Path(tmpdir) / f"{base}.docx" if run.want_docx else None
        with jobs.Progress(ReportRun, run.pk) as progress, reading_replica():
            data = build(p, run.station, xlsx_path=xlsx, docx_path=docx, progress=progress,
                         submitted=submitted_version(run.period, run.station, exclude=run))
        run.refresh_from_db()
        if run.submitted_at is not None:  # never replace the files of a submitted version
            return
        run.figures = figures_of(data.values)
        run.differences = data.differences or []
        run.xlsx_sha256 = sha256(xlsx)
        run.docx_sha256 = sha256(docx) if docx else ""
        with open(xlsx, "rb") as fh:
            run.xlsx.save(xlsx.name, File(fh), save=False)
        if docx:
            with open(docx, "rb") as fh:
                run.docx.save(docx.name, File(fh), save=False)
        run.status = ReportRun.Status.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.save()
    except Exception as exc:  # the reason is shown to the user; the run can be retried
        _set(run.pk, status=ReportRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
             finished_at=timezone.now())
        logger.exception("report run %s failed", run.pk)
    finally:
        for name in os.listdir(tmpdir):
            Path(tmpdir, name).unlink(missing_ok=True)
        os.rmdir(tmpdir)


def _slug(run: ReportRun) -> str:
    who = run.station.code if run.station else "county"
    return f"report-{run.period.replace(':', '_')}-{who}"


SCHEDULE_CATCH_UP_DAYS = 31


def scheduled_reports(*, today) -> list[ReportRun]:
    """On 1 July the half-year report, on 1 January last year's annual report: county and each active station.

    Beat asks every day: a day the worker or the broker was down (1 July a Sunday with the server off) is
    made up on the next day it runs, within a month; a report already built is not built again."""
    from datetime import date, timedelta

    from stations.models import Station

    due = [(date(today.year, 7, 1), f"{today.year}H1"), (date(today.year, 1, 1), str(today.year - 1))]
    periods = [period for day, period in due if day <= today < day + timedelta(days=SCHEDULE_CATCH_UP_DAYS)]
    if not periods:
        return []
    p = parse_period(periods[0])
    runs = []
    targets = [None, *Station.objects.active_at(p.end).exclude(active=False, closed_on__isnull=True)]
    for station in targets:
        if ReportRun.objects.filter(period=p.code, station=station, scheduled=True).exists():
            continue  # beat may fire twice; one scheduled run per period and station
        runs.append(report_run_request(period=p.code, station=station, want_docx=True, by=None, scheduled=True))
    return runs


def expire_files(*, now=None) -> int:
    """Remove the files of runs finished more than REPORT_FILES_KEEP_DAYS ago (they hold personal data): the
    run keeps its figures and says when its files went; it can be built again. A submitted version's files
    are kept for good."""
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - timedelta(days=int(getattr(settings, "REPORT_FILES_KEEP_DAYS", 180)))
    removed = 0
    for run in ReportRun.objects.filter(finished_at__lt=cutoff, submitted_at__isnull=True,
                                        files_removed_at__isnull=True).exclude(xlsx="", docx=""):
        for field in (run.xlsx, run.docx):
            if field:
                field.delete(save=False)
        run.files_removed_at = now
        run.save(update_fields=["xlsx", "docx", "files_removed_at"])
        removed += 1
    return removed


# --- Targets --------------------------------------------------------------------

@transaction.atomic
def target_set(*, year: int, code: str, station=None, value, by) -> Target:
    """The target of one indicator for a year (county-wide or one station): made, or its value changed."""
    require(by, "target_manage")
    _check_target(year, value)
    target = Target.objects.select_for_update().filter(year=year, code=code, station=station).first()
    if target is None:
        target = Target(year=year, code=code, station=station)
    target.value = value
    target._history_user = by
    target.save()
    return target


def _check_target(year, value) -> None:
    """A target's year lies in 2000–2100 and its value is not negative (the forms say so first)."""
    errors = {}
    if not isinstance(year, int) or not TARGET_YEARS[0] <= year <= TARGET_YEARS[1]:
        errors["year"] = _("The year of a target must be between %(first)s and %(last)s.") % {
            "first": TARGET_YEARS[0], "last": TARGET_YEARS[1]}
    try:
        negative = value is None or Decimal(value) < 0
    except (InvalidOperation, TypeError, ValueError):
        negative = True
    if negative:
        errors["value"] = _("A target cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_update(*, target: Target, by) -> Target:
    """Save an edited target; another target of the same indicator, year and station is refused."""
    require(by, "target_manage")
    _check_target(target.year, target.value)
    clash = Target.objects.filter(year=target.year, code=target.code, station=target.station_id)
    if clash.exclude(pk=target.pk).exists():
        raise ValidationError(_("This indicator already has a target for that year and station."))
    target._history_user = by
    target.save()
    return target
