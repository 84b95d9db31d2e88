"""Safe, streamed Excel output (the pretix pattern, STYLE.md).

Workbooks are written in openpyxl's write-only mode, so rows go straight to disk
and 100,000 rows never sit in memory. Any text cell that a spreadsheet would read
as a formula (starting with = + - @, or a tab/CR) is written as text.

Every sheet looks like the center's own files: a frozen header row repeated on every printed page,
columns as wide as their content, money as ￥1,234.00, dates as real dates, A4 landscape fitted to the
page width. Report sheets may carry title lines above the header.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The one money format of every file. The symbol is quoted so that Excel, WPS and LibreOffice all
# take it as a literal (unquoted, LibreOffice may read ￥ as a currency code of the locale).
MONEY_FORMAT = '"￥"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# Widths are fitted to the header and this many first rows: they are held back until the widths are
# written (openpyxl writes <cols> before the first row), so a long sheet still streams.
WIDTH_SAMPLE = 300
MIN_WIDTH, MAX_WIDTH = 8, 60
MAX_TITLE_WIDTH = 120  # a report sheet is widened up to this for its title to fit one line

_HEADER_FONT = Font(bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONTS = (Font(bold=True, size=16), Font(size=11))
_TITLE_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


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
                  widths: dict[int, int] | None = None, title_lines: list[str] | None = None) -> int:
        """Write one sheet and return the number of data rows.

        `widths` (0-based column → width) overrides the fitted width of a column. `title_lines` go above
        the header (report sheets); the header then sits in row len(title_lines) + 1, and the frozen
        panes and the printed titles follow it. A ledger sheet has none: its header must be row 1."""
        ws = self.wb.create_sheet(title=title[:31])
        lines = list(title_lines or [])
        header_row = len(lines) + 1
        rows = iter(rows)
        sample = [list(row) for row in islice(rows, WIDTH_SAMPLE)]
        columns = max([len(header), *(len(r) for r in sample)]) or 1
        fitted = fitted_widths(header, sample, columns)
        fitted.update(widths or {})
        if lines:
            _widen_for_titles(fitted, lines, fixed=set(widths or {}))
        for idx, width in fitted.items():
            ws.column_dimensions[get_column_letter(idx + 1)].width = width
        _page_setup(ws, header_row)
        table_width = sum(fitted.values())
        for n, text in enumerate(lines, 1):
            cell = WriteOnlyCell(ws, value=safe_value(text))
            cell.font = _title_font(n)
            cell.alignment = _TITLE_ALIGN
            if columns > 1:
                ws.merged_cells.add(f"A{n}:{get_column_letter(columns)}{n}")
            # A merged cell does not grow by itself: give a title that must wrap the lines it needs.
            needed = -(-_title_width(text, n) // max(table_width, 1))
            ws.row_dimensions[n].height = max(1, int(needed)) * (cell.font.sz + 6)
            ws.append([cell])
        head = []
        for text in header:
            cell = WriteOnlyCell(ws, value=safe_value(text))
            cell.font, cell.alignment = _HEADER_FONT, _HEADER_ALIGN
            head.append(cell)
        ws.append(head)
        count = 0
        for row in chain(sample, rows):
            ws.append([_cell(ws, v) for v in row])
            count += 1
        return count

    def save(self, path: str | Path) -> None:
        self.wb.save(str(path))


def _title_font(n: int) -> Font:
    return _TITLE_FONTS[min(n, len(_TITLE_FONTS)) - 1]


def _title_width(text: str, n: int) -> float:
    font = _title_font(n)
    return text_width(text) * font.sz / 11 * (1.1 if font.b else 1)


def _widen_for_titles(fitted: dict[int, int], lines: list[str], *, fixed: set[int]) -> None:
    """Widen a narrow table (not past MAX_TITLE_WIDTH in all) so its title lines fit on one line each;
    the columns a caller fixed keep their width."""
    need = min(MAX_TITLE_WIDTH, max(_title_width(text, n) for n, text in enumerate(lines, 1)) + 2)
    free = [i for i in fitted if i not in fixed]
    short = need - sum(fitted.values())
    if short <= 0 or not free:
        return
    free_width = sum(fitted[i] for i in free)
    for i in free:
        fitted[i] = int(fitted[i] + short * fitted[i] / free_width + 1)


def _page_setup(ws, header_row: int) -> None:
    """Frozen header, A4 landscape fitted to the page width, the header printed on every page.

    In write-only mode the panes and sheet properties go out with the first row, so this runs before
    anything is appended. (`ws.PAPERSIZE_A4` exists only on the ordinary worksheet class.)"""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def text_width(value) -> int:
    """How many Excel width units a value takes as shown: CJK and full-width characters count two."""
    value = _plain(safe_value(value))
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 17  # 2025-03-07 09:30 and a little air
    if isinstance(value, date):
        return 11
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 2
    if isinstance(value, float):
        return min(len(repr(value)), 11)
    text = str(value)
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.splitlines()), default=0)


def fitted_widths(header: list, sample: list[list], columns: int) -> dict[int, int]:
    """Column widths from the header (bold, a little wider) and the sample rows, within 8–60."""
    out = {}
    for idx in range(columns):
        head = text_width(header[idx]) * 1.1 if idx < len(header) else 0
        body = max((text_width(r[idx]) for r in sample if idx < len(r)), default=0)
        out[idx] = int(min(MAX_WIDTH, max(MIN_WIDTH, max(head, body) + 2)))
    return out


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
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = MONEY_FORMAT
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
