"""Rules across rows and against the database, after every row is read (ledger.importing.parse).

* A 案号 appears once in the file; one already in the database must be of the same category (the row then
  matches that case). Its 第N号 takes place N in the center's sequence for the acceptance year and category
  (``seq``); a number without 第…号, or a second number with a 序号 already taken (old ledgers kept a sequence
  per station or per kind), keeps its text with a warning and seq 0 (outside the sequence).
* No spending in a budget year that is closed (funding.BudgetYearLock).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.choices import CATEGORY

if TYPE_CHECKING:
    from .parse import Parsed

SEQ_PATTERN = re.compile(r"第\s*(\d+)\s*号")
YEAR_PATTERN = re.compile(r"[（(]\s*(\d{4})\s*[）)]")


def cross_checks(parsed: Parsed) -> None:
    case_numbers(parsed)
    closed_budget_years(parsed)


def case_numbers(parsed: Parsed) -> None:
    """Case numbers unique in the file, of the right category when they exist, and placed in the sequence."""
    from django.db.models import Q

    from cases.models import Case

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


def closed_budget_years(parsed: Parsed) -> None:
    from funding.models import BudgetYearLock

    locked = set(BudgetYearLock.objects.values_list("year", flat=True))
    if locked:
        for row in parsed.sheets.get("经费支出", []):
            if row.values.get("date") and row.values["date"].year in locked:
                parsed.errors.append(f"经费支出!{row.number}: 日期: {row.values['date'].year} 年度经费已结账，不能再记支出")
