"""A large ledger through Redis to a real Celery worker: validated, previewed, imported, with progress."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from intake.models import Consultation
from ledger.models import LedgerImport

from .builders import multi_year_ledger


def _wait(imp, *statuses, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        imp.refresh_from_db()
        if imp.status in statuses:
            return imp
        time.sleep(0.5)
    raise AssertionError(f"still {imp.status}")


@pytest.mark.celery_worker
def test_a_large_ledger_is_validated_and_imported_by_a_real_worker(celery_worker_process, org, client, settings,
                                                                   tmp_path):
    from legalaid.celery import app

    client.force_login(org["users"]["director"])
    path = multi_year_ledger(tmp_path / "历年台账.xlsx")
    app.conf.task_always_eager = False
    try:
        client.post("/ledger/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
        imp = LedgerImport.objects.get()
        assert client.get(f"/ledger/{imp.pk}/progress/").status_code == 200
        _wait(imp, "previewed", "invalid")
        assert imp.status == "previewed" and imp.progress == 100, imp.errors
        assert not Case.objects.exists()
        client.post(f"/ledger/{imp.pk}/confirm/")
        _wait(imp, "done", "failed", "invalid")
    finally:
        app.conf.task_always_eager = True
    assert imp.status == "done", imp.errors
    assert Case.objects.count() == 12 and Consultation.objects.count() == 36
    assert imp.counts["案件"] == {"rows": 12, "created": 12, "matched": 0}
