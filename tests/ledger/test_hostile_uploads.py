"""Uploads that cannot hurt: the request only checks the file cheaply (a real .xlsx, the uncompressed size of
each part, the declared dimensions); the job reads it streaming under row, column, cell and error limits. A file
past a limit is refused with a message naming the limit, and nothing of it is kept."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.models import LedgerImport
from ledger.services import ledger_validate

from .builders import build_ledger, consultation_row

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'</Types>')


def crafted(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", b"<workbook/>")
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def post(client, path: Path):
    return client.post("/ledger/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "ledgers"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "parts", "message"), [
    ("million-rows.xlsx", {"xl/worksheets/sheet1.xml": b'<worksheet><dimension ref="A1:C1048575"/></worksheet>'},
     "行，超过"),
    ("wide.xlsx", {"xl/worksheets/sheet1.xml": b'<worksheet><dimension ref="A1:ZZ10"/></worksheet>'}, "列，超过"),
    # 64 MB of one repeated character: a few hundred kilobytes compressed, a bomb when read whole
    ("strings-bomb.xlsx", {"xl/sharedStrings.xml": b"<sst>" + b"x" * (64 * 1024 * 1024) + b"</sst>"}, "上限"),
    ("not-excel.xlsx", {}, None),
])
def test_a_hostile_workbook_is_refused_in_the_request_and_nothing_is_kept(client_for, tmp_path, settings, name,
                                                                          parts, message):
    path = crafted(tmp_path / name, parts) if parts else tmp_path / name
    if not parts:
        path.write_bytes(b"<html><script>alert(1)</script></html>")
    assert path.stat().st_size < 1024 * 1024
    before = _stored_files(settings)
    response = post(client_for("clerk"), path)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert (message in errors) if message else ("Excel" in errors)
    assert not LedgerImport.objects.exists() and _stored_files(settings) == before


def _without_dimension(path: Path) -> Path:
    """The same workbook with no declared dimensions, so only the streaming limits can catch it."""
    out = path.with_name("nodim-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            dst.writestr(item, data)
    return out


def test_the_job_stops_at_the_row_limit_and_drops_the_file(client_for, tmp_path, settings, clerk):
    path = _without_dimension(build_ledger(tmp_path / "l.xlsx", {"咨询": [
        consultation_row(**{"日期": dt.date(2024, 1, d)}) for d in range(1, 11)]}))
    settings.UPLOAD_LIMITS = {"xlsx_rows": 5}
    response = post(client_for("clerk"), path)
    imp = LedgerImport.objects.get()
    assert response.status_code == 302 and imp.status == "invalid"
    assert any("5 行的上限" in e for e in imp.errors) and not imp.file
    assert _stored_files(settings) == []


def test_a_cell_past_the_length_limit_is_an_error_of_its_row(client_for, tmp_path, settings):
    rows = [consultation_row(**{"日期": dt.date(2024, 1, 1), "姓名": "张" * 50})]
    settings.UPLOAD_LIMITS = {"cell_chars": 20}
    post(client_for("clerk"), build_ledger(tmp_path / "l.xlsx", {"咨询": rows}))
    imp = LedgerImport.objects.get()
    assert imp.status == "invalid" and any("咨询!2" in e and "20 个字符" in e for e in imp.errors)


def test_a_file_that_vanished_before_its_job_ran_is_reported_not_crashed(clerk, tmp_path):
    from django.core.files.base import ContentFile

    imp = LedgerImport(original_name="x.xlsx", created_by=clerk, status="validating")
    imp.file.save("x.xlsx", ContentFile(b"PK"), save=False)
    imp.save()
    Path(imp.file.path).unlink()
    imp = ledger_validate(imp)
    assert imp.status == "invalid" and imp.errors == ["文件已不存在，请重新上传"]


def test_an_uploaded_ledger_is_removed_past_its_keeping_time(client_for, tmp_path, settings):
    from django.utils import timezone

    from ledger.services import expire_files

    settings.LEDGER_FILES_KEEP_DAYS = 10
    client = client_for("clerk")
    post(client, build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row()]}))
    imp = LedgerImport.objects.get()
    client.post(f"/ledger/{imp.pk}/confirm/")
    imp.refresh_from_db()
    path = Path(imp.file.path)
    assert imp.status == "done" and expire_files() == 0  # not yet
    LedgerImport.objects.filter(pk=imp.pk).update(finished_at=timezone.now() - dt.timedelta(days=11))
    assert expire_files() == 1
    imp.refresh_from_db()
    assert not path.exists() and imp.file_removed_at and imp.counts["咨询"]["created"] == 1
    assert 'data-testid="file-removed"' in client.get(f"/ledger/{imp.pk}/").content.decode()
