"""Cells of the ledger (LEDGER.md), the parsers of the sheets' columns (core.sheets): each turns one cell into a
clean Python value or raises CellError.

Dates are ISO, 2025/3/7, 2025年3月7日 or Excel serial numbers; amounts may carry ¥, 元 and thousands
separators; lists of groups are separated by 、,，;；. A text cell loses the formula guard of core.xlsx (a
leading apostrophe before = + - @), so an exported ledger reads back as written, and Excel's escapes of
characters XML cannot hold (``_x000D_`` for a carriage return; openpyxl leaves them as they are).
A serial-number date is read in the workbook's own date system (``epoch``: 1900, or 1904 for a workbook saved
so by Excel for Mac or LibreOffice).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.choices import GROUP

LIST_SPLIT = re.compile(r"[、,，;；]")
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]
MAX_MONEY = Decimal("999999999999.99")
MIN_YEAR, MAX_YEAR = 1900, 2100  # the years a ledger's date may have (a 年度's bounds)
# Excel's escape of a character in a text (ECMA-376 ST_Xstring): _xHHHH_; `_x005F_` escapes the underscore of a
# literal "_x…_".
EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class CellError(Exception):
    """A cell that cannot be read; the message is Chinese and goes after ``sheet!row: column:``."""


def cell_text(value) -> str:
    """The cell as stripped text ("" for an empty cell; 3.0 reads as 3)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "_x" in text:
        text = EXCEL_ESCAPE.sub(_unescaped, text)
    text = text.strip()
    # Undo the formula guard of core.xlsx (a leading apostrophe before = + - @).
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _unescaped(m: re.Match) -> str:
    """The character an Excel escape stands for; one no text may hold (NUL, other control characters, a lone
    surrogate) is left as written, so that nothing unstorable reaches the database."""
    char = chr(int(m[1], 16))
    if char in "\t\n\r" or (char >= " " and not "\ud800" <= char <= "\udfff" and char not in "\ufffe\uffff"):
        return char
    return m[0]


def parse_date(value, *, epoch: datetime | None = None) -> date | None:
    """`epoch`: the workbook's date system for a serial number (openpyxl's ``Workbook.epoch``; 1900 if None).
    A date outside the years 1900 to 2100 (the bounds of a 年度: 0205-03-07 for 2025-03-07) is an error."""
    day = _date_of(value, epoch)
    if day is not None and not (MIN_YEAR <= day.year <= MAX_YEAR):
        from django.utils.translation import gettext as _

        raise CellError(_("%(date)s is not a plausible date: the year must be between %(min)s and %(max)s.")
                        % {"date": day.isoformat(), "min": MIN_YEAR, "max": MAX_YEAR})
    return day


def _date_of(value, epoch: datetime | None) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

            try:
                return from_excel(value, epoch or WINDOWS_EPOCH).date()
            except (OverflowError, ValueError):  # past year 9999 in the 1904 system
                pass
        raise CellError(f"日期格式无法识别「{cell_text(value)}」")
    text = cell_text(value)
    head = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}[-/]", text) else text
    for pattern in DATE_PATTERNS:
        m = pattern.match(head)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"不是有效的日期「{text}」") from None
    raise CellError(f"日期格式无法识别「{text}」，应为 2025-03-07、2025/3/7 或 2025年3月7日")


def parse_signed_money(value) -> Decimal | None:
    """parse_money, a red (negative) amount included: a spending ledger's correcting entry."""
    return parse_money(value, negative=True)


def parse_money(value, *, negative: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"金额格式无法识别「{value}」")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = cell_text(value).replace(" ", "")
        if text.endswith("元"):
            text = text[:-1]
        text = text.lstrip("¥￥").replace(",", "").replace("，", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"金额格式无法识别「{cell_text(value)}」") from None
    if not amount.is_finite():
        raise CellError(f"金额格式无法识别「{cell_text(value)}」")
    if amount < 0 and not negative:
        raise CellError("金额不能为负数")
    if abs(amount) > MAX_MONEY:
        raise CellError("金额过大")
    # 四舍五入, as Excel and WPS show an amount with two decimals (100.125 → 100.13), not Decimal's default
    # banker's rounding.
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_int(value, *, minimum: int = 0) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"应为整数「{value}」")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"应为整数「{cell_text(value)}」")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = cell_text(value).replace(",", "")
        if text.endswith(("人次", "份")):
            text = text.rstrip("人次份")
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"应为整数「{cell_text(value)}」")
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
    text = cell_text(value)
    if text == "是":
        return True
    if text == "否":
        return False
    raise CellError(f"应为「是」或「否」，而不是「{text}」")


def choice(vocab, terms: dict[str, str] | None = None):
    def parse(value):
        allowed = terms or vocab.by_zh  # read at each row: a term added in the admin is accepted at once
        text = cell_text(value)
        if not text:
            return None
        code = allowed.get(text)
        if code is None:
            raise CellError(f"无效的取值「{text}」，应为 {'/'.join(allowed)}")
        return code

    return parse


def group_list(value) -> list[str]:
    text = cell_text(value)
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
        text = cell_text(value)
        if len(text) > max_length:
            raise CellError(f"内容过长（最多 {max_length} 个字）")
        return text

    return parse


def long_text(value) -> str:
    return cell_text(value)


def is_masked(text: str) -> bool:
    return "*" in text


def at_least_one(value):
    """A count of at least one (受援人数, 人次; 年度)."""
    return parse_int(value, minimum=1)
