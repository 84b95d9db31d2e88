"""Reading a ledger: file checks, streaming limits, every row parsed and checked (the first phase).

``parse_workbook`` reads the workbook (openpyxl read-only), sheet by sheet, and turns every row into clean
Python values (codes, dates, Decimals, ints), collecting every problem as ``sheet!row: column: message`` in
Chinese. Unknown sheets and columns are warnings. Rules between the cells of one row are ``row_rules``; rules
across rows and against the database are ledger.importing.checks.

A sheet is read as its XML holds it (``sheet_rows``), whatever office software wrote it: not within the
dimension the sheet declares (WPS Office declares ``A1`` for any sheet, other writers leave a stale range), with
serial dates in the workbook's own date system (1900 or 1904), and with a formula that has no stored result told
apart from an empty cell (a file written by a generator that does not calculate). Only rows with a value count
toward the row limit: the empty rows a clerk formatted ahead count toward a looser bound of all rows.
"""

from __future__ import annotations

import os
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.utils.translation import gettext as _

from core.cells import CellError, cell_text, parse_date

from .checks import cross_checks
from .schema import SHEETS, ledger_sheets


@dataclass
class Row:
    number: int  # the Excel row number (the header is row 1)
    values: dict


@dataclass
class Parsed:
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.sheets.values())


def max_bytes() -> int:
    return int(getattr(settings, "LEDGER_MAX_BYTES", 20 * 1024 * 1024))


def check_file(path) -> str | None:
    """A file-level problem (too large, empty, not Excel, a part or a declared size past a limit) before any
    reading, or None (core.files.xlsx_problem: the zip directory and the first bytes of each sheet only)."""
    from core.files import xlsx_problem

    try:
        size = os.path.getsize(path)
    except OSError:
        return "文件已不存在，请重新上传"
    limit = max_bytes()
    if size > limit:
        return f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {limit / 1024 / 1024:.1f} MB"
    if size == 0:
        return "文件为空"
    if not zipfile.is_zipfile(path):
        return "不是有效的 Excel 文件（.xlsx）"
    return xlsx_problem(path)


class LimitReached(Exception):
    """A file past a limit while it is read (rows, columns, cell length, errors): nothing of it is kept.
    `errors`: the errors the rows read so far gave (the first ``errors_kept`` of them), to be listed before the
    limit's own message — "correct the errors listed" has to list them."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


class Limits:
    """The streaming limits of one parse (core.files limits, settings UPLOAD_LIMITS)."""

    def __init__(self):
        from core.files import limit

        self.rows, self.columns = limit("xlsx_rows"), limit("xlsx_columns")
        self.all_rows = limit("xlsx_all_rows")
        self.cell_chars, self.errors = limit("cell_chars"), limit("errors_kept")
        self.seen = 0  # rows with a value
        self.all_seen = 0  # rows of the sheets' XML, the empty ones a clerk formatted included

    def kept(self, parsed: Parsed) -> list[str]:
        """The errors found so far that a LimitReached carries: the first ``errors_kept``."""
        return parsed.errors[:self.errors]

    def row(self, parsed: Parsed, raw, *, filled: bool = True) -> None:
        """One row read: a row with a value (`filled`) counts toward the row limit; any row toward the bound
        of all rows, which keeps the time and memory of reading a sheet of formatted empty rows in check."""
        self.all_seen += 1
        if self.all_seen > self.all_rows:
            raise LimitReached(_("The file has more than %(limit)s rows, empty formatted rows included; delete "
                                 "the empty rows below the ledger's last row and upload it again.")
                               % {"limit": f"{self.all_rows:,}"}, self.kept(parsed))
        if filled:
            self.seen += 1
            if self.seen > self.rows:
                raise LimitReached(f"文件超过 {self.rows:,} 行的上限，已停止读取；请拆分后分别导入",
                                   self.kept(parsed))
        if len(raw) > self.columns and any(v not in (None, "") for v in raw[self.columns:]):
            raise LimitReached(f"文件超过 {self.columns} 列的上限，已停止读取", self.kept(parsed))
        if len(parsed.errors) > self.errors:
            raise LimitReached(f"错误超过 {self.errors:,} 条，已停止校验；请按已列出的错误修改后重新上传",
                               self.kept(parsed))


class Stations:
    """Station lookup by name or code; None is the center."""

    def __init__(self):
        from stations.models import Station

        self.by_key = {}
        self.short: dict[str, list] = defaultdict(list)
        for s in Station.objects.all():
            self.by_key[s.name] = s
            self.by_key[s.code] = s
            for short in {s.township, s.name.removesuffix("法律援助工作站").removesuffix("工作站")} - {""}:
                self.short[short].append(s)

    def get(self, text: str):
        """By exact name or code, else by a short name (城关镇 for 城关镇法律援助工作站) when unambiguous."""
        text = (text or "").strip()
        found = self.by_key.get(text)
        if found is None and len(self.short.get(text, [])) == 1:
            found = self.short[text][0]
        return found


def _unreadable_sheet() -> tuple[type[BaseException], ...]:
    """What reading a corrupt sheet raises: XML that does not parse (or that defusedxml refuses), a member
    of the archive that does not decompress."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    found: list[type[BaseException]] = [ParseError, zipfile.BadZipFile, zlib.error, EOFError]
    try:
        from defusedxml import DefusedXmlException

        found.append(DefusedXmlException)
    except ImportError:  # openpyxl reads with the standard library's parser then
        pass
    return tuple(found)


UNREADABLE_SHEET = _unreadable_sheet()
# What openpyxl raises for a corrupt cell as it reads a row: a number cell that is no number (`<v>abc</v>`),
# a shared string the workbook does not have, a cell reference that is none (r="!!"), a date out of range.
CORRUPT_CELL = (ValueError, IndexError, KeyError, TypeError, OverflowError)
UNREADABLE_MESSAGE = "工作表内容已损坏，无法读取（不是有效的 Excel 文件）"


class UnreadableSheet(Exception):
    """A sheet whose XML or one of whose cells cannot be read; `row` is the row of a corrupt cell, if known."""

    def __init__(self, row: int | None = None):
        super().__init__(row)
        self.row = row


class _Uncalculated:
    """A formula cell saved without its result (the file was never calculated): not an empty cell."""

    def __repr__(self) -> str:
        return "<formula without a result>"


UNCALCULATED = _Uncalculated()


def _values_parser():
    """openpyxl's own sheet parser (data only), which tells a formula without a stored result from an empty
    cell and keeps no per-row dimensions (a sheet of formatted rows would fill memory with them)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class ValuesParser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                # No stored result: no <v>, or an empty one that is no text (openpyxl writes <v></v>); a
                # formula whose result is the empty text is stored as t="str" with an empty <v>.
                stored = element.findtext(VALUE_TAG)
                if stored is None or (not stored and element.get("t", "n") not in ("str", "s", "inlineStr")):
                    cell["value"] = UNCALCULATED
            return cell

        def parse_row(self, row):
            r = row.get("r")
            if r is None:
                self.row_counter += 1
            else:
                try:
                    self.row_counter = int(r)
                except ValueError:
                    number = float(r)  # "2.0" as some writers put it; anything else is a corrupt row
                    if not number.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    self.row_counter = int(number)
            self.col_counter = 0
            return self.row_counter, [self.parse_cell(el) for el in row]

    return ValuesParser


def sheet_rows(ws) -> Iterator[tuple[int, list]]:
    """(row number, cell values from column A on) of every row a read-only worksheet's XML holds, in the
    workbook's date system; a row's list ends at its last cell. Rows the XML leaves out are not made up, and the
    sheet's declared dimension is not read. Raises UnreadableSheet for a sheet or cell that cannot be read.

    This is openpyxl's read-only row reader (ReadOnlyWorksheet._cells_by_row) with its parser told to keep
    formulas without a result apart (``UNCALCULATED``); it reads the same parts of the archive once. It leans
    on openpyxl 3.1's internals (the worksheet's source, the workbook's date formats), which
    tests/ledger/test_audit_office_files.py and test_office_quirks.py exercise."""
    wb = ws.parent
    parser = None
    try:
        with ws._get_source() as src:
            parser = _values_parser()(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                      date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for number, cells in parser.parse():
                values = [None] * max((c["column"] for c in cells), default=0)
                for c in cells:
                    if c["column"] >= 1:
                        values[c["column"] - 1] = c["value"]
                yield number, values
    except UNREADABLE_SHEET:  # the XML does not parse, the part does not decompress
        raise UnreadableSheet() from None
    except CORRUPT_CELL:
        raise UnreadableSheet(parser.row_counter if parser is not None and parser.row_counter else None) from None


def parse_workbook(path, *, default_station=None, progress: Callable[..., None] | None = None) -> Parsed:
    """Read and check every row. `progress(done, total, base=0, span=50)` is called as the rows are read
    (core.jobs.Progress: checking is the first half of a job's bar, writing the second)."""
    from openpyxl import load_workbook

    parsed = Parsed()
    problem = check_file(path)
    if problem:
        parsed.errors.append(problem)
        return parsed
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable archive
        parsed.errors.append("不是有效的 Excel 文件（.xlsx）")
        return parsed
    stations = Stations()
    limits = Limits()
    try:
        present = [name for name in wb.sheetnames if name.strip() in SHEETS]
        for name in wb.sheetnames:
            if name.strip() not in SHEETS:
                parsed.warnings.append(f"{name}: 不是台账工作表，已忽略")
        if not present:
            parsed.errors.append(f"文件中没有台账工作表（{'、'.join(ledger_sheets())}）")
            return parsed
        # the declared dimensions (checked against the limits already); rows actually read may be fewer
        total_hint = sum(max((wb[name].max_row or 1) - 1, 0) for name in present) or 1
        read = [0]

        def tick(n: int) -> None:
            read[0] += n
            if progress:
                progress(min(read[0], total_hint), total_hint, base=0, span=50)

        for name in present:
            try:
                rows = parse_sheet(wb[name], name.strip(), parsed, stations, default_station, limits, tick=tick)
            except UnreadableSheet as exc:  # the sheet's XML is read as its rows are: a corrupt one fails here
                where = f"{name.strip()}!{exc.row}" if exc.row else name.strip()
                parsed.errors.append(f"{where}: {UNREADABLE_MESSAGE}")
                return parsed
            parsed.sheets[name.strip()] = rows
    finally:
        wb.close()
    cross_checks(parsed)
    return parsed


def parse_sheet(ws, sheet: str, parsed: Parsed, stations: Stations, default_station,
                limits: Limits | None = None, tick: Callable[[int], None] | None = None) -> list[Row]:
    with closing(sheet_rows(ws)) as it:  # the sheet's part is closed even when its rows are not all read
        return _read_rows(it, getattr(ws.parent, "epoch", None), sheet, parsed, stations, default_station,
                          limits or Limits(), tick or (lambda n: None))


def _read_rows(it: Iterator[tuple[int, list]], epoch, sheet: str, parsed: Parsed, stations: Stations,
               default_station, limits: Limits, tick: Callable[[int], None]) -> list[Row]:
    pending = 0
    cols = SHEETS[sheet]
    first = next(it, None)
    if first is None:
        return []
    # The header is row 1; a sheet whose row 1 is empty (or absent) has no header, and its rows are not read.
    header = first[1] if first[0] == 1 else []
    positions: dict[str, int] = {}
    repeated: dict[int, str] = {}  # the position of a column whose header is a ledger column already seen
    for idx, cell in enumerate(header):
        title = cell_text(cell) if cell is not UNCALCULATED else ""
        if not title:
            continue
        if any(c.header == title for c in cols):
            if title in positions:
                repeated[idx] = title
            else:
                positions[title] = idx
        else:
            parsed.warnings.append(f"{sheet}!1: {title}: 未知列，已忽略")
    missing = [c.header for c in cols if c.required and c.header not in positions]
    for title in missing:
        parsed.errors.append(f"{sheet}!1: {title}: 缺少必填列")
    if missing:
        return []
    rows: list[Row] = []
    # Each column is read with its parser; a serial-number date in the workbook's own date system.
    active = [(c, positions.get(c.header), partial(parse_date, epoch=epoch) if c.parse is parse_date else c.parse)
              for c in cols]
    filled_repeat: dict[int, int] = {}  # a repeated column's position -> the first row with a value in it
    for number, raw in it:
        pending += 1
        if pending == 1000:
            tick(pending)
            pending = 0
        filled = any(_has_value(v) for v in raw)
        limits.row(parsed, raw, filled=filled)
        if not filled or number == 1:
            continue
        long = next((i for i, v in enumerate(raw) if isinstance(v, str) and len(v) > limits.cell_chars), None)
        if long is not None:
            parsed.errors.append(f"{sheet}!{number}: {_column_name(header, long)}: "
                                 f"单元格超过 {limits.cell_chars} 个字符的上限")
            continue
        for pos in repeated:
            if pos not in filled_repeat and pos < len(raw) and _has_value(raw[pos]):
                filled_repeat[pos] = number
        values = {}
        row_ok = True
        for col, pos, parse in active:
            value = raw[pos] if pos is not None and pos < len(raw) else None
            if value is UNCALCULATED:
                parsed.errors.append(f"{sheet}!{number}: {col.header}: " + _(
                    "The formula has no calculated result: open the file in Excel or WPS, save it and import it "
                    "again."))
                row_ok = False
                continue
            try:
                parsed_value = parse(value)
            except CellError as exc:
                parsed.errors.append(f"{sheet}!{number}: {col.header}: {exc}")
                row_ok = False
                continue
            if parsed_value is None or parsed_value == "" or parsed_value == []:
                if col.required:
                    parsed.errors.append(f"{sheet}!{number}: {col.header}: 必填，不能为空")
                    row_ok = False
                    continue
                parsed_value = col.default if not isinstance(col.default, list) else []
            values[col.key] = parsed_value
        if "station" in values:
            text = values["station"]
            if text:
                station = stations.get(text)
                if station is None:
                    parsed.errors.append(f"{sheet}!{number}: 工作站: 未知的工作站「{text}」")
                    row_ok = False
                values["station"] = station
            else:
                values["station"] = default_station
        if row_ok:
            def warn(column: str, message: str, _number=number) -> None:
                parsed.warnings.append(f"{sheet}!{_number}: {column}: {message}")

            error = row_rules(sheet, values, warn)
            if error:
                parsed.errors.append(f"{sheet}!{number}: {error[0]}: {error[1]}")
                row_ok = False
        rows.append(Row(number, values))
    tick(pending)
    _repeated_columns(sheet, parsed, positions, repeated, filled_repeat)
    return rows


def _column_name(header: list, pos: int) -> str:
    """The header of the column at `pos` (0-based), as an error names it; a column without one by its letter."""
    from openpyxl.utils import get_column_letter

    title = header[pos] if pos < len(header) else None
    title = cell_text(title) if title is not UNCALCULATED else ""
    return title or _("column %(letter)s") % {"letter": get_column_letter(pos + 1)}


def _has_value(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _repeated_columns(sheet: str, parsed: Parsed, positions: dict[str, int], repeated: dict[int, str],
                      filled: dict[int, int]) -> None:
    """A ledger column that appears twice is read from its first place: a warning when the other place is
    empty in every row (nothing is lost), an error when it holds values (which of the two is right only the
    clerk knows: the file is refused until one is deleted)."""
    from openpyxl.utils import get_column_letter

    for pos, title in repeated.items():
        first, again = get_column_letter(positions[title] + 1), get_column_letter(pos + 1)
        if pos in filled:
            parsed.errors.append(f"{sheet}!1: {title}: " + _(
                "The column appears twice (columns %(first)s and %(again)s) and column %(again)s holds values "
                "(row %(row)s first); keep one of the two columns and import again.") % {
                "first": first, "again": again, "row": filled[pos]})
        else:
            parsed.warnings.append(f"{sheet}!1: {title}: " + _(
                "The column appears again in column %(again)s, empty in every row: ignored.") % {"again": again})


PAST_DATES = {"accepted_on": "受理日期", "assigned_on": "指派日期", "closed_on": "结案日期",
              "subsidy_paid_on": "补贴发放日期", "date": "日期"}


def row_rules(sheet: str, v: dict, warn: Callable[[str, str], None]) -> tuple[str, str] | None:
    """Rules between cells of one row: (column, message) for an error, else None.

    Only what LEDGER.md makes an error (or what no record could hold) refuses the file; an
    inconsistency the contract does not name is a warning, and the cell that cannot be kept is left out.
    """
    from django.utils import timezone

    today = timezone.localdate()
    for key, header in PAST_DATES.items():
        if v.get(key) and v[key] > today:
            return header, "不能晚于今天"
    if sheet == "经费预算" and v.get("year") and v["year"] > today.year + 1:
        return "年度", f"预算最多录入到明年（{today.year + 1}年）"
    if sheet == "案件":
        if v["source"] is None:
            # An empty 案件来源 is 申请, except that a notifying organ on a criminal case says 通知辩护.
            v["source"] = "notice" if v.get("organ") and v["category"] == "criminal" else "application"
        accepted = v["accepted_on"]
        if v.get("assigned_on") and v["assigned_on"] < accepted:
            return "指派日期", "早于受理日期"
        if v.get("closed_on") and v["closed_on"] < accepted:
            return "结案日期", "早于受理日期"
        if v["source"] == "notice" and v["category"] != "criminal":
            return "案件来源", "通知辩护只适用于刑事案件"
        if v.get("closed_on") and v.get("assigned_on") and v["closed_on"] < v["assigned_on"]:
            warn("结案日期", "早于指派日期，请核对")
        if v.get("grade") and not v.get("closed_on"):
            warn("质量等级", "案件没有结案日期，质量等级已记录但不计入任何期间的质量统计")
        if v.get("subsidy_paid_on") and v.get("subsidy_amount") is None:
            warn("补贴发放日期", "没有补贴金额，已忽略")
            v["subsidy_paid_on"] = None
        if v.get("assigned_on") and not v.get("handler"):
            warn("承办人", "有指派日期但没有承办人，案件导入为已指派，请补充承办人")
        if (v.get("handler_kind") or v.get("provider")) and not v.get("handler"):
            warn("承办人类型", "没有承办人，承办人类型和承办机构已忽略")
            v["handler_kind"], v["provider"] = "", ""
        if v.get("organ") and v["source"] != "notice":
            warn("通知机关", "只适用于通知辩护案件，已忽略")
            v["organ"] = ""
        if v.get("birth_date") and v["birth_date"] > accepted:
            warn("出生日期", "晚于受理日期，已忽略")
            v["birth_date"] = None
    if sheet == "经费预算" and not (1900 <= v["year"] <= 2100):
        return "年度", "不是有效的年度"
    return None
