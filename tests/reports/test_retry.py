"""A failed run, or one whose worker stopped (its heartbeat is stale), can be retried at once; a run whose
worker is alive cannot."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.models import ReportRun
from reports.services import report_run_retry


def make_run(director, **kw):
    kw.setdefault("status", ReportRun.Status.RUNNING)
    return ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                                    requested_by=director, **kw)


def test_a_run_whose_worker_stopped_can_be_retried_at_once(director):
    run = make_run(director, started_at=timezone.now() - timedelta(minutes=3), attempts=1,
                   heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert run.is_stalled and run.job_state == "stuck"
    report_run_retry(run=run, by=director)  # tests run jobs eagerly: it is sent and built at once
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.attempts == 1 and run.error == ""


def test_a_run_whose_worker_is_alive_cannot_be_retried(director):
    run = make_run(director, started_at=timezone.now() - timedelta(minutes=5), attempts=1,
                   heartbeat_at=timezone.now() - timedelta(seconds=5))
    assert run.job_state == "running" and not run.is_stalled
    with pytest.raises(ValidationError):
        report_run_retry(run=run, by=director)


def test_the_run_page_offers_a_retry_for_a_stalled_run(director, client_for):
    run = make_run(director, attempts=1, heartbeat_at=timezone.now() - timedelta(minutes=5))
    body = client_for("director").get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="job-stuck"' in body and 'data-testid="job-retry"' in body


def test_the_run_page_says_a_run_waits_for_the_queue(director, client_for):
    run = make_run(director, status=ReportRun.Status.QUEUED)  # saved, never reached the broker
    body = client_for("director").get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="job-unqueued"' in body and "队列恢复后自动开始" in body


def test_a_runs_files_are_removed_past_their_keeping_time_unless_submitted(director, client_for, settings):
    from reports.services import expire_files, report_run_request

    settings.REPORT_FILES_KEEP_DAYS = 30
    old = report_run_request(period="2025", by=director)
    kept = report_run_request(period="2025H1", by=director)
    ReportRun.objects.filter(pk=kept.pk).update(submitted_at=timezone.now())
    ReportRun.objects.filter(pk__in=[old.pk, kept.pk]).update(finished_at=timezone.now() - timedelta(days=31))
    old.refresh_from_db()
    path = old.xlsx.path
    assert expire_files() == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.files_removed_at and not old.xlsx and not old.docx and old.figures  # the figures stay
    from pathlib import Path

    assert not Path(path).exists() and kept.xlsx and Path(kept.xlsx.path).exists()
    c = client_for("director")
    page = c.get(f"/reports/runs/{old.pk}/").content.decode()
    assert 'data-testid="files-removed"' in page and "download/xlsx" not in page
    assert c.get(f"/reports/runs/{old.pk}/download/xlsx/").status_code == 404
    assert expire_files() == 0
