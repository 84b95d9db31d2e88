"""Safe, streamed Excel output (the pretix pattern, STYLE.md).

Workbooks are written as SpreadsheetML by hand, the way Apache POI's SXSSF streams them: each sheet's XML
is written in blocks of rows with inline strings, so 100,000 rows never sit in memory, and at several
times the speed of openpyxl's write-only mode. (openpyxl still reads workbooks: ledger.importing.)
Any text cell that a spreadsheet would read as a formula (starting with = + - @, or a tab/CR) is written
as text, and characters XML 1.0 cannot hold (control characters other than tab and newlines) are dropped.

Every sheet looks like the center's own files: a frozen header row repeated on every printed page,
columns as wide as their content, money as ￥1,234.00, dates as real dates, A4 landscape fitted to the
page width. Report sheets may carry title lines above the header.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The one money format of every file. The symbol is quoted so that Excel, WPS and LibreOffice all
# take it as a literal (unquoted, LibreOffice may read ￥ as a currency code of the locale).
MONEY_FORMAT = '"￥"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# A float is a rate, a change or a projection (the reports write no other): one decimal, as STATISTICS.md writes
# rates (62.4 means 62.4 %), so that 91 shows as 91.0 beside 84.1. Money is a Decimal, a count an int.
ONE_DECIMAL_FORMAT = "0.0"

# Widths are fitted to the header and this many first rows: they are held back until the widths are
# written (<cols> comes before the first row), so a long sheet still streams.
WIDTH_SAMPLE = 300
MIN_WIDTH, MAX_WIDTH = 8, 60
MAX_TITLE_WIDTH = 120  # a report sheet is widened up to this for its title to fit one line

# (size, bold) of the first title line and of the lines after it
_TITLE_FONTS = ((16, True), (11, False))

# Indexes into <cellXfs> of styles.xml (_STYLES below).
_HEADER, _TITLE1, _TITLE2, _DATE, _DATETIME, _MONEY, _ONE_DECIMAL = 1, 2, 3, 4, 5, 6, 7

_ROWS_PER_WRITE = 500
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 0; right for every date from 1900-03-01 on
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


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
    """A streamed workbook: add sheets with a header and an iterable of rows, then save.

    Each sheet is compressed into a temporary package as it is added; `save` adds the workbook parts and
    copies the package to its target."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="xlsx-")
        self._zip = zipfile.ZipFile(self._file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheets: list[tuple[str, int]] = []  # (title, header row)
        self._finished = False

    def add_sheet(self, title: str, header: list[str], rows: Iterable[Iterable], *,
                  widths: dict[int, int] | None = None, title_lines: list[str] | None = None) -> int:
        """Write one sheet and return the number of data rows.

        `widths` (0-based column → width) overrides the fitted width of a column. `title_lines` go above
        the header (report sheets); the header then sits in row len(title_lines) + 1, and the frozen
        panes and the printed titles follow it. A ledger sheet has none: its header must be row 1."""
        if self._finished:
            raise RuntimeError("The workbook is saved; no sheet can be added to it.")
        title = self._sheet_title(title)
        lines = list(title_lines or [])
        header_row = len(lines) + 1
        rows = iter(rows)
        sample = [list(row) for row in islice(rows, WIDTH_SAMPLE)]
        columns = max([len(header), *(len(r) for r in sample)]) or 1
        fitted = fitted_widths(header, sample, columns)
        fitted.update(widths or {})
        if lines:
            _widen_for_titles(fitted, lines, fixed=set(widths or {}))
        table_width = sum(fitted.values())
        sheet = _SheetXml()
        for n, text in enumerate(lines, 1):
            size, _bold = _title_font(n)
            # A merged cell does not grow by itself: give a title that must wrap the lines it needs.
            needed = -(-_title_width(text, n) // max(table_width, 1))
            height = max(1, int(needed)) * (size + 6)
            cell = _cell(f"A{n}", text, _TITLE1 if n == 1 else _TITLE2)
            sheet.write(f'<row r="{n}" ht="{height}" customHeight="1">{cell}</row>')
        head = "".join(_cell(f"{_column_letter(i)}{header_row}", text, _HEADER, keep_empty=True)
                       for i, text in enumerate(header))
        sheet.write(f'<row r="{header_row}">{head}</row>')
        count = sheet.rows(chain(sample, rows), header_row + 1)
        merges = "".join(f'<mergeCell ref="A{n}:{_column_letter(columns - 1)}{n}"/>'
                         for n in range(1, len(lines) + 1)) if columns > 1 else ""
        sheet.write(_sheet_tail(merges))
        # A money column widened for the largest amount of the whole sheet, not only of the sample rows (a
        # county's 301st case of 2,350,000.00 printed as ###): the head, with <cols>, is written last.
        for letter, chars in sheet.money_chars.items():
            idx = _LETTERS.index(letter) if letter in _LETTERS else None
            if idx is not None and idx not in (widths or {}):
                fitted[idx] = int(min(MAX_WIDTH, max(fitted.get(idx, MIN_WIDTH), chars + 4)))
        self._sheets.append((title, header_row))
        sheet.store(self._zip, f"xl/worksheets/sheet{len(self._sheets)}.xml",
                    head=_sheet_head(header_row, fitted, selected=len(self._sheets) == 1))
        return count

    def save(self, target: str | Path | BinaryIO) -> None:
        """Write the workbook to a path or a binary file (it may be saved again, to another target)."""
        if not self._finished:
            if not self._sheets:
                self.add_sheet("Sheet", [], [])
            for name, text in _package_parts(self._sheets).items():
                self._zip.writestr(name, text.encode())
            self._zip.close()
            self._finished = True
        self._file.seek(0)
        if hasattr(target, "write"):
            shutil.copyfileobj(self._file, target, 1 << 20)
        else:
            with open(target, "wb") as out:
                shutil.copyfileobj(self._file, out, 1 << 20)

    def _sheet_title(self, title: str) -> str:
        title = _XML_ILLEGAL.sub("", str(title or "Sheet"))[:31] or "Sheet"
        if _SHEET_TITLE_FORBIDDEN.search(title):
            raise ValueError(f"A sheet title may not contain \\ * ? : / [ ]: {title!r}")
        taken = {name.lower() for name, _row in self._sheets}
        base, n = title, 0
        while title.lower() in taken:  # as Excel (and openpyxl) do: 案件, 案件1, 案件2
            n += 1
            title = f"{base[:31 - len(str(n))]}{n}"
        return title


def _title_font(n: int) -> tuple[int, bool]:
    return _TITLE_FONTS[min(n, len(_TITLE_FONTS)) - 1]


def _title_width(text: str, n: int) -> float:
    size, bold = _title_font(n)
    return text_width(text) * size / 11 * (1.1 if bold else 1)


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


def text_width(value) -> int:
    """How many Excel width units a value takes as shown: CJK and full-width characters count two."""
    value = safe_value(value)
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


# --- the sheet XML -----------------------------------------------------------------------------------

_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# What a text needs besides its characters: escaping, characters XML 1.0 cannot carry at all (they
# break the file; openpyxl refused the whole workbook for one), and CR, which a parser turns into LF.
_TEXT_CARE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = frozenset(p[0] for p in FORMULA_PREFIXES)


def _xml_text(text: str) -> str:
    """`text` as XML character data."""
    if not _TEXT_CARE.search(text):
        return text
    return _escape(_XML_ILLEGAL.sub("", text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _t(text: str) -> str:
    """A text as <t>: without the characters XML cannot hold, its spaces at either end kept."""
    if _TEXT_CARE.search(text):
        text = _XML_ILLEGAL.sub("", text)
        if not text:
            return ""
        if text.strip() != text:
            return f'<t xml:space="preserve">{_escape(text)}</t>'
        return f"<t>{_escape(text)}</t>"
    if text.strip() != text:
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _xml_attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")


def _column_letter(idx: int) -> str:
    """A for 0, Z for 25, AA for 26."""
    letters = ""
    idx += 1
    while idx:
        idx, rest = divmod(idx - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [_column_letter(i) for i in range(702)]  # A … ZZ; a longer row extends its sheet's own list


def _serial(value: date) -> int | float:
    """Excel's serial number of a date or a naive datetime (days since 1899-12-30, time as a fraction)."""
    days = value.toordinal() - _EXCEL_EPOCH
    if isinstance(value, datetime):
        return days + (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return days


def _cell(ref: str, value, style: int = 0, *, keep_empty: bool = False) -> str:
    """One <c> of any value, "" for an empty one unless it is kept for its style (a header cell).

    `style` 0 gives dates, datetimes and money their formats. The rows' loop (_SheetXml.rows) writes the
    common plain types itself and comes here for the rest."""
    value = safe_value(value)
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>' if keep_empty and style else ""
    if isinstance(value, str):
        return _text_cell(ref, value, style)
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{style or _DATETIME}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style or _DATE}"><v>{_serial(value)}</v></c>'
    if isinstance(value, Decimal):
        if not value.is_finite():
            return _text_cell(ref, str(value), style)
        return f'<c r="{ref}" s="{style or _MONEY}"><v>{_decimal(value)}</v></c>'
    if isinstance(value, float):
        value = float(value)
        if value - value != 0:  # inf and nan: no number Excel can hold
            return _text_cell(ref, repr(value), style)
        return f'<c r="{ref}" s="{style or _ONE_DECIMAL}"><v>{value!r}</v></c>'
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'


def _decimal(value: Decimal) -> str:
    text = str(value)
    return format(value, "f") if "E" in text else text


def _text_cell(ref: str, text: str, style: int = 0) -> str:
    t = _t(text)
    if not t:
        return ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is>{t}</is></c>'


class _SheetXml:
    """One sheet's XML, written in blocks of rows to a temporary file, then compressed into the package.

    The file (not the package member itself) takes the stream because zipfile must choose a member's ZIP64
    form before writing it: streamed without, a sheet past 2 GB fails at the end; forced on, every member
    gets ZIP64 local headers that its central entry lacks, a form Excel has been reported to refuse or
    "repair". With the size known, only a sheet past 2 GB gets them (as openpyxl did). The extra write and
    read of the file costs little next to making the XML."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="xlsx-sheet-")
        self._size = 0
        self.money_chars: dict[str, int] = {}  # column letter → the widest amount written, as shown (1,234.50)

    def write(self, text: str) -> None:
        data = text.encode()
        self._size += len(data)
        self._file.write(data)

    def rows(self, rows: Iterator, number: int) -> int:
        """Write the data rows from row `number` on; return how many there were."""
        letters = list(_LETTERS)
        text_care, formula_start = _TEXT_CARE.search, _FORMULA_START
        local = timezone.get_current_timezone()  # once: timezone.localtime() looks it up for every value
        parts: list[str] = []
        add = parts.append
        count = 0
        money: dict[str, int] = {}  # column letter → the longest amount written, as stored (2350000.00)
        for row in rows:
            count += 1
            if type(row) is not list and type(row) is not tuple:
                row = list(row)
            if len(row) > len(letters):
                letters.extend(_column_letter(i) for i in range(len(letters), len(row)))
            r = str(number)
            number += 1
            add(f'<row r="{r}">')
            for letter, v in zip(letters, row):  # noqa: B905 - letters are longer
                t = type(v)
                if t is str:
                    # Letters and digits only (most cells, Chinese included): nothing to escape, no formula,
                    # no spaces to keep. One test instead of four.
                    if v.isalnum():
                        add(f'<c r="{letter}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                        continue
                    if not v:
                        continue
                    if v[0] in formula_start:
                        v = "'" + v
                    if text_care(v) or v.strip() != v:
                        t = _t(v)
                        if t:
                            add(f'<c r="{letter}{r}" t="inlineStr"><is>{t}</is></c>')
                    else:
                        add(f'<c r="{letter}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                elif v is None:
                    continue
                elif t is int:
                    add(f'<c r="{letter}{r}"><v>{v}</v></c>')
                elif t is date:
                    add(f'<c r="{letter}{r}" s="{_DATE}"><v>{v.toordinal() - _EXCEL_EPOCH}</v></c>')
                elif t is Decimal and v.is_finite():
                    v = str(v)
                    if "E" in v:
                        v = _decimal(Decimal(v))
                    add(f'<c r="{letter}{r}" s="{_MONEY}"><v>{v}</v></c>')
                    if len(v) > money.get(letter, 0):
                        money[letter] = len(v)
                elif t is datetime:
                    if v.utcoffset() is not None:
                        v = v.astimezone(local)
                    add(f'<c r="{letter}{r}" s="{_DATETIME}"><v>{_serial(v)!r}</v></c>')
                elif t is bool:
                    add(f'<c r="{letter}{r}" t="inlineStr"><is><t>{"是" if v else "否"}</t></is></c>')
                else:
                    add(_cell(f"{letter}{r}", v))
            add("</row>")
            if count % _ROWS_PER_WRITE == 0:
                self.write("".join(parts))
                parts.clear()
        self.write("".join(parts))
        for letter, n in money.items():  # "2350000.00" shows as 2,350,000.00: a separator per 3 digits
            whole = n - 3  # before the point (a minus sign counted as a digit: a little wider, never narrower)
            self.money_chars[letter] = n + max(whole - 1, 0) // 3
        return count

    def store(self, package: zipfile.ZipFile, name: str, *, head: str = "") -> None:
        """Compress the sheet into the package: `head` (what comes before the rows, written last since the
        column widths depend on every row), then the rows and the tail."""
        head_bytes = head.encode()
        self._file.seek(0)
        size = self._size + len(head_bytes)
        with self._file, package.open(name, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as out:
            out.write(head_bytes)
            shutil.copyfileobj(self._file, out, 1 << 20)


_SELECTED = ' tabSelected="1"'


def _sheet_head(header_row: int, widths: dict[int, int], *, selected: bool) -> str:
    """Everything before the first row: page fitted to the width, the frozen header, the column widths."""
    below = f"A{header_row + 1}"
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{_width(w)}" customWidth="1"/>'
                   for i, w in sorted(widths.items()))
    return (f'{_DECLARATION}<worksheet {_NS}>'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView{_SELECTED if selected else ""} workbookViewId="0">'
            f'<pane ySplit="{header_row}" topLeftCell="{below}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/>'
            '</sheetView></sheetViews>'
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            f'<cols>{cols}</cols><sheetData>')


def _width(width) -> str:
    return str(width) if isinstance(width, int) else repr(float(width))


def _sheet_tail(merges: str) -> str:
    """Everything after the rows, in the schema's order: merged titles, then A4 landscape printing one page
    wide, centred, with the page number in the footer."""
    merged = f'<mergeCells count="{merges.count("<mergeCell ")}">{merges}</mergeCells>' if merges else ""
    return ('</sheetData>' + merged
            + '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            '<headerFooter><oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter></headerFooter>'
            '</worksheet>')


# --- the package around the sheets -------------------------------------------------------------------

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_STYLES = (
    f'{_DECLARATION}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="4"><numFmt numFmtId="164" formatCode="{_xml_attr(DATE_FORMAT)}"/>'
    f'<numFmt numFmtId="165" formatCode="{_xml_attr(DATETIME_FORMAT)}"/>'
    f'<numFmt numFmtId="166" formatCode="{_xml_attr(MONEY_FORMAT)}"/>'
    f'<numFmt numFmtId="167" formatCode="{_xml_attr(ONE_DECIMAL_FORMAT)}"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>'
    '</fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    + "".join(f'<xf numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
              '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
              for font in (1, 2, 0))  # _HEADER, _TITLE1, _TITLE2
    + "".join(f'<xf numFmtId="{fmt}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              for fmt in (164, 165, 166, 167))  # _DATE, _DATETIME, _MONEY, _ONE_DECIMAL
    + '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    '</styleSheet>')


def _package_parts(sheets: list[tuple[str, int]]) -> dict[str, str]:
    """The parts besides the sheets: workbook (with each sheet's printed header row), styles, relations,
    content types and document properties."""
    n = len(sheets)
    names = "".join(f'<sheet name="{_xml_attr(title)}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, (title, _row) in enumerate(sheets, 1))
    printed = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{_xml_text(_quoted(title))}!${row}:${row}</definedName>"
        for i, (title, row) in enumerate(sheets))
    workbook = (f'{_DECLARATION}<workbook {_NS}><workbookPr/>'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f'<sheets>{names}</sheets><definedNames>{printed}</definedNames>'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    workbook_rels = (
        f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
    content_types = (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                  for i in range(1, n + 1))
        + '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    root_rels = (
        f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (f'{_DECLARATION}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>legalaid</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')
    app = (f'{_DECLARATION}<Properties '
           'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>Microsoft Excel</Application></Properties>')
    return {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": workbook_rels, "xl/styles.xml": _STYLES,
            "docProps/core.xml": core, "docProps/app.xml": app, "_rels/.rels": root_rels,
            "[Content_Types].xml": content_types}


def _quoted(title: str) -> str:
    """A sheet title as a formula names it: in quotes, a quote in it doubled."""
    return "'" + title.replace("'", "''") + "'"


def workbook_response(book: SafeWorkbook, filename: str) -> FileResponse:
    """Send a workbook through a temporary file (not memory), with a UTF-8 file name."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def chunked(qs, size: int = 2000) -> Iterator:
    """Iterate a queryset with a server-side cursor (PostgreSQL), keeping memory flat."""
    return qs.iterator(chunk_size=size)
