"""Test ledgers built with openpyxl: `build_ledger(path, {"案件": [row dict, ...], ...})`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from applicants.idcard import check_digit
from ledger.exporters import COLUMNS


def rid(n: int, *, born: dt.date = dt.date(1985, 6, 15), female: bool = False) -> str:
    seq = (n % 500) * 2 + (0 if female else 1)
    first17 = f"341122{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def build_ledger(path: Path, sheets: dict[str, list[dict]], *, headers: dict[str, list[str]] | None = None) -> Path:
    """One sheet per key; columns = LEDGER.md order (or `headers[sheet]`), cells from each row dict."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in sheets.items():
        ws = wb.create_sheet(sheet)
        header = (headers or {}).get(sheet) or COLUMNS[sheet]
        ws.append(header)
        for row in rows:
            ws.append([row.get(h.strip()) for h in header])
    wb.save(path)
    return Path(path)


def case_row(**kw) -> dict:
    row = {"受理日期": dt.date(2024, 3, 7), "案件类别": "民事", "受援人姓名": "王小二", "证件号码": rid(1),
           "案由": "劳动报酬", "援助形式": "民事诉讼代理", "诉讼阶段": "一审"}
    row.update(kw)
    return {k: v for k, v in row.items() if v is not None}


def consultation_row(**kw) -> dict:
    row = {"日期": dt.date(2024, 5, 6), "方式": "来电", "姓名": "赵六", "事项类别": "劳动报酬", "处理结果": "解答完毕"}
    row.update(kw)
    return {k: v for k, v in row.items() if v is not None}


def multi_year_ledger(path: Path, years=(2023, 2024, 2025)) -> Path:
    """A small ledger over several years: cases, consultations, events, money."""
    cases, consultations, events, budgets, spending = [], [], [], [], []
    n = 0
    for year in years:
        for i in range(4):
            n += 1
            cases.append(case_row(**{"受理日期": dt.date(year, 1 + i * 2, 10), "受援人姓名": f"受援人{n}",
                                     "证件号码": rid(n), "案件类别": ["民事", "刑事", "行政", "民事"][i],
                                     "案由": ["劳动报酬", "盗窃", "行政", "婚姻家庭"][i],
                                     "援助形式": ["民事诉讼代理", "刑事辩护", "行政诉讼代理", "民事诉讼代理"][i],
                                     "诉讼阶段": ["一审", "审判", "一审", "一审"][i],
                                     "承办人": "周律师", "承办机构": "示范律师事务所", "承办人类型": "执业律师",
                                     "指派日期": dt.date(year, 1 + i * 2, 12),
                                     "结案日期": dt.date(year, 2 + i * 2, 20) if i < 3 else None,
                                     "结案方式": ["判决", "判决", "撤诉", None][i]}))
            for k in range(3):
                consultations.append(consultation_row(**{"日期": dt.date(year, 1 + i * 3, 3 + k), "姓名": f"来访人{k}"}))
        events.append({"日期": dt.date(year, 3, 15), "活动名称": f"{year}年3·15宣传", "活动形式": "现场咨询",
                       "发放资料": 200, "现场咨询": 30, "受众": 300})
        budgets.append({"年度": year, "来源": "县级财政", "金额": "200,000元"})
        spending.append({"日期": dt.date(year, 6, 1), "类别": "宣传", "金额": 1234.5, "说明": "宣传册"})
    return build_ledger(path, {"案件": cases, "咨询": consultations, "宣传活动": events, "经费预算": budgets,
                               "经费支出": spending})
