"""Audit: background jobs (core.jobs) — long list exports (ledger.exports), ledger imports and report runs.

What the contract asks of them:
- DOMAIN.md §13: "Files and reports are served only through views that check permission"; §2: "default deny. A
  record of another station answers 404"; "ID numbers and phone numbers are masked in lists and exports unless
  the user's role needs them".
- STYLE.md (pretix, the report/export architecture): "A view queues the task after commit and redirects to a
  polling page; the finished file is stored with an expiry and served by a permission-checked download view.
  The task re-checks the requester's permission."
- ledger.exports' own promise: a long list exported in the background is "the list exactly as the user filtered
  it and was allowed to see it" — the same rows and cells as the export streamed at once.

Jobs run eagerly in tests. Where a test needs a job that is still waiting for the worker (a double click, a
role changed before the worker took the job), the message is accepted by a queue that does not run it yet
(`run_job.apply_async` replaced by a no-op), and the worker's run is `core.jobs.execute`, outside any request,
as a Celery worker runs it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import load_workbook

from ledger.models import ExportJob, LedgerImport
from tests.factories import ApplicationFactory, PersonFactory, make_case
from tests.ledger.builders import build_ledger, consultation_row

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def queue_not_yet_run(monkeypatch):
    """The broker takes the message; no worker has run it yet (the job stays queued)."""
    from core import tasks

    monkeypatch.setattr(tasks.run_job, "apply_async", lambda *args, **kwargs: None)


def _worker_runs(job) -> None:
    """What a Celery worker does with the message: core.run_job, with no request, so in no browser's language:
    Django then translates into settings.LANGUAGE_CODE (zh-hans), the language nothing activated falls back to."""
    from django.conf import settings

    from core import jobs

    with translation.override(settings.LANGUAGE_CODE):
        jobs.execute("ledger.export", job.pk)


@pytest.fixture
def county_cases(org, station_a, station_b):
    """Cases of station A and of station B, each recipient registered at the case's station."""
    made = []
    for station in (station_a, station_b, station_b):
        made.append(make_case(station=station, recipient=PersonFactory(station=station)))
    return made


def _clerk_made_station_staff(org, station):
    """The administrator (through the director, who holds user_manage) makes the clerk station staff of `station`:
    no more applicant_view_full, no more cases of other stations."""
    from accounts.roles import STATION_STAFF
    from accounts.services import user_update

    clerk = org["users"]["clerk"]
    user_update(user=clerk, full_name=clerk.full_name, role_codes=[STATION_STAFF], station=station,
                by=org["users"]["director"])


# --- the export as a job equals the export at once -------------------------------------------------------------

def test_the_background_export_of_a_list_holds_the_same_cells_as_the_export_streamed_at_once(
        client_for, station_a, settings, monkeypatch):
    """The application list's 状态 column (and the person list's 证件类型 and 户籍) are written with
    `get_FOO_display()`, in the language of the request: a director whose browser asks for English gets
    "Received" in the export streamed at once, while the same list over EXPORT_BACKGROUND_ROWS, built by the
    worker (no request, the site's language), says "已收件". Same list, same user, different cells — and the
    instant one mixes English values into a Chinese sheet whose every other column is Chinese (core.sheets.zh)."""
    from core import tasks

    for _i in range(3):
        ApplicationFactory(station=station_a)
    client = client_for("director")
    settings.EXPORT_BACKGROUND_ROWS = 100
    at_once = sheet_rows(body(client.get("/intake/applications/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")))

    settings.EXPORT_BACKGROUND_ROWS = 1
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda *args, **kwargs: None)
    response = client.get("/intake/applications/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    _worker_runs(job)
    job.refresh_from_db()
    assert job.status == "done"
    in_background = sheet_rows(body(client.get(f"/ledger/exports/{job.pk}/download/", HTTP_ACCEPT_LANGUAGE="en")))

    status = at_once[0].index("状态")
    assert [r[status] for r in in_background[1:]] == ["已收件"] * 3
    assert in_background == at_once, ([r[status] for r in at_once[1:]], [r[status] for r in in_background[1:]])


# --- who may have the file ----------------------------------------------------------------------------------

def test_a_user_who_lost_the_role_no_longer_downloads_the_unmasked_county_export(client_for, org, station_a,
                                                                                 county_cases, settings):
    """The download view checks only that the user asked for the export (ledger.views._my_exports), never what
    the user may see now. A clerk exports the whole county's case list with full ID numbers; the clerk is then made
    station staff of station A (no applicant_view_full, only station A's cases) and still downloads, for the
    file's seven days, every station's cases with every ID number in full. The report downloads re-check the
    user's capability and station at download time (reports.views._runs_visible); this one must too (404)."""
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = client_for("clerk")
    assert client.get("/cases/?export=xlsx").status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "done" and job.full and job.rows == 3

    _clerk_made_station_staff(org, station_a)
    response = client.get(f"/ledger/exports/{job.pk}/download/")
    if response.status_code == 200:
        rows = sheet_rows(body(response))
        ids = [r[rows[0].index("证件号码")] for r in rows[1:]]
        stations = {r[rows[0].index("工作站")] for r in rows[1:]}
        pytest.fail(f"served {len(rows) - 1} cases of {stations} with ID numbers {ids}")
    assert response.status_code == 404


def test_the_job_re_checks_what_the_requester_may_see_when_it_builds_the_file(client_for, org, station_a,
                                                                              station_b, county_cases, settings,
                                                                              queue_not_yet_run):
    """STYLE.md: "The task re-checks the requester's permission" (the report runs do: reports.services
    .report_run_execute). ledger.exports.run_export checks only that the account is active: a clerk asks for the
    county's case list (full ID numbers); before the worker takes the job the clerk becomes station staff of
    station A; the worker still builds the file with station B's cases and unmasked ID numbers."""
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = client_for("clerk")
    assert client.get("/cases/?export=xlsx").status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "queued"

    _clerk_made_station_staff(org, station_a)
    _worker_runs(job)
    job.refresh_from_db()
    if job.status == "done":  # built: then only with what the requester may see now
        job.file.open("rb")
        rows = sheet_rows(job.file.read())
        job.file.close()
        header = rows[0]
        stations = {r[header.index("工作站")] for r in rows[1:]}
        ids = [r[header.index("证件号码")] for r in rows[1:]]
        assert stations <= {station_a.name} and all("*" in i for i in ids), (stations, ids)
    else:
        assert job.status == "failed" and not job.file


# --- double clicks -------------------------------------------------------------------------------------------

def test_a_double_click_on_export_makes_one_background_export(client_for, county_cases, settings,
                                                              queue_not_yet_run):
    """The export link is a GET (`?export=xlsx`) and nothing in the page or in app.js stops a second click:
    each click of a long list saves and queues a new ExportJob, so a double click builds the same 5,000+ row
    file twice and "我的导出" lists it twice. The second click, while the first identical export is still waiting
    or running, should lead to that one."""
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = client_for("director")
    first = client.get("/cases/?category=civil&export=xlsx")
    second = client.get("/cases/?category=civil&export=xlsx")
    assert first.status_code == second.status_code == 302
    assert ExportJob.objects.count() == 1, list(ExportJob.objects.values_list("pk", "status", "list_url"))
    assert second["Location"] == first["Location"]


def test_a_double_click_on_request_report_queues_one_build(client_for, org, queue_not_yet_run):
    """reports.services.report_run_request saves and queues a new ReportRun on every POST: a double click on
    "request" (no guard in the page or app.js) queues two builds of the same period and station, both listed."""
    from reports.models import ReportRun

    client = client_for("director")
    form = {"preset": "", "period": "2025H1", "station": "", "want_docx": "on"}
    first = client.post("/reports/runs/", form)
    second = client.post("/reports/runs/", form)
    assert first.status_code == second.status_code == 302
    assert ReportRun.objects.count() == 1, list(ReportRun.objects.values_list("pk", "status", "period"))
    assert second["Location"] == first["Location"]


# --- a file past its keeping time ------------------------------------------------------------------------------

def test_a_previewed_ledger_whose_file_was_removed_is_not_confirmed_into_a_python_error(client_for, tmp_path):
    """ledger.services.expire_files removes the file of an upload left previewed for LEDGER_FILES_KEEP_DAYS. The
    page still offers 确认导入; confirming queues the import, whose job reads `imp.file.path` of the removed file
    and ends the import as 失败 with the Python message "The 'file' attribute has no file associated with it.".
    The product has the clear message for this case ("文件已不再保存，请重新上传。", used by the retry button):
    the confirmation must say it and not mark the import failed with an English traceback text."""
    from ledger.services import expire_files

    client = client_for("clerk")
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row()]})
    with open(path, "rb") as fh:
        client.post("/ledger/", {"file": SimpleUploadedFile("台账.xlsx", fh.read())})
    imp = LedgerImport.objects.get()
    assert imp.status == "previewed"
    LedgerImport.objects.filter(pk=imp.pk).update(created_at=timezone.now() - dt.timedelta(days=91))
    assert expire_files() == 1

    response = client.post(f"/ledger/{imp.pk}/confirm/", follow=True)
    imp.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 200
    assert "has no file associated" not in " ".join(imp.errors) + page, imp.errors
    assert "文件已不再保存" in page
