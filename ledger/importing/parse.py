"""Reading a ledger: file checks, streaming limits, every row parsed and checked (the first phase).

``parse_workbook`` reads the workbook (openpyxl read-only), sheet by sheet, and turns every row into clean
Python values (codes, dates, Decimals, ints), collecting every problem as ``sheet!row: column: message`` in
Chinese. Unknown sheets and columns are warnings. Rules between the cells of one row are ``row_rules``; rules
across rows and against the database are ledger.importing.checks.
"""

from __future__ import annotations

import os
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from core.cells import CellError, cell_text

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
    """A file past a limit while it is read (rows, columns, cell length, errors): nothing of it is kept."""


class Limits:
    """The streaming limits of one parse (core.files limits, settings UPLOAD_LIMITS)."""

    def __init__(self):
        from core.files import limit

        self.rows, self.columns = limit("xlsx_rows"), limit("xlsx_columns")
        self.cell_chars, self.errors = limit("cell_chars"), limit("errors_kept")
        self.seen = 0

    def row(self, parsed: Parsed, raw) -> None:
        self.seen += 1
        if self.seen > self.rows:
            raise LimitReached(f"文件超过 {self.rows:,} 行的上限，已停止读取；请拆分后分别导入")
        if len(raw) > self.columns and any(v not in (None, "") for v in raw[self.columns:]):
            raise LimitReached(f"文件超过 {self.columns} 列的上限，已停止读取")
        if len(parsed.errors) > self.errors:
            raise LimitReached(f"错误超过 {self.errors:,} 条，已停止校验；请按已列出的错误修改后重新上传")


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
            except UNREADABLE_SHEET:  # the sheet's XML is read as its rows are: a corrupt one fails here
                parsed.errors.append(f"{name.strip()}: 工作表内容已损坏，无法读取（不是有效的 Excel 文件）")
                return parsed
            parsed.sheets[name.strip()] = rows
    finally:
        wb.close()
    cross_checks(parsed)
    return parsed


def parse_sheet(ws, sheet: str, parsed: Parsed, stations: Stations, default_station,
                limits: Limits | None = None, tick: Callable[[int], None] | None = None) -> list[Row]:
    limits = limits or Limits()
    tick = tick or (lambda n: None)
    pending = 0
    cols = SHEETS[sheet]
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if header is None:
        return []
    positions: dict[str, int] = {}
    for idx, cell in enumerate(header):
        title = cell_text(cell)
        if not title:
            continue
        if any(c.header == title for c in cols):
            positions.setdefault(title, idx)
        else:
            parsed.warnings.append(f"{sheet}!1: {title}: 未知列，已忽略")
    missing = [c.header for c in cols if c.required and c.header not in positions]
    for title in missing:
        parsed.errors.append(f"{sheet}!1: {title}: 缺少必填列")
    if missing:
        return []
    rows: list[Row] = []
    active = [(c, positions.get(c.header)) for c in cols]
    for number, raw in enumerate(it, start=2):
        pending += 1
        if pending == 1000:
            tick(pending)
            pending = 0
        if raw is None:
            continue
        limits.row(parsed, raw)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        long = next((v for v in raw if isinstance(v, str) and len(v) > limits.cell_chars), None)
        if long is not None:
            parsed.errors.append(f"{sheet}!{number}: 单元格超过 {limits.cell_chars} 个字符的上限")
            continue
        values = {}
        row_ok = True
        for col, pos in active:
            value = raw[pos] if pos is not None and pos < len(raw) else None
            try:
                parsed_value = col.parse(value)
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
    return rows


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
