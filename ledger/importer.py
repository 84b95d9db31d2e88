"""Import of the Excel ledger (LEDGER.md): parse, validate every row, then write all or nothing.

Two phases:

* ``parse_workbook`` reads the workbook (openpyxl read-only), sheet by sheet, and turns every row into
  clean Python values (codes, dates, Decimals, ints), collecting every problem as
  ``sheet!row: column: message`` in Chinese. Unknown sheets and columns are warnings.
* ``write`` creates the records inside one transaction. Cases are built in bulk as
  ``cases.services.case_open`` builds them (numbering, derived groups, litigation flag, deadlines); every
  table, history included, is written with PostgreSQL COPY in batches of 5,000 rows (``_bulk``).

Decisions (documented, see also the report of issue 7):

* Re-import: a 案件 row with 案号 matches the case with that number and changes nothing ("matched").
  Every other row is matched on content: a fingerprint (sha256 of the normalised row values) is stored in
  ``import_fingerprint``; records typed in by hand get theirs computed from their fields, so an exported
  list re-imports without duplicates. Repeats count: n identical rows where m already exist add n - m.
* Row inconsistencies LEDGER.md does not name (closing before assignment, a grade or a payment date
  without what it belongs to, an organ on an applied case, a type or firm without a handler) are warnings;
  the row is imported and the cell that cannot be kept is left out. Errors are what the contract names
  and what no record could hold (a date in the future, 通知辩护 on a case that is not criminal).
* A graded closed case stays ``closed`` (archiving needs an archive review the ledger does not record);
  ``graded_on`` is the closing date.
* 结案方式 终止 makes the case terminated even without a 结案日期 (its date is then unknown: it counts in no
  period's ``cases.terminated`` and is never open at an end date). Any other 结案方式 without a 结案日期 is
  kept on the case, which is not closed: only a date closes a case.
* A 案号 is kept as written. Its 第N号 takes place N in the center's sequence for the acceptance year and
  category, so later numbers follow it; a number without 第…号, or a second number with a 序号 already
  taken (old ledgers kept a sequence per station or per kind), is imported with a warning and seq 0
  (outside the sequence) rather than refusing the file.
* An empty 案件来源 is 申请, except on a 刑事 row that names a 通知机关, which is 通知辩护.
* 补贴金额 creates a ``funding.Subsidy`` (paid when 补贴发放日期 is given); it does not post
  ``funding.Spending``, because the ledger's own 经费支出 sheet carries the spending and posting both would
  count the money twice.
* Cases are written in bulk by ``build_case``, which derives exactly what ``case_open`` derives (number,
  litigation flag, groups at acceptance, assignment deadline; a test compares the two). Numbers for rows
  without 案号 are reserved in one gapless block per year and kind, after the ledger's own numbers
  (``bump_to_at_least``). Later deadlines (agreement, file submission) are left empty for imported history,
  so years-old cases do not flood the overdue lists; assignments get no document numbers.
* A case's handler type is the row's own 承办人类型 (STATISTICS.md: facts as they were), stored on the case
  and its assignment (``handler_kind``); a row without one takes the roster's type. A handler new to the
  roster takes the first type the file gives for that name and firm; an existing handler's type is never
  changed by a row. When one name at one firm comes with different types (rows of the file, or a row and
  the roster), a warning names the rows and types and every row is imported with its own type.
* Masked ID numbers and phones (``110101********123X``, from an export without full rights) are accepted
  in 案件 and 咨询 but never stored; 困难群体 needs the full number.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.choices import (
    AID_FORM,
    CATEGORY,
    CAUSE,
    CHANNEL,
    CONSULTATION_OUTCOME,
    DERIVED_GROUPS,
    FUNDING_SOURCE,
    GRADE,
    GROUP,
    HANDLER_KIND,
    MATTER_KIND,
    MEDIA_LEVEL,
    ORGAN,
    PUBLICITY_FORM,
    REGISTRY_CATEGORY,
    SEX,
    SOURCE,
    SPENDING_CATEGORY,
    STAGE,
    TOPIC,
)

from .exporters import COLUMNS

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEDGER_SHEETS = ["案件", "咨询", "宣传活动", "媒体报道", "值班与代书", "经费预算", "经费支出", "困难群体"]
LIST_SPLIT = re.compile(r"[、,，;；]")
SEQ_PATTERN = re.compile(r"第\s*(\d+)\s*号")
YEAR_PATTERN = re.compile(r"[（(]\s*(\d{4})\s*[）)]")
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]
OUTCOME_FROM_LEDGER = {
    "判决": "judgment", "调解": "mediation", "和解": "settlement", "撤诉": "withdrawal",
    "仲裁裁决": "arbitration", "不起诉": "non_prosecution", "其他": "other", "终止": "terminated",
}
MAX_MONEY = Decimal("999999999999.99")
BATCH = 500  # psycopg converts very large INSERTs slowly; 500 rows per statement is the sweet spot


class CellError(Exception):
    """A cell that cannot be read; the message is Chinese and goes after ``sheet!row: column:``."""


# ---- cells --------------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Undo the formula guard of core.xlsx (a leading apostrophe before = + - @).
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def parse_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise CellError(f"日期格式无法识别「{_text(value)}」")
    text = _text(value)
    head = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}[-/]", text) else text
    for pattern in DATE_PATTERNS:
        m = pattern.match(head)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"不是有效的日期「{text}」") from None
    raise CellError(f"日期格式无法识别「{text}」，应为 2025-03-07、2025/3/7 或 2025年3月7日")


def parse_money(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"金额格式无法识别「{value}」")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = _text(value).replace(" ", "")
        if text.endswith("元"):
            text = text[:-1]
        text = text.lstrip("¥￥").replace(",", "").replace("，", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"金额格式无法识别「{_text(value)}」") from None
    if not amount.is_finite():
        raise CellError(f"金额格式无法识别「{_text(value)}」")
    if amount < 0:
        raise CellError("金额不能为负数")
    if amount > MAX_MONEY:
        raise CellError("金额过大")
    return amount.quantize(Decimal("0.01"))


def parse_int(value, *, minimum: int = 0) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"应为整数「{value}」")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"应为整数「{_text(value)}」")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = _text(value).replace(",", "")
        if text.endswith(("人次", "份")):
            text = text.rstrip("人次份")
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"应为整数「{_text(value)}」")
        number = int(text)
    if number < minimum:
        raise CellError(f"应为不小于 {minimum} 的整数")
    if number > 2_000_000_000:
        raise CellError("数值过大")
    return number


def parse_bool(value) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text == "是":
        return True
    if text == "否":
        return False
    raise CellError(f"应为「是」或「否」，而不是「{text}」")


def choice(vocab, terms: dict[str, str] | None = None):
    def parse(value):
        allowed = terms or vocab.by_zh  # read at each row: a term added in the admin is accepted at once
        text = _text(value)
        if not text:
            return None
        code = allowed.get(text)
        if code is None:
            raise CellError(f"无效的取值「{text}」，应为 {'/'.join(allowed)}")
        return code

    return parse


def group_list(value) -> list[str]:
    text = _text(value)
    if not text:
        return []
    codes = []
    for part in LIST_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        code = GROUP.from_zh(part)
        if code is None:
            raise CellError(f"未知的人群类别「{part}」，应为 {'/'.join(GROUP.by_zh)}")
        if code not in codes:
            codes.append(code)
    return [c for c in GROUP.codes if c in codes]


def text_of(max_length: int):
    def parse(value):
        text = _text(value)
        if len(text) > max_length:
            raise CellError(f"内容过长（最多 {max_length} 个字）")
        return text

    return parse


def long_text(value) -> str:
    return _text(value)


def is_masked(text: str) -> bool:
    return "*" in text


def id_number(value) -> str:
    """A resident ID number, checked; a masked number (from an export) passes as masked."""
    from applicants import idcard

    text = idcard.normalise(_text(value))
    if not text or is_masked(text):
        return text
    try:
        idcard.parse(text)
    except ValidationError as exc:
        code = getattr(exc, "code", "")
        if code == "id_check_digit":
            raise CellError("校验位错误") from None
        if code == "id_birth":
            raise CellError("号码中的出生日期无效") from None
        raise CellError("格式错误，应为18位（17位数字加1位数字或X）") from None
    return text


# ---- sheet definitions --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    header: str
    key: str
    parse: Callable
    required: bool = False
    default: object = None


SHEETS: dict[str, list[Col]] = {
    "案件": [
        Col("案号", "number", text_of(60)),
        Col("受理日期", "accepted_on", parse_date, True),
        Col("案件类别", "category", choice(CATEGORY), True),
        Col("案件来源", "source", choice(SOURCE), default=None),  # resolved in _row_rules
        Col("通知机关", "organ", choice(ORGAN), default=""),
        Col("诉讼阶段", "stage", choice(STAGE), default=""),
        Col("援助形式", "aid_form", choice(AID_FORM), default=""),
        Col("案由", "cause", choice(CAUSE), default=""),
        Col("受援人姓名", "name", text_of(50), True),
        Col("证件号码", "id_number", id_number, default=""),
        Col("性别", "sex", choice(SEX), default=""),
        Col("出生日期", "birth_date", parse_date),
        Col("人群类别", "groups", group_list, default=[]),
        Col("群体性案件", "is_mass", parse_bool, default=False),
        Col("受援人数", "recipient_count", lambda v: parse_int(v, minimum=1), default=1),
        Col("承办人", "handler", text_of(50), default=""),
        Col("承办人类型", "handler_kind", choice(HANDLER_KIND), default=""),
        Col("承办机构", "provider", text_of(100), default=""),
        Col("指派日期", "assigned_on", parse_date),
        Col("结案日期", "closed_on", parse_date),
        Col("结案方式", "outcome", choice(None, OUTCOME_FROM_LEDGER), default=""),
        Col("挽回经济损失", "amount_recovered", parse_money),
        Col("涉案金额", "amount_involved", parse_money),
        Col("质量等级", "grade", choice(GRADE), default=""),
        Col("补贴金额", "subsidy_amount", parse_money),
        Col("补贴发放日期", "subsidy_paid_on", parse_date),
        Col("工作站", "station", text_of(100), default=""),
    ],
    "咨询": [
        Col("日期", "date", parse_date, True),
        Col("方式", "channel", choice(CHANNEL), True),
        Col("工作站", "station", text_of(100), default=""),
        Col("姓名", "name", text_of(50), default=""),
        Col("性别", "sex", choice(SEX), default=""),
        Col("电话", "phone", text_of(20), default=""),
        Col("人群类别", "groups", group_list, default=[]),
        Col("事项类别", "topic", choice(TOPIC), default=""),
        Col("内容摘要", "summary", long_text, default=""),
        Col("答复", "answer", long_text, default=""),
        Col("处理结果", "outcome", choice(CONSULTATION_OUTCOME), default="answered"),
        Col("人次", "person_count", lambda v: parse_int(v, minimum=1), default=1),
    ],
    "宣传活动": [
        Col("日期", "date", parse_date, True),
        Col("活动名称", "title", text_of(200), True),
        Col("活动形式", "form", choice(PUBLICITY_FORM), default="other"),
        Col("地点", "place", text_of(200), default=""),
        Col("工作站", "station", text_of(100), default=""),
        Col("发放资料", "materials", parse_int, default=0),
        Col("现场咨询", "onsite", parse_int, default=0),
        Col("受众", "audience", parse_int, default=0),
    ],
    "媒体报道": [
        Col("日期", "date", parse_date, True),
        Col("媒体", "outlet", text_of(100), True),
        Col("级别", "level", choice(MEDIA_LEVEL), default="county"),
        Col("标题", "title", text_of(200), default=""),
        Col("链接", "link", text_of(500), default=""),
    ],
    "值班与代书": [
        Col("日期", "date", parse_date, True),
        Col("类型", "kind", choice(MATTER_KIND), True),
        Col("地点", "place", text_of(100), default=""),
        Col("律师", "lawyer", text_of(50), default=""),
        Col("姓名", "name", text_of(50), default=""),
        Col("认罪认罚", "plea", parse_bool, default=False),
        Col("人次", "person_count", lambda v: parse_int(v, minimum=1), default=1),
    ],
    "经费预算": [
        Col("年度", "year", lambda v: parse_int(v, minimum=1), True),
        Col("来源", "source", choice(FUNDING_SOURCE), True),
        Col("金额", "amount", parse_money, True),
    ],
    "经费支出": [
        Col("日期", "date", parse_date, True),
        Col("类别", "category", choice(SPENDING_CATEGORY), True),
        Col("金额", "amount", parse_money, True),
        Col("说明", "description", text_of(200), default=""),
    ],
    "困难群体": [
        Col("姓名", "name", text_of(50), True),
        Col("证件号码", "id_number", id_number, True),
        Col("类别", "category", choice(REGISTRY_CATEGORY), True),
        Col("来源单位", "source", text_of(100), default=""),
        Col("有效期至", "valid_until", parse_date),
    ],
}
assert all([c.header for c in cols] == COLUMNS[name] for name, cols in SHEETS.items())


# ---- results ------------------------------------------------------------------------------------------

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


@dataclass
class Result:
    counts: dict = field(default_factory=dict)  # sheet -> {"rows", "created", "matched"}
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [f"{sheet}: {c['rows']} 行，新增 {c['created']}，已存在 {c['matched']}"
                for sheet, c in self.counts.items()]


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


# ---- parse & validate ---------------------------------------------------------------------------------

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
            parsed.errors.append(f"文件中没有台账工作表（{'、'.join(LEDGER_SHEETS)}）")
            return parsed
        # the declared dimensions (checked against the limits already); rows actually read may be fewer
        total_hint = sum(max((wb[name].max_row or 1) - 1, 0) for name in present) or 1
        read = [0]

        def tick(n: int) -> None:
            read[0] += n
            if progress:
                progress(min(read[0], total_hint), total_hint, base=0, span=50)

        for name in present:
            rows = _parse_sheet(wb[name], name.strip(), parsed, stations, default_station, limits, tick=tick)
            parsed.sheets[name.strip()] = rows
    finally:
        wb.close()
    _cross_checks(parsed)
    return parsed


def _parse_sheet(ws, sheet: str, parsed: Parsed, stations: Stations, default_station,
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
        title = _text(cell)
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

            error = _row_rules(sheet, values, warn)
            if error:
                parsed.errors.append(f"{sheet}!{number}: {error[0]}: {error[1]}")
                row_ok = False
        rows.append(Row(number, values))
    tick(pending)
    return rows


PAST_DATES = {"accepted_on": "受理日期", "assigned_on": "指派日期", "closed_on": "结案日期",
              "subsidy_paid_on": "补贴发放日期", "date": "日期"}


def _row_rules(sheet: str, v: dict, warn: Callable[[str, str], None]) -> tuple[str, str] | None:
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


def _cross_checks(parsed: Parsed) -> None:
    """Rules across rows and against the database: case numbers unique and free."""
    from cases.models import Case
    from funding.models import BudgetYearLock

    rows = parsed.sheets.get("案件", [])
    seen: dict[str, int] = {}
    keys: dict[tuple, int] = {}
    numbers = [r.values["number"] for r in rows if r.values.get("number")]
    existing = {}
    for i in range(0, len(numbers), 5000):
        for c in Case.objects.filter(number__in=numbers[i:i + 5000]).only("number", "year", "category", "seq"):
            existing[c.number] = c
    taken: set[tuple] = set()
    wanted = {(r.values["accepted_on"].year, r.values["category"]) for r in rows if r.values.get("number")}
    if wanted:
        from django.db.models import Q

        q = Q()
        for year, category in wanted:
            q |= Q(year=year, category=category)
        taken = set(Case.objects.filter(q).values_list("year", "category", "seq"))
    for row in rows:
        number = row.values.get("number")
        if not number:
            continue
        if number in seen:
            parsed.errors.append(f"案件!{row.number}: 案号: 与第 {seen[number]} 行重复")
            continue
        seen[number] = row.number
        if number in existing:
            case = existing[number]
            if case.category != row.values["category"]:
                parsed.errors.append(f"案件!{row.number}: 案件类别: 与已有案件 {number} 的类别不一致")
            continue
        # A ledger number outside this center's own sequence keeps its text but takes seq 0 (no place in
        # the sequence): a number without 第…号, or a second number with the same 序号 (separate sequences
        # per station or per kind in the old ledgers). Refusing would block a whole file over a number.
        m = SEQ_PATTERN.search(number)
        row.values["seq"] = 0
        if not m or int(m[1]) == 0:
            parsed.warnings.append(f"案件!{row.number}: 案号: 「{number}」不含“第…号”序号，保留原案号，不参与本系统编号")
            continue
        key = (row.values["accepted_on"].year, row.values["category"], int(m[1]))
        if key in keys or key in taken:
            parsed.warnings.append(f"案件!{row.number}: 案号: 序号 {key[2]} 在 {key[0]} 年{CATEGORY.zh[key[1]]}案件中"
                                   f"已被其他案号使用，保留原案号，不参与本系统编号")
            continue
        row.values["seq"] = key[2]
        keys[key] = row.number
        ym = YEAR_PATTERN.search(number)
        if ym and int(ym[1]) != key[0]:
            parsed.warnings.append(f"案件!{row.number}: 案号: 案号年度 {ym[1]} 与受理日期年度 {key[0]} 不同，按受理年度编号")
    locked = set(BudgetYearLock.objects.values_list("year", flat=True))
    if locked:
        for row in parsed.sheets.get("经费支出", []):
            if row.values.get("date") and row.values["date"].year in locked:
                parsed.errors.append(f"经费支出!{row.number}: 日期: {row.values['date'].year} 年度经费已结账，不能再记支出")


# ---- fingerprints -------------------------------------------------------------------------------------

def _norm(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(_norm(v) for v in value))
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def fingerprint(sheet: str, parts: list) -> str:
    text = "\x1f".join([sheet, *(_norm(p) for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()


def _masked_phone(phone: str) -> str:
    from applicants.idcard import mask_phone

    return mask_phone(phone) if phone and not is_masked(phone) else phone


def _masked_id(number: str) -> str:
    from applicants.idcard import mask

    return mask(number) if number and not is_masked(number) else number


def _station_id(station) -> int | None:
    return station.pk if station is not None and hasattr(station, "pk") else station


# Per sheet: the content that identifies a row, from the parsed row and from a stored record.
def _fp_parts_row(sheet: str, v: dict) -> list:
    if sheet == "咨询":
        return [v["date"], v["channel"], _station_id(v["station"]), v["name"], v["sex"],
                _masked_phone(v["phone"]), v["groups"], v["topic"], v["summary"], v["answer"], v["outcome"],
                v["person_count"]]
    if sheet == "宣传活动":
        return [v["date"], v["title"], v["form"], v["place"], _station_id(v["station"]), v["materials"],
                v["onsite"], v["audience"]]
    if sheet == "媒体报道":
        return [v["date"], v["outlet"], v["level"], v["title"], v["link"]]
    if sheet == "值班与代书":
        return [v["date"], v["kind"], v["place"], v["lawyer"], v["name"], v["plea"], v["person_count"]]
    if sheet == "经费预算":
        return [v["year"], v["source"], v["amount"]]
    if sheet == "经费支出":
        return [v["date"], v["category"], v["amount"], v["description"]]
    if sheet == "困难群体":
        return [v["name"], _masked_id(v["id_number"]), v["category"], v["source"], v["valid_until"]]
    if sheet == "案件":
        return [v.get(c.key) if c.key != "id_number" else _masked_id(v["id_number"])
                for c in SHEETS["案件"] if c.key != "station"] + [_station_id(v["station"])]
    raise KeyError(sheet)


def _fp_parts_obj(sheet: str, o) -> list:
    if sheet == "咨询":
        from .exporters import consultation_person

        name, sex, phone = consultation_person(o)
        return [o.occurred_at.astimezone(SHANGHAI).date(), o.channel, o.station_id, name, sex,
                _masked_phone(phone), o.person_groups, o.topic, o.summary, o.answer, o.outcome,
                o.person_count]
    if sheet == "宣传活动":
        return [o.date, o.title, o.form, o.place, o.station_id, o.materials, o.onsite, o.audience]
    if sheet == "媒体报道":
        return [o.date, o.outlet, o.level, o.title, o.link]
    if sheet == "值班与代书":
        lawyer = o.lawyer_name or (o.handler.name if o.handler_id else "")
        name = o.person_name or (o.person.name if o.person_id else "")
        return [o.date, o.kind, o.place, lawyer, name, o.plea, o.person_count]
    if sheet == "经费预算":
        return [o.year, o.source, o.amount]
    if sheet == "经费支出":
        return [o.date, o.category, o.amount, o.description]
    if sheet == "困难群体":
        return [o.name, _masked_id(o.id_number), o.category, o.source, o.valid_until]
    raise KeyError(sheet)


def _existing_fingerprints(sheet: str, model, rows: list[Row]) -> Counter:
    """Fingerprints of the records already there that rows of this file could repeat."""
    qs = model.objects.all()
    dates = [r.values["date"] for r in rows if r.values.get("date")]
    if sheet == "咨询" and dates:
        start = datetime.combine(min(dates), time.min, SHANGHAI)
        end = datetime.combine(max(dates) + timedelta(days=1), time.min, SHANGHAI)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    elif dates:
        qs = qs.filter(date__gte=min(dates), date__lte=max(dates))
    if sheet in {"值班与代书", "咨询"}:
        qs = qs.select_related("person", *(["handler"] if sheet == "值班与代书" else []))
    found = Counter()
    for obj in qs.iterator(chunk_size=5000):
        found[obj.import_fingerprint or fingerprint(sheet, _fp_parts_obj(sheet, obj))] += 1
    return found


# ---- write --------------------------------------------------------------------------------------------

@dataclass
class Context:
    user: object
    reason: str
    station: object = None
    providers: dict = field(default_factory=dict)
    handlers: dict = field(default_factory=dict)
    new_handlers: set = field(default_factory=set)  # pks of handlers this import added to the roster
    persons: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # found while writing; added to the result's


LEDGER_LOCK_KEY = 0x1EDC3A  # any constant shared by every ledger import


def import_ledger(path, *, user=None, station=None, filename: str | None = None, dry_run: bool = False,
                  progress: Callable[..., None] | None = None, parsed: Parsed | None = None,
                  on_success: Callable[[Result], None] | None = None) -> Result:
    """Validate `path` and, when it has no errors, import it all in one transaction (or roll back for a dry run).
    `on_success` runs inside that transaction after the rows are written, so what it records commits with them."""
    filename = filename or os.path.basename(str(path))
    if parsed is None:
        parsed = parse_workbook(path, default_station=station, progress=progress)
    result = Result(errors=list(parsed.errors), warnings=list(parsed.warnings), dry_run=dry_run)
    if parsed.errors:
        return result
    who = getattr(user, "display_name", None) or getattr(user, "username", None) or "import_ledger 命令"
    ctx = Context(user=user, reason=f"由 {who} 从 {filename} 导入", station=station)
    with transaction.atomic():
        # One import at a time: matching by content must see what a concurrent import of
        # the same file wrote, or both would add the same rows.
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])
        write(parsed, ctx, result, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _drill_pause()
            if on_success is not None:
                on_success(result)
    return result


def _drill_pause() -> None:
    """Fault drills only (tests/core/test_faults.py): hold the written, uncommitted rows long enough to kill."""
    from django.conf import settings

    pause = float(getattr(settings, "LEDGER_DRILL_PAUSE_BEFORE_COMMIT", 0) or 0)
    if pause:
        import time

        time.sleep(pause)


WRITERS: dict[str, Callable] = {}


def write(parsed: Parsed, ctx: Context, result: Result, *, progress=None) -> None:
    total = parsed.total_rows or 1
    done = 0
    for sheet in LEDGER_SHEETS:  # registry first would not matter; cases before money keeps logs readable
        rows = parsed.sheets.get(sheet)
        if rows is None:
            continue
        created, matched = WRITERS[sheet](rows, ctx)
        result.counts[sheet] = {"rows": len(rows), "created": created, "matched": matched}
        done += len(rows)
        if progress:
            progress(done, total, base=50, span=50)
    result.warnings.extend(ctx.warnings)


def _new_rows(sheet: str, model, rows: list[Row]) -> tuple[list[tuple[Row, str]], int]:
    """Rows that are not yet there (counting repeats), each with its fingerprint; and the matched count."""
    existing = _existing_fingerprints(sheet, model, rows)
    fresh, matched = [], 0
    for row in rows:
        fp = fingerprint(sheet, _fp_parts_row(sheet, row.values))
        if existing[fp] > 0:
            existing[fp] -= 1
            matched += 1
        else:
            fresh.append((row, fp))
    return fresh, matched


def _copy_insert(model, objs: list) -> None:
    """INSERT `objs` with PostgreSQL COPY: ids are drawn from the table's sequence first (so they are set
    on the objects, as bulk_create does), then the rows stream in binary-adapted form. Several times
    faster than a multi-row INSERT for tens of thousands of rows."""
    from django.db import connection

    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, pk.column, len(objs)])
        ids = [row[0] for row in cur.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, new_id)
        fields = list(meta.concrete_fields)
        columns = ", ".join(qn(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"


def _bulk(model, objs: list, ctx: Context) -> None:
    """Insert `objs` and their history rows ("+", by the importing user, reason: the file)."""
    from django.utils import timezone

    if not objs:
        return
    for i in range(0, len(objs), 5000):
        part = objs[i:i + 5000]
        _copy_insert(model, part)
        history = model.history.model
        now = timezone.now()
        user_id = getattr(ctx.user, "pk", None)
        _copy_insert(history, [
            history(history_date=now, history_user_id=user_id, history_change_reason=ctx.reason, history_type="+",
                    **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields})
            for obj in part
        ])


def _user(ctx: Context):
    return ctx.user if getattr(ctx.user, "pk", None) else None


def _write_consultations(rows, ctx):
    from intake.models import Consultation

    fresh, matched = _new_rows("咨询", Consultation, rows)
    objs = []
    for row, fp in fresh:
        v = row.values
        objs.append(Consultation(
            occurred_at=datetime.combine(v["date"], time(9, 0), SHANGHAI), channel=v["channel"],
            station=v["station"], person_name=v["name"], person_sex=v["sex"],
            person_phone="" if is_masked(v["phone"]) else v["phone"], person_groups=v["groups"],
            topic=v["topic"], summary=v["summary"], answer=v["answer"], outcome=v["outcome"],
            person_count=v["person_count"], import_fingerprint=fp, created_by=_user(ctx),
        ))
    _bulk(Consultation, objs, ctx)
    return len(objs), matched


def _write_events(rows, ctx):
    from publicity.models import Event

    fresh, matched = _new_rows("宣传活动", Event, rows)
    objs = [Event(date=r.values["date"], title=r.values["title"], form=r.values["form"], place=r.values["place"],
                  station=r.values["station"], materials=r.values["materials"], onsite=r.values["onsite"],
                  audience=r.values["audience"], import_fingerprint=fp, created_by=_user(ctx))
            for r, fp in fresh]
    _bulk(Event, objs, ctx)
    return len(objs), matched


def _write_media(rows, ctx):
    from publicity.models import MediaReport

    fresh, matched = _new_rows("媒体报道", MediaReport, rows)
    objs = [MediaReport(date=r.values["date"], outlet=r.values["outlet"], level=r.values["level"],
                        title=r.values["title"], link=r.values["link"], station=ctx.station,
                        import_fingerprint=fp)
            for r, fp in fresh]
    _bulk(MediaReport, objs, ctx)
    return len(objs), matched


def _write_matters(rows, ctx):
    from intake.models import Matter
    from stations.models import Handler

    fresh, matched = _new_rows("值班与代书", Matter, rows)
    names = {r.values["lawyer"] for r, _fp in fresh if r.values["lawyer"]}
    by_name: dict[str, list] = defaultdict(list)
    for h in Handler.objects.filter(name__in=names):
        by_name[h.name].append(h)
    objs = []
    for r, fp in fresh:
        v = r.values
        found = by_name.get(v["lawyer"], [])
        objs.append(Matter(date=v["date"], kind=v["kind"], place=v["place"],
                           handler=found[0] if len(found) == 1 else None, lawyer_name=v["lawyer"],
                           person_name=v["name"], plea=v["plea"], person_count=v["person_count"],
                           station=ctx.station, import_fingerprint=fp, created_by=_user(ctx)))
    _bulk(Matter, objs, ctx)
    return len(objs), matched


def _write_budget(rows, ctx):
    from funding.models import Budget

    fresh, matched = _new_rows("经费预算", Budget, rows)
    objs = [Budget(year=r.values["year"], source=r.values["source"], amount=r.values["amount"],
                   import_fingerprint=fp) for r, fp in fresh]
    _bulk(Budget, objs, ctx)
    return len(objs), matched


def _write_spending(rows, ctx):
    from funding.models import Spending

    fresh, matched = _new_rows("经费支出", Spending, rows)
    objs = [Spending(date=r.values["date"], category=r.values["category"], amount=r.values["amount"],
                     description=r.values["description"], import_fingerprint=fp, created_by=_user(ctx))
            for r, fp in fresh]
    _bulk(Spending, objs, ctx)
    return len(objs), matched


def _write_registry(rows, ctx):
    from applicants.models import VulnerableEntry

    fresh, matched = _new_rows("困难群体", VulnerableEntry, rows)
    objs = [VulnerableEntry(name=r.values["name"], id_number=r.values["id_number"], category=r.values["category"],
                            source=r.values["source"], valid_until=r.values["valid_until"], import_fingerprint=fp)
            for r, fp in fresh]
    _bulk(VulnerableEntry, objs, ctx)
    return len(objs), matched


# ---- cases --------------------------------------------------------------------------------------------

def _provider(name: str, ctx: Context):
    from stations.models import Provider

    if not name:
        return None
    if name not in ctx.providers:
        provider = Provider.objects.filter(name=name).first()
        if provider is None:
            kind = "grassroots_office" if "法律服务所" in name else ("aid_center" if "法律援助" in name else "law_firm")
            provider = Provider(name=name, kind=kind)
            provider._history_user = _user(ctx)
            provider._change_reason = ctx.reason
            provider.save()
        ctx.providers[name] = provider
    return ctx.providers[name]


def _handler(name: str, kind: str, provider_name: str, ctx: Context):
    """The roster's handler of that name and firm, else a new one of type `kind`. An existing handler's
    type is left as it is: the row's type goes on the case (``handler_kind``), not on the roster."""
    from stations.models import Handler

    if not name:
        return None
    provider = _provider(provider_name, ctx)
    key = (name, provider.pk if provider else None)
    if key not in ctx.handlers:
        qs = Handler.objects.filter(name=name)
        if provider is not None:
            handler = qs.filter(provider=provider).first()
        else:
            # No firm given: the one handler of that name, or the one without a firm.
            handler = qs.filter(provider__isnull=True).first() or (qs.first() if qs.count() == 1 else None)
        if handler is None:
            handler = Handler(name=name, kind=kind or "practising_lawyer", provider=provider)
            handler._history_user = _user(ctx)
            handler._change_reason = ctx.reason
            handler.save()
            ctx.new_handlers.add(handler.pk)
        ctx.handlers[key] = handler
    return ctx.handlers[key]


def _persons_for(rows: list[Row], ctx: Context) -> list:
    """The recipient of each row: found by ID number (once per file), else created; bulk."""
    from applicants import idcard
    from applicants.models import Person

    numbers = {r.values["id_number"] for r in rows if r.values["id_number"] and not is_masked(r.values["id_number"])}
    numbers -= set(ctx.persons)
    found = {}
    wanted = sorted(numbers)
    for i in range(0, len(wanted), 5000):
        for p in Person.objects.filter(id_type="resident", id_number__in=wanted[i:i + 5000], merged_into__isnull=True):
            found[p.id_number] = p
    ctx.persons.update(found)
    fresh, out, grown = [], [], {}
    for r in rows:
        v = r.values
        extra = [g for g in v["groups"] if g not in DERIVED_GROUPS]
        number = v["id_number"] if v["id_number"] and not is_masked(v["id_number"]) else ""
        person = ctx.persons.get(number) if number else None
        if person is None:
            info = idcard.parse(number) if number else None
            person = Person(name=v["name"], id_number=number, sex=info.sex if info else v["sex"],
                            birth_date=info.birth_date if info else v["birth_date"], declared_groups=extra,
                            station=v["station"], created_by=_user(ctx))
            fresh.append(person)
            if number:
                ctx.persons[number] = person
        elif set(extra) - set(person.declared_groups or []):
            # Groups from the ledger are added, never removed.
            person.declared_groups = [c for c in GROUP.codes if c in set(person.declared_groups or []) | set(extra)]
            if person.pk:
                grown[person.pk] = person
        out.append(person)
    _bulk(Person, fresh, ctx)
    for person in grown.values():
        person._history_user = _user(ctx)
        person._change_reason = ctx.reason
        person.save(update_fields=["declared_groups"])
    return out


def _reserve_numbers(category: str, year: int, count: int) -> int:
    """Reserve `count` consecutive case numbers (gapless: the same locked row as numbering.next_value);
    return the first sequence number."""
    from django.db import connection

    from core.models import DocumentSequence

    with connection.cursor() as cur:
        cur.execute("INSERT INTO core_documentsequence (scope, year, last) VALUES (%s, %s, 0) "
                    "ON CONFLICT (scope, year) DO NOTHING", [f"case:{category}", year])
    seq = DocumentSequence.objects.select_for_update().get(scope=f"case:{category}", year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first


def _due(code: str, start: date, cache: dict | None) -> date:
    from core import deadlines

    if cache is None:
        return deadlines.due_date(code, start)
    key = (code, start)
    if key not in cache:
        cache[key] = deadlines.due_date(code, start)
    return cache[key]


def build_case(v: dict, person, *, by, number: str, seq: int, due_cache: dict | None = None, registry=None):
    """The Case that cases.services.case_open would open for this row (same derivations: litigation flag,
    groups at acceptance, assignment deadline), then moved to the state its dates imply."""
    from applicants.groups import groups_at
    from cases import rules
    from cases.models import Case

    accepted = v["accepted_on"]
    case = Case(
        number=number, year=accepted.year, seq=seq, category=v["category"], source=v["source"],
        organ=v["organ"], stage=v["stage"], aid_form=v["aid_form"], cause=v["cause"],
        is_litigation=rules.is_litigation(aid_form=v["aid_form"], stage=v["stage"]),
        recipient=person, recipient_groups=groups_at(person, accepted, extra=v["groups"], registry=registry),
        recipient_count=v["recipient_count"], is_mass=v["is_mass"], amount_involved=v["amount_involved"],
        station=v["station"], accepted_on=accepted, created_by=by,
        assign_due=_due("notice_assign" if v["source"] == "notice" else "case_assign", accepted, due_cache),
        amount_recovered=v["amount_recovered"],
    )
    if v["assigned_on"]:
        case.status = Case.Status.ASSIGNED
        case.assigned_on = v["assigned_on"]
    if v["outcome"] == "terminated":
        # 终止 makes the case terminated even when the ledger has no date for it (LEDGER.md).
        case.status = Case.Status.TERMINATED
        case.terminated_on = v["closed_on"]
    elif v["closed_on"]:
        case.status = Case.Status.CLOSED
        case.closed_on = v["closed_on"]
        case.outcome = v["outcome"]
        if v["grade"]:
            case.grade = v["grade"]
            case.graded_on = v["closed_on"]
    elif v["outcome"]:
        case.outcome = v["outcome"]  # kept, though without a 结案日期 the case is not closed
    if v["grade"] and not case.grade and case.status != Case.Status.TERMINATED:
        case.grade = v["grade"]  # graded without a 结案日期: kept, dated nowhere
    return case


def _write_cases(rows, ctx):
    """Cases in bulk with case_open's derivations; numbers reserved in gapless blocks per year and kind."""
    from cases.models import Assignment, Case
    from core.models import CenterProfile
    from core.numbering import bump_to_at_least, format_case_number
    from funding.models import Subsidy, SubsidyPayment

    numbers = [r.values["number"] for r in rows if r.values.get("number")]
    existing = set()
    for i in range(0, len(numbers), 5000):
        existing |= set(Case.objects.filter(number__in=numbers[i:i + 5000]).values_list("number", flat=True))
    unnumbered = [r for r in rows if not r.values.get("number")]
    fps = {id(r): fingerprint("案件", _fp_parts_row("案件", r.values)) for r in unnumbered}
    have = Counter()
    if fps:
        wanted = list(set(fps.values()))
        for i in range(0, len(wanted), 5000):
            have.update(Case.objects.filter(import_fingerprint__in=wanted[i:i + 5000])
                        .values_list("import_fingerprint", flat=True))
    todo, matched = [], 0
    for r in rows:
        v = r.values
        if v.get("number"):
            if v["number"] in existing:
                matched += 1
                continue
        elif have[fps[id(r)]] > 0:
            have[fps[id(r)]] -= 1
            matched += 1
            continue
        todo.append(r)
    if not todo:
        return 0, matched
    # Numbers from the ledger first, so that cases without one follow them.
    top: dict[tuple, int] = {}
    for r in todo:
        v = r.values
        if v.get("number"):
            key = (v["category"], v["accepted_on"].year)
            top[key] = max(top.get(key, 0), v["seq"])
    for (category, year), seq in sorted(top.items()):
        bump_to_at_least(f"case:{category}", year, seq)
    need = Counter((r.values["category"], r.values["accepted_on"].year) for r in todo if not r.values.get("number"))
    next_seq = {key: _reserve_numbers(key[0], key[1], n) for key, n in sorted(need.items())}
    profile = CenterProfile.get()
    persons = _persons_for([r for r in todo], ctx)
    from applicants.groups import registry_categories
    from applicants.idcard import normalise

    registry = registry_categories([p.id_number for p in persons])
    user = _user(ctx)
    # A handler new to the roster takes the first type the file gives for that name and firm, so that
    # a first row without 承办人类型 does not give it the default type.
    first_kind: dict[tuple[str, str], str] = {}
    for r in todo:
        if r.values["handler"] and r.values["handler_kind"]:
            first_kind.setdefault((r.values["handler"], r.values["provider"]), r.values["handler_kind"])
    cases, handlers, due_cache = [], [], {}
    for r, person in zip(todo, persons, strict=True):
        v = r.values
        if v.get("number"):
            number, seq = v["number"], v["seq"]
        else:
            key = (v["category"], v["accepted_on"].year)
            seq = next_seq[key]
            next_seq[key] += 1
            number = format_case_number(year=key[1], category=key[0], seq=seq, profile=profile)
        case = build_case(v, person, by=user, number=number, seq=seq, due_cache=due_cache,
                          registry=registry.get(normalise(person.id_number), set()))
        if not v.get("number"):
            case.import_fingerprint = fps[id(r)]
        handler = _handler(v["handler"], first_kind.get((v["handler"], v["provider"]), ""), v["provider"], ctx)
        case.handler = handler
        if handler is not None:
            # The row's own type counts (STATISTICS.md), not whatever the roster says.
            case.handler_kind = v["handler_kind"] or handler.kind
        cases.append(case)
        handlers.append(handler)
    _bulk(Case, cases, ctx)
    ctx.warnings.extend(_handler_kind_warnings(todo, handlers, ctx))
    assignments, subsidies = [], []
    for r, case, handler in zip(todo, cases, handlers, strict=True):
        v = r.values
        if v["assigned_on"] and handler is not None:
            assignments.append(Assignment(case=case, handler=handler, handler_kind=case.handler_kind,
                                          assigned_on=v["assigned_on"], assigned_by=user,
                                          ended_on=case.closed_on or case.terminated_on))
        if v["subsidy_amount"] is not None:
            subsidies.append(Subsidy(
                case=case, handler=handler, computed_amount=v["subsidy_amount"], amount=v["subsidy_amount"],
                status=Subsidy.Status.PAID if v["subsidy_paid_on"] else Subsidy.Status.COMPUTED,
                paid_on=v["subsidy_paid_on"]))
    _bulk(Assignment, assignments, ctx)
    _bulk(Subsidy, subsidies, ctx)
    # A paid subsidy's payment is a dated line (what subsidy.paid.* count), as batch_pay writes it.
    _bulk(SubsidyPayment, [SubsidyPayment(subsidy=s, kind=SubsidyPayment.Kind.PAYMENT, amount=s.amount, case_count=1,
                                          date=s.paid_on, by=user)
                           for s in subsidies if s.status == Subsidy.Status.PAID], ctx)
    return len(cases), matched


def _row_list(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown if len(numbers) <= 10 else f"{shown} 等 {len(numbers)} "


def _handler_kind_warnings(rows: list[Row], handlers: list, ctx: Context) -> list[str]:
    """One warning per handler whose rows give different types, or a type other than the roster's."""
    given: dict[int, dict[str, list[int]]] = {}
    by_pk = {}
    for r, handler in zip(rows, handlers, strict=True):
        if handler is not None and r.values["handler_kind"]:
            given.setdefault(handler.pk, {}).setdefault(r.values["handler_kind"], []).append(r.number)
            by_pk[handler.pk] = handler
    warnings = []
    for pk, kinds in given.items():
        handler = by_pk[pk]
        roster = None if pk in ctx.new_handlers else handler.kind
        if len(set(kinds) | ({roster} if roster else set())) < 2:
            continue
        ordered = sorted(kinds.items(), key=lambda item: item[1][0])
        reference = roster or ordered[0][0]
        anchor = min(n for kind, numbers in kinds.items() if kind != reference for n in numbers)
        parts = [f"名册中为{HANDLER_KIND.zh[roster]}"] if roster else []
        parts += [f"第 {_row_list(numbers)} 行为{HANDLER_KIND.zh[kind]}" for kind, numbers in ordered]
        firm = f"（{handler.provider.name}）" if handler.provider_id else ""
        warnings.append(f"案件!{anchor}: 承办人类型: 承办人「{handler.name}」{firm}的类型不一致："
                        f"{'，'.join(parts)}；各行照常导入，每个案件按本行的承办人类型统计，名册中的类型不变")
    return warnings


WRITERS.update({
    "案件": _write_cases,
    "咨询": _write_consultations,
    "宣传活动": _write_events,
    "媒体报道": _write_media,
    "值班与代书": _write_matters,
    "经费预算": _write_budget,
    "经费支出": _write_spending,
    "困难群体": _write_registry,
})
