"""Permission table of the ledger app: only director and clerk (ledger_import) import ledgers."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from ledger.models import LedgerImport
from tests.permission_table import check, expect

from .builders import build_ledger, consultation_row

ALLOWED = {"director": 200, "clerk": 200}


@pytest.fixture
def imp(org, director, tmp_path):
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row()]})
    record = LedgerImport(original_name="l.xlsx", created_by=director, status="invalid")
    record.file.save("l.xlsx", ContentFile(path.read_bytes()), save=False)
    record.save()
    return record


def table(imp):
    # The demo `admin` is the administrator role (users, stations, configuration: DOMAIN.md §2): refused.
    allowed = ALLOWED
    confirm = {"director": 302, "clerk": 302}
    return [
        ("ledger:import_upload", "GET", "/ledger/", expect(403, **allowed)),
        ("ledger:import_detail", "GET", f"/ledger/{imp.pk}/", expect(403, **allowed)),
        ("ledger:import_progress", "GET", f"/ledger/{imp.pk}/progress/", expect(403, **allowed)),
        # An upload that is not ready to import: the page comes back with a message (302).
        ("ledger:import_confirm", "POST", f"/ledger/{imp.pk}/confirm/", expect(403, **confirm)),
        # An upload that is neither failed nor stuck: nothing to retry, the page comes back with a message.
        ("ledger:import_retry", "POST", f"/ledger/{imp.pk}/retry/", expect(403, **confirm)),
    ]


@pytest.fixture
def export_job(org, director):
    from ledger.models import ExportJob

    return ExportJob.objects.create(sheet="案件", filename="x.xlsx", model="cases.Case", query=b"",
                                    query_signature="", django_version="", requested_by=director, status="done")


def export_table(job):
    # An export is the requester's own: everyone else gets 404, whatever their role; the list shows one's own.
    mine = {"director": 200}
    return [
        ("ledger:export_list", "GET", "/ledger/exports/", expect(200, outsider=200)),
        ("ledger:export_detail", "GET", f"/ledger/exports/{job.pk}/", expect(404, outsider=404, **mine)),
        ("ledger:export_status", "GET", f"/ledger/exports/{job.pk}/status/", expect(404, outsider=404, **mine)),
        # done without a file (it was never built here): nothing to download
        ("ledger:export_download", "GET", f"/ledger/exports/{job.pk}/download/", expect(404, outsider=404)),
        # a done export: nothing to retry, the page comes back with a message
        ("ledger:export_retry", "POST", f"/ledger/exports/{job.pk}/retry/", expect(404, director=302, outsider=404)),
    ]


def test_export_urls_answer_only_the_requester(client_for, export_job):
    problems = []
    for _name, method, path, expected in export_table(export_job):
        problems += check(client_for, method, path, expected)
    assert problems == []


def test_ledger_urls_answer_each_persona_as_the_table_says(client_for, imp):
    problems = []
    for _name, method, path, expected in table(imp):
        problems += check(client_for, method, path, expected)
    assert problems == []


def test_an_unknown_import_is_404_for_those_who_may_import(client_for, imp):
    assert client_for("director").get("/ledger/999999/").status_code == 404
    assert client_for("staff_a").get("/ledger/999999/").status_code == 403
