"""Audit: hostile uploads and the background jobs that read them (DOMAIN.md §13, the developers' guide: "Bad
input gets a clear message and changes nothing; no input, parameter or file ever gives a 500", "a hostile
upload ... drilled").

Every upload of the product was tried through its page: the case attachment and progress forms, the
application materials' scans, the publicity event photos and the web ledger import. The failing tests below
are bugs; the passing ones guard hostile inputs that the product handles and no other test drills."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cases import conftest as cases_fixtures
from tests.intake import conftest as intake_fixtures
from tests.ledger.builders import build_ledger, consultation_row

pytestmark = pytest.mark.django_db

# The cases' and the applications' fixtures, built through the real services.
frozen, awaiting_case, assigned_case = cases_fixtures.frozen, cases_fixtures.awaiting_case, cases_fixtures.assigned_case
person, make_app = intake_fixtures.person, intake_fixtures.make_app

CJK = re.compile(r"[\u4e00-\u9fff]")
PYTHON_ERROR = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def zip_with_a_broken_utf8_name() -> bytes:
    """A real .docx (it has word/document.xml) whose last zip entry says its name is UTF-8 (flag bit 11) and
    holds bytes that are not: Python's zipfile raises UnicodeDecodeError (not BadZipFile) opening it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("abc.xml", "x")
    data = buf.getvalue()
    cd = data.rfind(b"PK\x01\x02")  # the last central directory entry
    flags = int.from_bytes(data[cd + 8:cd + 10], "little") | 0x800
    data = data[:cd + 8] + flags.to_bytes(2, "little") + data[cd + 10:]
    return data[:cd + 46] + b"\xff\xfe\xfd" + data[cd + 49:]


# --- 1. a broken zip directory is a 500 on every attachment upload ------------------------------------------

@pytest.mark.parametrize("where", ["attach", "attach-large", "progress", "material"])
def test_it_refuses_an_office_file_whose_zip_has_a_non_utf8_name_with_a_message_not_a_500(
        where, assigned_case, make_app, client_for, settings):
    """The developers' guide: "Bad input gets a clear message and changes nothing; no input, parameter or file
    ever gives a 500". core.files.content_problem opens every PK-headed upload with zipfile, catching only
    BadZipFile and OSError; a zip entry flagged UTF-8 with bytes that are not raises UnicodeDecodeError, which
    escapes as a server error (the case attachment and progress forms, in memory or spooled to disk, and the
    application materials, for a file merely named .pdf)."""
    data = zip_with_a_broken_utf8_name()
    with pytest.raises(UnicodeDecodeError):  # what the stdlib raises: the file is hostile, not our test
        zipfile.ZipFile(io.BytesIO(data))
    from cases.models import Attachment, ProgressEntry
    from intake.models import MaterialFile

    if where == "attach-large":  # spooled to a temporary file: core.files.sniff(head, path)
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    upload = SimpleUploadedFile("笔录.docx" if where != "material" else "身份证.pdf", data)
    before = stored_files(settings)
    if where == "material":
        client = client_for("clerk")
        client.raise_request_exception = False
        material = make_app().materials.first()
        response = client.post(f"/intake/materials/{material.pk}/files/", {"files": [upload]}, follow=True)
    else:
        client = client_for("handler")
        client.raise_request_exception = False
        if where == "progress":
            response = client.post(reverse("cases:case_progress", args=[assigned_case.pk]), {
                "kind": "meeting", "on": "2025-11-05", "note": "会见", "files": [upload]})
        else:
            response = client.post(reverse("cases:case_attach", args=[assigned_case.pk]),
                                   {"kind": "other", "file": upload})
    assert response.status_code == 200, f"{where}: HTTP {response.status_code}"
    assert upload.name in response.content.decode()  # the message names the refused file
    assert not Attachment.objects.exists() and not ProgressEntry.objects.exists()
    assert not MaterialFile.objects.exists() and stored_files(settings) == before


# --- 2. a corrupt cell ends the ledger job as "failed" with a Python error --------------------------------

def _with_sheet(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                new = change(data)
                assert new != data, "the change must apply"
                data = new
            b.writestr(info.filename, data)
    return dst


TYPE_CELL = b'<c r="B2" t="inlineStr"><is><t>&#26469;&#30005;</t></is></c>'  # 方式 = 来电

CORRUPT_CELLS = {
    # a number cell (the date) whose value is not a number
    "date-not-a-number": lambda d: d.replace(b"<v>45418</v>", b"<v>abc</v>"),
    # a shared-string cell pointing at a string the workbook does not have
    "missing-shared-string": lambda d: d.replace(TYPE_CELL, b'<c r="B2" t="s"><v>7</v></c>'),
    # a cell whose reference is not a cell reference
    "bad-cell-reference": lambda d: d.replace(b'r="D2"', b'r="!!"'),
}


@pytest.mark.parametrize("corruption", list(CORRUPT_CELLS))
def test_it_ends_a_ledger_with_a_corrupt_cell_as_invalid_with_a_chinese_message_not_a_python_error(
        corruption, client_for, tmp_path):
    """The developers' guide: "Bad input gets a clear message and changes nothing"; LEDGER.md: on any error the
    import "prints every error as `sheet!row: column: message`". ledger.importing.parse.parse_workbook turns
    only ParseError/BadZipFile/zlib.error/EOFError of a sheet into "工作表内容已损坏"; the ValueError or
    IndexError openpyxl raises for a corrupt cell escapes to core.jobs.execute's last net, which marks the
    import FAILED with "ValueError: invalid literal for int() with base 10: 'abc'" (or "IndexError: list
    index out of range"), offers "Check and import again" (it fails the same way forever) and keeps the file."""
    from ledger.models import LedgerImport

    good = build_ledger(tmp_path / "good.xlsx", {"咨询": [consultation_row()]})
    path = _with_sheet(good, tmp_path / f"{corruption}.xlsx", CORRUPT_CELLS[corruption])
    response = client_for("clerk").post("/ledger/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    imp = LedgerImport.objects.get()
    assert response.status_code == 302
    text = " ".join(imp.errors)
    assert imp.status == LedgerImport.Status.INVALID, (imp.status, imp.errors)
    assert CJK.search(text) and not PYTHON_ERROR.search(text), imp.errors


# --- 3. the megapixel limit of a material's photo is skipped by a large EXIF block -----------------------

def _jpeg(width: int, height: int, exif_bytes: int) -> bytes:
    """A baseline JPEG as phones write them: JFIF, an EXIF block (APP1, at most 65,533 bytes), an ICC
    profile (APP2), a quantisation table, then the frame header (SOF0) with the picture's size."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    exif = b"Exif\x00\x00" + b"\x00" * (exif_bytes - 6)
    app1 = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
    icc = b"ICC_PROFILE\x00\x01\x01" + b"\x00" * 500
    app2 = b"\xff\xe2" + (len(icc) + 2).to_bytes(2, "big") + icc
    dqt = b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65))
    sof = (b"\xff\xc0\x00\x11\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big")
           + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    return b"\xff\xd8" + app0 + app1 + app2 + dqt + sof + b"\xff\xd9"


def test_it_refuses_a_material_photo_over_the_megapixel_limit_even_behind_a_full_exif_block(
        make_app, client_for, settings):
    """intake.services.MATERIAL_MAX_PIXELS (100 megapixels, "a picture larger than this would choke the
    reviewer's browser") and material_file_problem ("a real JPEG, PNG or PDF within the limits"); the guide's
    "a hostile upload ... drilled". _image_pixels looks for the frame header only in the first 64 KB: a JPEG
    whose EXIF block fills its 64 KB (as phone photos with a thumbnail do) has its frame header after that,
    so a 400-megapixel picture is kept and shown inline to the reviewer."""
    from intake.models import MaterialFile

    material = make_app().materials.first()
    clerk = client_for("clerk")
    # The limit works when the frame header comes early: the same picture with a small EXIF block.
    small = clerk.post(f"/intake/materials/{material.pk}/files/",
                       {"files": [SimpleUploadedFile("身份证.jpg", _jpeg(20000, 20000, 2000))]}, follow=True)
    assert "百万像素" in small.content.decode() and not MaterialFile.objects.exists()
    before = stored_files(settings)
    big = clerk.post(f"/intake/materials/{material.pk}/files/",
                     {"files": [SimpleUploadedFile("身份证.jpg", _jpeg(20000, 20000, 65533))]}, follow=True)
    assert "百万像素" in big.content.decode()
    assert not MaterialFile.objects.exists() and stored_files(settings) == before


# --- guards: hostile inputs the product handles, drilled nowhere else ---------------------------------------

def _laughs(sheet: bytes) -> bytes:
    """Ten levels of ten entity references: 10^10 characters from a few hundred bytes."""
    entities = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(9))
    return (b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b"]>"
            + sheet.replace(b"&#36213;&#20845;", b"&j;"))


def test_an_entity_expansion_bomb_in_a_ledger_sheet_ends_invalid_with_a_message(client_for, tmp_path, settings):
    """The guide's "a hostile upload ... drilled": billion laughs inside a sheet's XML. The standard library's
    parser (expat ≥ 2.4) stops the expansion; the import says the sheet is damaged and writes nothing."""
    from intake.models import Consultation
    from ledger.models import LedgerImport

    good = build_ledger(tmp_path / "good.xlsx", {"咨询": [consultation_row()]})
    path = _with_sheet(good, tmp_path / "laughs.xlsx", _laughs)
    client_for("clerk").post("/ledger/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    imp = LedgerImport.objects.get()
    assert imp.status == LedgerImport.Status.INVALID and imp.errors == [
        "咨询: 工作表内容已损坏，无法读取（不是有效的 Excel 文件）"]
    assert not Consultation.objects.exists()


def test_a_jpeg_headed_html_page_is_never_served_as_a_page(assigned_case, client_for):
    """DOMAIN.md §13 "Files ... are served only through views that check permission": a polyglot (a JPEG's
    first bytes, then a script) passes the magic-byte check as a case attachment; it is then served only as
    a download with nosniff, never from MEDIA_URL, and not to an anonymous visitor."""
    from cases.models import Attachment

    polyglot = b"\xff\xd8\xff\xe0<html><script>alert(document.cookie)</script></html>"
    client_for("handler").post(reverse("cases:case_attach", args=[assigned_case.pk]), {
        "kind": "other", "file": SimpleUploadedFile("照片.jpg", polyglot, content_type="text/html")})
    att = Attachment.objects.get()
    url = reverse("cases:attachment_download", args=[att.pk])
    served = client_for("handler").get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == polyglot
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment")
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    from django.conf import settings as django_settings

    assert client_for("handler").get(django_settings.MEDIA_URL + att.file.name).status_code == 404
