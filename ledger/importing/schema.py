"""The eight sheets of the ledger (LEDGER.md) as the apps define them (core.sheets, `<app>/sheets.py`): what
the importer reads and, in the same order and spelling, what the export writes, so that an exported list
imports back. Each column has its header, the key of the parsed value, the cell parser (core.cells), whether it
is required, and the value of an empty cell. The exports of other lists (申请人, 申请) are not read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from core import sheets
from core.sheets import Col

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the ledger's dates are days in the center's time zone

__all__ = ["COLUMNS", "SHANGHAI", "SHEETS", "Col", "ledger_sheets"]

ledger_sheets = sheets.ledger_sheets  # 案件, 咨询, 宣传活动, 媒体报道, 值班与代书, 经费预算, 经费支出, 困难群体
SHEETS: Mapping[str, tuple[Col, ...]] = sheets.Sheets(sheets.columns, keys=ledger_sheets)
COLUMNS: Mapping[str, list[str]] = sheets.Sheets(sheets.headers, keys=ledger_sheets)
