"""The web import: upload → preview → confirm → done; large files through Celery with progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from intake.models import Consultation
from ledger.models import LedgerImport

from .builders import build_ledger, case_row, consultation_row, multi_year_ledger

pytestmark = pytest.mark.django_db


def upload(client, path, **data):
    with open(path, "rb") as fh:
        return client.post("/ledger/", {"file": SimpleUploadedFile(path.name, fh.read()), **data})


def test_a_clerk_uploads_sees_the_preview_confirms_and_sees_the_counts(client_for, tmp_path, station_a):
    client = client_for("clerk")
    response = upload(client, multi_year_ledger(tmp_path / "历年台账.xlsx"), station=station_a.pk)
    imp = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledger/{imp.pk}/"
    assert imp.status == "previewed" and imp.counts["案件"] == {"rows": 12, "created": 12, "matched": 0}
    assert imp.file.name.startswith("ledgers/")
    page = client.get(f"/ledger/{imp.pk}/").content.decode()
    assert "确认导入" in page and "案件" in page
    assert not Case.objects.exists()  # the preview imported nothing
    response = client.post(f"/ledger/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.status == "done" and Case.objects.count() == 12
    assert set(Case.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    page = client.get(f"/ledger/{imp.pk}/").content.decode()
    assert "新增" in page and "确认导入" not in page


def test_a_file_with_errors_shows_every_error_and_cannot_be_confirmed(client_for, tmp_path):
    client = client_for("director")
    path = build_ledger(tmp_path / "bad.xlsx", {"咨询": [consultation_row(**{"方式": "微信"}),
                                                          consultation_row(**{"日期": "明天"})]})
    upload(client, path)
    imp = LedgerImport.objects.get()
    assert imp.status == "invalid" and len(imp.errors) == 2
    page = client.get(f"/ledger/{imp.pk}/").content.decode()
    assert "咨询!2: 方式: 无效的取值「微信」" in page and "咨询!3: 日期" in page and "确认导入" not in page
    client.post(f"/ledger/{imp.pk}/confirm/")
    assert not Consultation.objects.exists()


def test_a_too_large_upload_is_refused_on_the_form(client_for, tmp_path, settings):
    settings.LEDGER_MAX_BYTES = 100
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row()]})
    response = upload(client_for("clerk"), path)
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_a_non_excel_upload_is_refused_on_the_form(client_for, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b")
    response = upload(client_for("clerk"), path)
    assert response.status_code == 200 and not LedgerImport.objects.exists()


def test_every_file_is_validated_and_imported_as_a_background_job_with_progress(client_for, tmp_path):
    """Tests run jobs eagerly (inline); the real worker, its faults and the queue are drilled in test_faults."""
    client = client_for("clerk")
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row(**{"日期": dt.date(2024, 1, d)})
                                                       for d in range(1, 11)]})
    upload(client, path)
    imp = LedgerImport.objects.get()
    assert imp.status == "previewed" and imp.progress == 100 and imp.attempts == 1 and imp.dispatched_at
    fragment = client.get(f"/ledger/{imp.pk}/progress/")
    assert fragment["HX-Refresh"] == "true"
    client.post(f"/ledger/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.status == "done" and Consultation.objects.count() == 10 and imp.confirmed_by.username == "clerk"


def test_the_progress_fragment_polls_while_the_work_runs(client_for, tmp_path, director):
    from django.core.files.base import ContentFile

    imp = LedgerImport(original_name="x.xlsx", created_by=director, status="validating", progress=40)
    imp.file.save("x.xlsx", ContentFile(b"x"), save=False)
    imp.save()
    response = client_for("clerk").get(f"/ledger/{imp.pk}/progress/")
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and "40%" in body and "HX-Refresh" not in response


def test_history_says_who_imported_from_which_file(client_for, tmp_path, director):
    client = client_for("director")
    upload(client, build_ledger(tmp_path / "县台账.xlsx", {"案件": [case_row()]}))
    imp = LedgerImport.objects.get()
    client.post(f"/ledger/{imp.pk}/confirm/")
    reason = Case.objects.get().history.first().history_change_reason
    assert "县台账.xlsx" in reason and director.display_name in reason


def test_the_home_page_shows_recent_imports_to_those_who_import(client_for, tmp_path):
    client = client_for("clerk")
    upload(client, build_ledger(tmp_path / "台账A.xlsx", {"咨询": [consultation_row()]}))
    assert "台账A.xlsx" in client.get("/").content.decode()
    assert "台账A.xlsx" not in client_for("staff_a").get("/").content.decode()


def test_the_counts_are_shown_in_the_ledger_order(client_for, tmp_path):
    client = client_for("clerk")
    upload(client, multi_year_ledger(tmp_path / "l.xlsx"))
    page = client.get(f"/ledger/{LedgerImport.objects.get().pk}/").content.decode()
    assert page.index("<td>案件</td>") < page.index("<td>咨询</td>") < page.index("<td>宣传活动</td>")


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_on_its_own_connection_so_the_page_sees_it_during_the_import(org, director):
    from django.core.files.base import ContentFile
    from django.db import transaction

    from ledger.services import ProgressWriter

    imp = LedgerImport(original_name="x.xlsx", created_by=director, status="importing")
    imp.file.save("x.xlsx", ContentFile(b"x"), save=False)
    imp.save()
    writer = ProgressWriter(imp.pk)
    try:
        with transaction.atomic():  # the import's transaction stays open …
            writer(40, 100)
            # … and yet another connection already sees the progress
            assert LedgerImport.objects.values_list("progress", flat=True).get(pk=imp.pk) in (0, 40)
        imp.refresh_from_db()
        assert imp.progress == 40
    finally:
        writer.close()
