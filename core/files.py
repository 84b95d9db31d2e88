"""Uploads that cannot hurt: cheap checks made in the web request, before anything parses a file.

- `xlsx_problem` looks at a workbook's zip directory and the first bytes of each sheet only: that it is a real
  .xlsx, that no part expands past its limit (a shared-strings bomb), that the declared dimensions of each
  sheet are within the column limit and the bound of all rows. It never decompresses more than a few
  kilobytes. The row limit itself counts rows with a value, which only reading the sheets can tell: a clerk's
  sheet of 100 rows formatted down to row 61,000 declares 61,000 rows (the importer's streaming limits).
- `content_problem` accepts an attachment by what it is (its magic bytes), not by its name: an HTML page named
  .pdf is refused.

The limits are settings (`UPLOAD_LIMITS` in settings.py) with defaults that keep any process under 512 MB for
any file up to the upload limit; every message names the limit it met.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_LIMITS = {
    "xlsx_part_bytes": 150 * 1024 * 1024,       # one sheet's XML, uncompressed (streamed)
    "xlsx_shared_strings_bytes": 40 * 1024 * 1024,  # read whole into memory by openpyxl
    "xlsx_total_bytes": 400 * 1024 * 1024,      # all parts together, uncompressed
    "xlsx_rows": 60_000,                        # rows with a value, all ledger sheets together: 50,000 case
                                                #   rows take 290 MB
    "xlsx_all_rows": 600_000,                   # rows declared or read, the empty ones formatted ahead included
    "xlsx_columns": 80,
    "cell_chars": 32_767,                       # Excel's own limit of a cell: what the lists export comes back
    "errors_kept": 1000,
}

_DIMENSION = re.compile(rb'<dimension[^>]*\bref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


def limit(name: str) -> int:
    return int(getattr(settings, "UPLOAD_LIMITS", {}).get(name, DEFAULT_LIMITS[name]))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


# What opening a hostile zip may raise besides BadZipFile: a member name flagged UTF-8 that is not
# (UnicodeDecodeError, a ValueError), an unsupported compression or encryption (NotImplementedError,
# RuntimeError), a truncated directory (EOFError, OSError).
ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError)


def xlsx_problem(path: str | Path) -> str | None:
    """Why this file may not be opened as a workbook, or None."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS:
        return _("This is not an Excel workbook (.xlsx).")
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return _("This is not an Excel workbook (.xlsx).")
        total = 0
        rows = 0
        for info in infos:
            total += info.file_size
            if info.filename == "xl/sharedStrings.xml" and info.file_size > limit("xlsx_shared_strings_bytes"):
                return _("The workbook's text expands to %(size)s, over the limit of %(limit)s; split the file.") % {
                    "size": _mb(info.file_size), "limit": _mb(limit("xlsx_shared_strings_bytes"))}
            if info.file_size > limit("xlsx_part_bytes"):
                return _("A part of the workbook expands to %(size)s, over the limit of %(limit)s; split the "
                         "file.") % {"size": _mb(info.file_size), "limit": _mb(limit("xlsx_part_bytes"))}
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                try:
                    with archive.open(info) as fh:
                        head = fh.read(4096)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
                    return _("This is not an Excel workbook (.xlsx).")
                match = _DIMENSION.search(head)
                if match:
                    columns, last_row = _column_number(match.group(1)), int(match.group(2))
                    if columns > limit("xlsx_columns"):
                        return _("A sheet declares %(n)s columns, over the limit of %(limit)s.") % {
                            "n": columns, "limit": limit("xlsx_columns")}
                    rows += max(last_row - 1, 0)
        if total > limit("xlsx_total_bytes"):
            return _("The workbook expands to %(size)s, over the limit of %(limit)s; split the file.") % {
                "size": _mb(total), "limit": _mb(limit("xlsx_total_bytes"))}
        # Declared rows include the empty ones a clerk formatted ahead, which are not rows of the ledger: only
        # a sheet past the far looser bound of all rows is refused here.
        if rows > limit("xlsx_all_rows"):
            return _("The workbook declares %(n)s rows, over the limit of %(limit)s rows; split the file.") % {
                "n": f"{rows:,}", "limit": f"{limit('xlsx_all_rows'):,}"}
    return None


# --- attachments by content ------------------------------------------------------------------------------

def sniff(head: bytes, path: str | Path | None = None) -> str | None:
    """What the first bytes say a file is: pdf, png, jpeg, gif, webp, ole (old .doc/.xls), docx, xlsx, zip."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04") and path is not None:
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except ZIP_ERRORS:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    return None


# Which contents each file ending may have.
ACCEPTS = {
    "pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpeg"}, "jpeg": {"jpeg"}, "gif": {"gif"}, "webp": {"webp"},
    "doc": {"ole"}, "xls": {"ole"}, "docx": {"docx"}, "xlsx": {"xlsx"},
}


def content_problem(upload) -> str | None:
    """Why an uploaded attachment is refused by its content, or None. `upload` is a Django UploadedFile."""
    ext = Path(upload.name or "").suffix.lower().lstrip(".")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    path = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else None
    if path is None and head.startswith(b"PK\x03\x04"):
        kind = _zip_kind_in_memory(upload)
    else:
        kind = sniff(head, path)
    if kind is None or kind not in ACCEPTS.get(ext, set()):
        return _("The file's content is not a %(ext)s file; only real PDF, image and Office files are accepted.") % {
            "ext": ext.upper() or "?"}
    return None


def _zip_kind_in_memory(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"
