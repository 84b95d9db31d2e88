"""Large list exports run as background jobs: the list as filtered and scoped when asked, with progress, a
download for the requester only, a retry, and files removed past their keeping time."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AccessLog
from ledger.models import ExportJob
from tests.factories import ConsultationFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


def download(client, job) -> bytes:
    response = client.get(f"/ledger/exports/{job.pk}/download/")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


@pytest.fixture
def cases(org, station_a):
    made = [make_case(station=station_a if i % 2 else None, category="civil" if i % 3 else "criminal",
                      stage="first_instance" if i % 3 else "trial", cause="labour_pay" if i % 3 else "theft",
                      aid_form="civil_litigation" if i % 3 else "criminal_defence") for i in range(7)]
    return made


def test_a_short_list_is_still_exported_at_once(client_for, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 100
    response = client_for("director").get("/cases/?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert len(sheet_rows(b"".join(response.streaming_content))) == 1 + len(cases)
    assert not ExportJob.objects.exists()


def test_a_long_list_becomes_a_job_whose_file_equals_the_list_as_filtered(client_for, cases, director, settings):
    client = client_for("director")
    settings.EXPORT_BACKGROUND_ROWS = 100
    inline = sheet_rows(b"".join(client.get("/cases/?category=civil&export=xlsx").streaming_content))
    settings.EXPORT_BACKGROUND_ROWS = 2
    response = client.get("/cases/?category=civil&export=xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledger/exports/{job.pk}/"
    assert job.requested_by == director and job.sheet == "案件" and job.list_url == "/cases/?category=civil"
    assert job.status == "done" and job.attempts == 1 and job.rows == len(inline) - 1 == 4
    assert job.work_done == job.work_total == 4 and job.work_unit == "rows" and job.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="export-download"' in page and "4 行" in page
    assert sheet_rows(download(client, job)) == inline  # the same rows, in the same order, as the list's export
    assert AccessLog.objects.filter(object_type="ledger.ExportJob", object_id=str(job.pk), user=director).exists()
    assert "案件-" in client.get("/ledger/exports/").content.decode()


def test_the_job_keeps_the_scope_and_masking_of_the_user_who_asked(client_for, org, station_a, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    for i in range(3):
        ConsultationFactory(station=station_a, person_phone=f"1380000000{i}")
    ConsultationFactory(station=org["stations"]["station-b"], person_phone="13900000009")
    client = client_for("staff_a")
    assert client.get("/intake/consultations/?export=xlsx").status_code == 302
    job = ExportJob.objects.get()
    rows = sheet_rows(download(client, job))
    header, body = rows[0], rows[1:]
    assert len(body) == 3 and not job.full  # only the station's own, phones masked
    phones = [r[header.index("电话")] for r in body]
    assert all(p and "*" in p for p in phones), phones


def test_only_the_requester_sees_or_downloads_an_export(client_for, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    client_for("director").get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    other = client_for("clerk")
    for url in (f"/ledger/exports/{job.pk}/", f"/ledger/exports/{job.pk}/status/",
                f"/ledger/exports/{job.pk}/download/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/ledger/exports/{job.pk}/retry/").status_code == 404
    assert client_for("anonymous").get(f"/ledger/exports/{job.pk}/").status_code == 302
    assert "案件-" not in other.get("/ledger/exports/").content.decode()


def test_with_the_queue_down_the_user_is_told_and_the_sweeper_runs_it_later(client_for, cases, settings,
                                                                            monkeypatch):
    from core import jobs, tasks

    settings.EXPORT_BACKGROUND_ROWS = 2

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    with monkeypatch.context() as m:
        m.setattr(tasks.run_job, "apply_async", down)
        client = client_for("director")
        response = client.get("/cases/?export=xlsx", follow=True)
    job = ExportJob.objects.get()
    page = response.content.decode()
    assert job.status == "queued" and job.job_state == "unqueued"
    assert "队列恢复后自动开始" in page and 'data-testid="job-unqueued"' in page and "hx-get" in page
    assert jobs.sweep()["sent"] == 1
    job.refresh_from_db()
    assert job.status == "done" and job.rows == len(cases)


def test_a_tampered_query_is_refused_and_the_job_fails_with_a_message(client_for, cases, settings):
    from core import jobs

    settings.EXPORT_BACKGROUND_ROWS = 2
    client = client_for("director")
    client.get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(query=b"not a pickle", status="queued", heartbeat_at=None,
                                               attempts=0)
    assert jobs.execute("ledger.export", job.pk) == "ran"
    job.refresh_from_db()
    assert job.status == "failed" and "重新导出" in job.error
    page = client.get(f"/ledger/exports/{job.pk}/").content.decode()
    assert 'data-testid="job-retry"' in page


def test_a_failed_export_is_retried_at_once_and_replaces_nothing_twice(client_for, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    client = client_for("director")
    client.get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="x")
    response = client.post(f"/ledger/exports/{job.pk}/retry/")
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == "done" and job.attempts == 1 and not job.error
    files = list(Path(job.file.path).parent.iterdir())
    assert files == [Path(job.file.path)]  # the earlier attempt's file was replaced, not left beside it
    # a done export cannot be "retried"
    client.post(f"/ledger/exports/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_files_are_removed_past_their_keeping_time(client_for, cases, settings):
    from ledger.exports import expire_files

    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.EXPORT_FILES_KEEP_DAYS = 7
    client = client_for("director")
    client.get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    path = Path(job.file.path)
    assert expire_files() == 0
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert expire_files() == 1
    job.refresh_from_db()
    assert not job.file and job.file_removed_at and not path.exists()
    page = client.get(f"/ledger/exports/{job.pk}/").content.decode()
    assert 'data-testid="file-removed"' in page and "export-download" not in page
    response = client.get(f"/ledger/exports/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"] == f"/ledger/exports/{job.pk}/", "the page says why"


def test_a_file_past_its_keeping_time_is_not_served_though_the_nightly_removal_has_not_run(client_for, cases,
                                                                                          settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.EXPORT_FILES_KEEP_DAYS = 7
    client = client_for("director")
    client.get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    path = Path(job.file.path)
    assert client.get(f"/ledger/exports/{job.pk}/download/").status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=8))  # beat stopped
    response = client.get(f"/ledger/exports/{job.pk}/download/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert not job.file and job.file_removed_at and not path.exists(), "removed at the first ask"
    assert 'data-testid="file-removed"' in client.get(response["Location"]).content.decode()


def test_a_deactivated_requester_gets_no_file(client_for, cases, director, settings):
    from core import jobs

    settings.EXPORT_BACKGROUND_ROWS = 2
    job = ExportJob.objects.create(sheet="案件", filename="x.xlsx", model="cases.Case", query=b"",
                                   query_signature="", django_version="", requested_by=director)
    type(director).objects.filter(pk=director.pk).update(is_active=False)
    jobs.execute("ledger.export", job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file


def test_every_list_export_goes_to_the_background_when_long(client_for, org, settings):
    """Each list with an Excel export hands a long list to a job (persons, registry, applications,
    consultations, matters, events, media, budgets, spending, cases)."""
    settings.EXPORT_BACKGROUND_ROWS = 0
    from tests.factories import (
        ApplicationFactory,
        BudgetFactory,
        EventFactory,
        MatterFactory,
        MediaReportFactory,
        SpendingFactory,
    )

    PersonFactory()
    ApplicationFactory()
    ConsultationFactory()
    MatterFactory()
    EventFactory()
    MediaReportFactory()
    BudgetFactory()
    SpendingFactory()
    make_case()
    from applicants.models import VulnerableEntry
    from core.choices import REGISTRY_CATEGORY

    VulnerableEntry.objects.create(name="某", id_number="110101198506150011", category=REGISTRY_CATEGORY.codes[0])
    client = client_for("director")
    urls = ["/applicants/?export=xlsx", "/applicants/registry/?export=xlsx", "/intake/applications/?export=xlsx",
            "/intake/consultations/?export=xlsx", "/intake/matters/?export=xlsx", "/publicity/?export=xlsx",
            "/publicity/media/?export=xlsx", "/funding/budgets/?export=xlsx", "/funding/spending/?export=xlsx",
            "/cases/?export=xlsx"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/ledger/exports/" in response["Location"], url
    jobs = ExportJob.objects.order_by("pk")
    assert [j.status for j in jobs] == ["done"] * len(urls), [(j.sheet, j.error) for j in jobs]
    assert all(j.rows >= 1 for j in jobs), [(j.sheet, j.rows) for j in jobs]
