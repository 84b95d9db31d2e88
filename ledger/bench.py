"""`make bench`: import rows per second on a generated 100,000-row ledger (validation + import)."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from applicants.idcard import check_digit
from core.choices import CAUSE, CHANNEL, CONSULTATION_OUTCOME, PUBLICITY_FORM, SPENDING_CATEGORY

from .exporters import COLUMNS

ROWS = 100_000


def _rid(n: int, born: dt.date) -> str:
    first17 = f"341122{born:%Y%m%d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def generate(path: Path, *, rows: int = ROWS, seed: int = 7) -> dict[str, int]:
    """Mostly 咨询 and 案件, a few of the other sheets; the years 2022–2025."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    sizes = {"咨询": int(rows * 0.6), "案件": int(rows * 0.3), "宣传活动": int(rows * 0.04),
             "经费支出": int(rows * 0.03)}
    sizes["困难群体"] = rows - sum(sizes.values())
    start = dt.date(2022, 1, 1)

    def day():
        return start + dt.timedelta(days=rng.randrange(4 * 365))

    causes = [CAUSE.zh[c] for c in ["labour_pay", "work_injury", "traffic", "marriage_family", "contract_debt"]]
    ws = wb.create_sheet("咨询")
    ws.append(COLUMNS["咨询"])
    for i in range(sizes["咨询"]):
        ws.append([day(), rng.choice(list(CHANNEL.zh.values())), None, f"咨询人{i % 997}", rng.choice(["男", "女"]),
                   None, rng.choice([None, "农民工", "妇女、老年人"]), rng.choice(causes), "咨询内容", "答复内容",
                   rng.choice(list(CONSULTATION_OUTCOME.zh.values())), rng.choice([1, 1, 1, 2])])
    ws = wb.create_sheet("案件")
    ws.append(COLUMNS["案件"])
    for i in range(sizes["案件"]):
        accepted = day()
        closed = accepted + dt.timedelta(days=rng.randrange(30, 200))
        born = dt.date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        row = dict.fromkeys(COLUMNS["案件"])
        row.update({"受理日期": accepted, "案件类别": "民事", "案由": rng.choice(causes), "援助形式": "民事诉讼代理",
                    "诉讼阶段": "一审", "受援人姓名": f"受援人{i}", "证件号码": _rid(i, born),
                    "人群类别": rng.choice([None, "农民工"]), "承办人": f"律师{i % 40}",
                    "承办机构": f"律师事务所{i % 8}", "指派日期": accepted + dt.timedelta(days=2),
                    "结案日期": closed if closed < dt.date(2025, 12, 31) else None,
                    "结案方式": "调解" if closed < dt.date(2025, 12, 31) else None, "补贴金额": "1,500元"})
        ws.append([row[c] for c in COLUMNS["案件"]])
    ws = wb.create_sheet("宣传活动")
    ws.append(COLUMNS["宣传活动"])
    for i in range(sizes["宣传活动"]):
        ws.append([day(), f"普法宣传{i}", rng.choice(list(PUBLICITY_FORM.zh.values())), "广场", None, 100, 20, 200])
    ws = wb.create_sheet("经费支出")
    ws.append(COLUMNS["经费支出"])
    for i in range(sizes["经费支出"]):
        ws.append([day(), rng.choice(list(SPENDING_CATEGORY.zh.values())), f"{rng.randrange(100, 9000):,}元",
                   f"支出{i}"])
    ws = wb.create_sheet("困难群体")
    ws.append(COLUMNS["困难群体"])
    for i in range(sizes["困难群体"]):
        ws.append([f"困难群众{i}", _rid(i, dt.date(1960, 3, 3)), "低保", "民政局", None])
    wb.save(path)
    return sizes


def run(report) -> None:
    from .importing import import_ledger, parse_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-ledger.xlsx"
        t0 = time.perf_counter()
        generate(path)
        report("ledger: generate 100,000-row workbook", time.perf_counter() - t0, "s")
        t0 = time.perf_counter()
        parsed = parse_workbook(path)
        t_parse = time.perf_counter() - t0
        assert not parsed.errors, parsed.errors[:5]
        report("ledger: validation rows per second", parsed.total_rows / t_parse, "rows/s")
        t1 = time.perf_counter()
        result = import_ledger(path, parsed=parsed)
        t_write = time.perf_counter() - t1
        assert result.ok, result.errors[:5]
        report("ledger: write rows per second", parsed.total_rows / t_write, "rows/s")
        report("ledger: import rows per second (validation + import)", parsed.total_rows / (t_parse + t_write),
               "rows/s")
        t2 = time.perf_counter()
        again = import_ledger(path)
        assert sum(c["created"] for c in again.counts.values()) == 0
        report("ledger: re-import (all rows matched) rows per second", parsed.total_rows / (time.perf_counter() - t2),
               "rows/s")
