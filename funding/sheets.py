"""The ledger's money sheets (经费预算, 经费支出) and the subsidy's columns of the 案件 sheet, which cases define
(core.sheets): cases sit below funding and never read the subsidy."""

from __future__ import annotations

from core.cells import at_least_one, choice, parse_date, parse_money, parse_signed_money, text_of
from core.choices import FUNDING_SOURCE, SPENDING_CATEGORY
from core.sheets import Col, Columns, Sheet, zh


def budget_row(values: tuple, full: bool) -> list:
    year, source, amount = values
    return [year, zh(FUNDING_SOURCE, source), amount]


def spending_row(values: tuple, full: bool) -> list:
    date, category, amount, description = values
    return [date, zh(SPENDING_CATEGORY, category), amount, description or None]


SHEETS = [
    Sheet("经费预算", (
        Col("年度", "year", at_least_one, True),
        Col("来源", "source", choice(FUNDING_SOURCE), True),
        Col("金额", "amount", parse_money, True),
    ), fields=("year", "source", "amount"), row=budget_row, ledger_order=6),
    Sheet("经费支出", (
        Col("日期", "date", parse_date, True),
        Col("类别", "category", choice(SPENDING_CATEGORY), True),
        Col("金额", "amount", parse_signed_money, True),  # a red (negative) entry corrects an earlier one
        Col("说明", "description", text_of(200), default=""),
    ), fields=("date", "category", "amount", "description"), row=spending_row, ledger_order=7),
]

EXTRA = [
    Columns("案件", before="工作站", columns=(
        Col("补贴金额", "subsidy_amount", parse_money),
        Col("补贴发放日期", "subsidy_paid_on", parse_date),
    ), fields=("subsidy__amount", "subsidy__paid_on"), cells=lambda values, full: list(values)),
]
