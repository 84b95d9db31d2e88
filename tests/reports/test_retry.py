"""A failed run, or one whose worker died (stuck over an hour), can be retried; a fresh one cannot."""

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


def test_a_run_still_running_after_an_hour_can_be_retried(director, django_capture_on_commit_callbacks):
    run = make_run(director, started_at=timezone.now() - timedelta(hours=2))
    assert run.is_stalled
    with django_capture_on_commit_callbacks(execute=False):
        report_run_retry(run=run, by=director)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.QUEUED and run.started_at is None


def test_a_run_that_started_minutes_ago_cannot_be_retried(director):
    run = make_run(director, started_at=timezone.now() - timedelta(minutes=5))
    assert not run.is_stalled
    with pytest.raises(ValidationError):
        report_run_retry(run=run, by=director)


def test_the_run_page_offers_a_retry_for_a_stalled_run(director, client_for):
    run = make_run(director, started_at=timezone.now() - timedelta(hours=3))
    body = client_for("director").get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-stalled"' in body
