"""One progress design for every job, moving with the work: rows read and written, indicators computed,
sheets written; shown as "12,000 / 50,000 行" beside the bar on every job's page."""

from __future__ import annotations

import pytest
from django.db import connections, transaction

from core import jobs
from ledger.models import ExportJob, LedgerImport
from reports.models import ReportRun


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, done, total, unit="rows", *, base=0, span=100):
        self.calls.append((done, total, unit, base, span))


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_on_its_own_connection_while_the_body_holds_a_transaction(org, director):
    job = ExportJob.objects.create(sheet="案件", filename="x.xlsx", model="cases.Case", query=b"",
                                   query_signature="", django_version="", requested_by=director)
    progress = jobs.Progress(ExportJob, job.pk)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():  # the body's long transaction …
            progress(12000, 50000)
            # … and another connection (the page) already sees it
            with other.cursor() as cur:
                cur.execute("SELECT progress, work_done, work_total, work_unit FROM ledger_exportjob WHERE id = %s",
                            [job.pk])
                assert cur.fetchone() == (24, 12000, 50000, "rows")
            progress(12001, 50000)  # not moved enough to write again
        job.refresh_from_db()
        assert (job.work_done, job.work_text) == (12000, "12,000 / 50,000 行")
        progress(50000, 50000)  # the end is always written, as 99 % until the body marks it done
        job.refresh_from_db()
        assert (job.progress, job.work_done) == (99, 50000)
    finally:
        progress.close()
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_phase_maps_onto_its_share_of_the_bar(org, director):
    imp = LedgerImport.objects.create(original_name="x.xlsx", created_by=director, status="importing")
    with jobs.Progress(LedgerImport, imp.pk) as progress:
        progress(500, 1000, base=50, span=50)
    imp.refresh_from_db()
    assert (imp.progress, imp.work_done, imp.work_total) == (75, 500, 1000)


def test_the_report_moves_with_its_indicators_then_its_sheets(org, tmp_path):
    from reports.builder import SHEET_COUNT, build
    from reports.periods import parse_period

    rec = Recorder()
    build(parse_period("2025"), None, xlsx_path=tmp_path / "r.xlsx", progress=rec)
    indicators = [c for c in rec.calls if c[2] == "indicators"]
    sheets = [c for c in rec.calls if c[2] == "sheets"]
    this_year = [c for c in indicators if c[3] == 0]
    assert len(this_year) > 5  # one step per family of indicators, not one per stage
    assert [c[0] for c in this_year] == sorted(c[0] for c in this_year) and this_year[-1][0] == this_year[-1][1]
    assert [c[0] for c in sheets] == list(range(1, SHEET_COUNT + 1)) and sheets[-1][1] == SHEET_COUNT
    from openpyxl import load_workbook

    assert len(load_workbook(tmp_path / "r.xlsx", read_only=True).sheetnames) == SHEET_COUNT


def test_a_ledger_is_checked_row_by_row(org, tmp_path):
    from ledger.importing import parse_workbook
    from tests.ledger.builders import build_ledger, consultation_row

    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row(姓名=f"赵{i}") for i in range(2500)]})
    rec = Recorder()
    parsed = parse_workbook(path, progress=rec)
    assert not parsed.errors, parsed.errors[:3]
    assert [c[0] for c in rec.calls] == [1000, 2000, 2500] and {c[1] for c in rec.calls} == {2500}
    assert {(c[3], c[4]) for c in rec.calls} == {(0, 50)}


@pytest.mark.django_db
def test_every_job_page_shows_the_same_progress_block(client_for, director):
    run = ReportRun.objects.create(period="2025", start="2025-01-01", end="2025-12-31", requested_by=director,
                                   status="running", progress=30, work_done=40, work_total=120,
                                   work_unit="indicators")
    imp = LedgerImport.objects.create(original_name="x.xlsx", created_by=director, status="validating",
                                      progress=20, work_done=2000, work_total=5000, work_unit="rows")
    job = ExportJob.objects.create(sheet="案件", filename="x.xlsx", model="cases.Case", query=b"",
                                   query_signature="", django_version="", requested_by=director, status="running",
                                   progress=60, work_done=60000, work_total=100000, work_unit="rows")
    client = client_for("director")
    for url, text in ((f"/reports/runs/{run.pk}/", "40 / 120 项指标"), (f"/ledger/{imp.pk}/", "2,000 / 5,000 行"),
                      (f"/ledger/exports/{job.pk}/", "60,000 / 100,000 行")):
        page = client.get(url).content.decode()
        assert 'data-testid="job-progress"' in page and text in page, url
