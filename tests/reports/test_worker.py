"""A report run through Redis to a real Celery worker process, then downloaded."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest

from reports.builder import HEADER_ROW
from reports.models import ReportRun


@pytest.mark.celery_worker
def test_a_report_run_is_built_by_a_real_worker_and_downloaded(celery_worker_process, org, client):
    from legalaid.celery import app
    from reports.services import report_run_request
    from tests.reports import dataset

    dataset.build(org["stations"]["station-a"])
    director = org["users"]["director"]
    app.conf.task_always_eager = False
    try:
        run = report_run_request(period="2025H1", station=None, want_docx=True, by=director)
        deadline = time.time() + 90
        while time.time() < deadline:
            run.refresh_from_db()
            if run.status in ("done", "failed"):
                break
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True
    assert run.status == "done", run.error
    assert run.started_at and run.finished_at and run.progress == 100
    client.force_login(director)
    response = client.get(f"/reports/runs/{run.pk}/download/xlsx/")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = {r[0]: r[3] for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert values["cases.accepted"] == 6
    assert client.get(f"/reports/runs/{run.pk}/download/docx/").status_code == 200
    assert ReportRun.objects.get(pk=run.pk).xlsx.name.startswith(f"reports/{run.pk}/")
