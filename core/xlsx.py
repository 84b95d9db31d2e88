"""Safe, streamed Excel output (the pretix pattern, STYLE.md).

Workbooks are written in openpyxl's write-only mode, so rows go straight to disk
and 100,000 rows never sit in memory. Any text cell that a spreadsheet would read
as a formula (starting with = + - @, or a tab/CR) is written as text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, date)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWorkbook:
    """A write-only workbook: add sheets with a header and an iterable of rows."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)

    def add_sheet(self, title: str, header: list[str], rows: Iterable[Iterable], *,
                  widths: dict[int, int] | None = None) -> int:
        ws = self.wb.create_sheet(title=title[:31])
        for idx, width in (widths or {}).items():
            ws.column_dimensions[chr(ord("A") + idx)].width = width
        bold = Font(bold=True)
        head = []
        for text in header:
            cell = WriteOnlyCell(ws, value=safe_value(text))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        count = 0
        for row in rows:
            ws.append([_cell(ws, v) for v in row])
            count += 1
        return count

    def save(self, path: str | Path) -> None:
        self.wb.save(str(path))


# The plain classes, kept in a tuple: openpyxl knows only these, and a subclass (a test clock's date)
# would be refused, so values are rebuilt as the plain class first.
_PLAIN = (date, datetime)


def _plain(value):
    if type(value) not in _PLAIN:
        if isinstance(value, datetime):
            return _PLAIN[1].fromisoformat(value.isoformat())
        if isinstance(value, date):
            return _PLAIN[0].fromordinal(value.toordinal())
    return value


def _cell(ws, value):
    value = _plain(safe_value(value))
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "#,##0.00"
        return cell
    return value


def workbook_response(book: SafeWorkbook, filename: str) -> FileResponse:
    """Send a workbook through a temporary file (not memory), with a UTF-8 file name."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    book.wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def chunked(qs, size: int = 2000) -> Iterator:
    """Iterate a queryset with a server-side cursor (PostgreSQL), keeping memory flat."""
    return qs.iterator(chunk_size=size)
