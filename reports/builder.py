"""Report outputs: the workbook (指标 first, then breakdowns and the case list) and the
Word draft of the 工作总结. One code path for the Celery job and `build_report`.

Files are written to a temporary path and only then moved or stored, so nobody ever
sees a half-written report.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, transaction

from core.choices import (
    AID_FORM,
    CASE_OUTCOME,
    CATEGORY,
    CAUSE,
    CHANNEL,
    FUNDING_SOURCE,
    GRADE,
    GROUP,
    HANDLER_KIND,
    ORGAN,
    PUBLICITY_FORM,
    SEX,
    SOURCE,
    SPENDING_CATEGORY,
    STAGE,
    TOPIC,
)
from core.xlsx import SafeWorkbook

from . import indicators as ind
from .periods import Period

HEADER = ["编码", "指标", "单位", "本期", "上年同期", "同比(%)"]
CENTER = "县法律援助中心"

CASE_COLUMNS = ["案号", "受理日期", "案件类别", "案件来源", "通知机关", "诉讼阶段", "援助形式", "案由", "受援人姓名",
                "证件号码", "性别", "出生日期", "人群类别", "群体性案件", "受援人数", "承办人", "承办人类型", "承办机构",
                "指派日期", "结案日期", "结案方式", "挽回经济损失", "涉案金额", "质量等级", "补贴金额", "补贴发放日期",
                "工作站"]


@dataclass
class ReportData:
    period: Period
    station: object
    values: dict
    last: dict
    rows: list = field(default_factory=list)
    differences: list | None = None  # figures that differ from the submitted version of the same period
    year_to_date: dict | None = None  # 1 Jan to the period's end, for the targets (collect, year_to_date)

    @property
    def title(self) -> str:
        return f"{self.who}{self.period.label}法律援助工作总结"

    @property
    def who(self) -> str:
        if self.station is not None:
            return self.station.name
        from core.models import CenterProfile

        return CenterProfile.get().name


def collect(period: Period, station=None, progress=None) -> ReportData:
    """Every figure of the period and of the same days a year before. `progress` (core.jobs.Progress) moves
    with the indicators: this period's 0–35 %, last year's 35–60 %."""
    def step(base: int, span: int):
        return (lambda done, total: progress(done, total, "indicators", base=base, span=span)) if progress else None

    values = ind.compute(period, station, progress=step(0, 35))
    last = ind.compute(period.last_year(), station, progress=step(35, 25))
    so_far = year_to_date(period, station, values)
    rows = ind.indicator_rows(period, station, values=values, last=last, year_to_date=so_far)
    return ReportData(period, station, values, last, rows, year_to_date=so_far)


def year_to_date(period: Period, station, values: dict) -> dict:
    """The figures a target of the period's year is measured on: 1 January to the period's end (DECISIONS.md,
    Targets). The period's own figures when it starts on 1 January (a year, H1, a range from 1 January);
    otherwise (H2, a range from another day) the indicators with a target that year, computed again."""
    start = date(period.year, 1, 1)
    if period.start == start:
        return values
    codes = [c for c in ind.targets_for(period.year, station) if c in ind.REGISTRY]
    if not codes:
        return {}
    from .periods import parse_period

    so_far = parse_period(f"{start.isoformat()}:{period.end.isoformat()}", today=period.end)
    return ind.REGISTRY.evaluate(so_far, station, codes)


# --- the 指标 sheet and the breakdowns ------------------------------------------------------------

def indicator_sheet_rows(data: ReportData) -> Iterator[list]:
    for r in data.rows:
        yield [r.code, r.name, r.unit, _num(r.value), _num(r.last), r.change]


def _num(value):
    """Numbers as numbers: ints stay ints, money stays Decimal (2 places), rates float (1 place)."""
    return value


def _grouped(codes, data: ReportData, by) -> dict:
    return ind.REGISTRY.grouped(codes, data.period, by, data.station)


def by_cause_rows(data: ReportData) -> list[list]:
    found = _grouped(["cases.accepted", "cases.closed"], data, "cause")
    return [[CAUSE.zh.get(code, "未填"), found[code]["cases.accepted"], found[code]["cases.closed"]]
            for code in [*CAUSE.codes, ""] if code in found]


def by_group_rows(data: ReportData) -> list[list]:
    rows = []
    for g in ind.GROUPS:
        code = f"cases.accepted.group.{g}"
        rows.append([GROUP.zh[g], data.values[code], data.last[code], ind.change(data.values[code], data.last[code])])
    return rows


def by_stage_rows(data: ReportData) -> list[list]:
    found = _grouped(["cases.accepted"], data, ("category", "accepted_stage"))  # the stage at acceptance
    rows = []
    for cat in CATEGORY.codes:
        for stage in [*STAGE.codes, ""]:
            n = found.get((cat, stage), {}).get("cases.accepted", 0)
            if n:
                rows.append([CATEGORY.zh[cat], STAGE.zh.get(stage, "未填"), n])
    return rows


def _station_names() -> dict:
    from stations.models import Station

    return dict(Station.objects.values_list("pk", "name"))


STATION_CODES = ["cases.accepted", "cases.closed", "cases.terminated", "cases.open_at_end", "recipients.total"]


def by_station_rows(data: ReportData) -> list[list]:
    names = _station_names()
    found = _grouped(STATION_CODES, data, "station")
    keys = sorted(found, key=lambda k: (k is not None, k or 0))
    return [[names.get(k, CENTER), *[found[k][c] for c in STATION_CODES]] for k in keys
            if any(found[k][c] for c in STATION_CODES)]


def consultations_by(field_name: str, data: ReportData) -> dict:
    return {k: v["consultations.total"] for k, v in _grouped(["consultations.total"], data, field_name).items()}


def consultation_channel_rows(data: ReportData) -> list[list]:
    found = consultations_by("channel", data)
    return [[CHANNEL.zh[c], found.get(c, 0)] for c in CHANNEL.codes]


def consultation_topic_rows(data: ReportData) -> list[list]:
    found = consultations_by("topic", data)
    return [[TOPIC.zh.get(t, "未填"), found[t]] for t in [*TOPIC.codes, ""] if t in found and found[t]]


def consultation_station_rows(data: ReportData) -> list[list]:
    names = _station_names()
    found = consultations_by("station", data)
    return [[names.get(s, CENTER), n] for s, n in sorted(found.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0))
            if n]


PUBLICITY_CODES = ["publicity.events", "publicity.materials", "publicity.onsite", "publicity.audience"]


def publicity_rows(data: ReportData) -> list[list]:
    found = _grouped(PUBLICITY_CODES, data, "form")
    return [[PUBLICITY_FORM.zh[f], *[found[f][c] for c in PUBLICITY_CODES]] for f in PUBLICITY_FORM.codes
            if f in found and found[f]["publicity.events"]]


def funding_rows(data: ReportData) -> list[list]:
    """Budget by source and spending by category (county-wide only)."""
    if data.station is not None:
        return [["预算", "（工作站报告不含经费数据）", None]]
    budgets = _grouped(["funding.budget"], data, "source")
    spent = _grouped(["funding.spent"], data, "category")
    rows = [["预算", FUNDING_SOURCE.zh[s], ind.money(budgets.get(s, {}).get("funding.budget"))]
            for s in FUNDING_SOURCE.codes]
    rows += [["支出", SPENDING_CATEGORY.zh[c], ind.money(spent.get(c, {}).get("funding.spent"))]
             for c in SPENDING_CATEGORY.codes]
    return rows


def quality_rows(data: ReportData) -> list[list]:
    rows = []
    for code in ["quality.graded", "quality.excellent", "quality.good", "quality.pass", "quality.fail",
                 "rate.quality_pass", "quality.hearings", "rate.hearing", "followups.total", "rate.followup",
                 "rate.satisfaction", "quality.discussions", "complaints.total"]:
        name, unit = ind.BY_CODE[code]
        rows.append([name, unit, data.values[code], data.last[code], ind.change(data.values[code], data.last[code])])
    return rows


def target_progress(year: int, station, values: dict, today: date) -> list[dict]:
    """Targets of the year with completion % and a straight-line projection to year end.

    `values` are the figures of the year to `today` (1 January to that day: the dashboard's year to date, a
    report's year_to_date): the projection is what the year recorded so far ÷ the days elapsed × the days in
    the year (STATISTICS.md, Targets), so it never ends the year below what the year already recorded.
    Money is in yuan with two decimals (Decimal), other projections one decimal."""
    from .models import Target

    start = date(year, 1, 1)
    days_in_year = (date(year, 12, 31) - start).days + 1
    last_day = min(max(today, start), date(year, 12, 31))
    elapsed = (last_day - start).days + 1
    from core.indicators import grows_through_the_period

    by_code = ind.REGISTRY.by_code
    out = []
    for t in Target.objects.filter(year=year, station=station):
        name, unit = ind.BY_CODE.get(t.code, (t.code, ""))
        value = values.get(t.code)
        projection = None
        if value is not None and t.code in by_code and grows_through_the_period(by_code[t.code], by_code):
            projection = Decimal(value) / elapsed * days_in_year
            projection = ind.money(projection) if unit == "元" else projection.quantize(ind.TENTH, ROUND_HALF_UP)
        elif value is not None:
            projection = value  # stocks, levels (the network, the year's budget), rates and averages stand
        out.append({"target": t, "code": t.code, "name": name, "unit": unit, "value": value,
                    "completion": ind.rate(value, t.value), "projection": projection,
                    "projected_completion": ind.rate(projection, t.value) if projection is not None else None})
    order = {c: i for i, c in enumerate(ind.CODES)}
    return sorted(out, key=lambda r: order.get(r["code"], 999))


def target_sheet_rows(data: ReportData) -> list[list]:
    """The 目标 sheet: each target of the period's year against the year to the period's end (the day the report
    is taken as of), as the dashboard shows it; money in yuan with two decimals, as on the 指标 sheet."""
    so_far = data.year_to_date if data.year_to_date is not None else year_to_date(data.period, data.station,
                                                                                    data.values)
    return [[r["code"], r["name"], r["unit"], ind.target_value(r["target"].value, r["unit"]), r["value"],
             r["completion"], _cell(r["projection"], r["unit"]), r["projected_completion"]]
            for r in target_progress(data.period.year, data.station, so_far, data.period.end)]


def _cell(v, unit: str):
    """Money stays Decimal (written in the money format), other projections are plain numbers."""
    if isinstance(v, Decimal) and unit != "元":
        return float(v)
    return v


def _first_assignment(case):
    """The handler of the case's first assignment and the type counted for it (STATISTICS.md: the handler's type
    at assignment, the first assignment's date): one assignment, whatever changes of handler came later."""
    first = case.assignment_list[0] if case.assignment_list else None
    handler = first.handler if first is not None else case.handler  # a ledger row without 指派日期
    return handler, case.handler_kind if handler is not None else ""


def case_list_rows(data: ReportData) -> Iterator[list]:
    """The accepted cases with the 案件 ledger columns of LEDGER.md (ID numbers masked), each with the facts the
    figures count (DECISIONS.md, Cases): the stage at acceptance, the groups at acceptance, the station it was
    accepted at, and the first assignment (its handler, that handler's type then, its date)."""
    from django.db.models import Prefetch

    from applicants.idcard import mask
    from cases.models import Assignment

    first = Prefetch("assignments", to_attr="assignment_list",
                     queryset=Assignment.objects.select_related("handler__provider").order_by("assigned_on", "pk"))
    qs = (ind.REGISTRY["cases.accepted"].records(data.period, data.station)
          .select_related("recipient", "handler", "handler__provider", "station", "subsidy")
          .prefetch_related(first)
          .order_by("accepted_on", "year", "seq", "number"))  # 第9号 before 第10号
    for case in qs.iterator(chunk_size=2000):
        try:
            sub = case.subsidy
        except ObjectDoesNotExist:
            sub = None
        person = case.recipient
        handler, handler_kind = _first_assignment(case)
        outcome = "终止" if case.status == "terminated" else CASE_OUTCOME.zh.get(case.outcome, "")
        yield [
            case.number, case.accepted_on, CATEGORY.zh.get(case.category, ""), SOURCE.zh.get(case.source, ""),
            ORGAN.zh.get(case.organ, ""), STAGE.zh.get(case.stage_at_acceptance or case.stage, ""),
            AID_FORM.zh.get(case.aid_form, ""),
            CAUSE.zh.get(case.cause, ""), person.name, mask(person.id_number) if person.id_number else "",
            SEX.zh.get(person.sex, ""), person.birth_date,
            "、".join(GROUP.zh[g] for g in GROUP.codes if g in (case.recipient_groups or [])),
            case.is_mass, case.recipient_count, handler.name if handler else "",
            HANDLER_KIND.zh.get(handler_kind, ""),
            handler.provider.name if handler and handler.provider else "",
            case.assigned_on, case.closed_on or case.terminated_on, outcome, case.amount_recovered,
            case.amount_involved, GRADE.zh.get(case.grade, ""), sub.amount if sub else None,
            sub.paid_on if sub else None, case.station.name if case.station else "",
        ]


# --- writers -------------------------------------------------------------------------------------

# Report sheets open with a title line and a period line; the header is the third row, the data follow.
HEADER_ROW = 3


def title_lines(data: ReportData) -> Callable[[str], list[str]]:
    """The two lines above the header of every report sheet: who and which period, then the sheet and
    the dates (the day stock figures were taken when the period has not ended)."""
    from core.models import CenterProfile

    center = CenterProfile.get().name
    who = center if data.station is None else f"{center} {data.station.name}"
    p = data.period
    own_end = p.nominal_end or p.end
    first = f"{who} {p.label} 法律援助工作统计"
    dates = f"统计期间：{_zh(p.start)}至{_zh(own_end)}　统计截至：{_zh(p.end)}"
    return lambda sheet: [first, f"{sheet}　{dates}"]


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


SHEET_COUNT = 14  # the sheets write_workbook writes (one more with the differences), for the progress bar


def write_workbook(data: ReportData, path: str | Path, progress=None) -> None:
    """`progress(done, total, "sheets", base=60, span=30)` after each sheet (core.jobs.Progress)."""
    book = SafeWorkbook()
    lines = title_lines(data)
    total = SHEET_COUNT + (data.differences is not None)
    written = [0]

    def sheet(title: str, header: list[str], rows, **kwargs) -> None:
        book.add_sheet(title, header, rows, title_lines=lines(title), **kwargs)
        written[0] += 1
        if progress:
            progress(written[0], total, "sheets", base=60, span=30)

    sheet("指标", HEADER, indicator_sheet_rows(data))
    sheet("案件按案由", ["案由", "受理", "结案"], by_cause_rows(data))
    sheet("案件按人群", ["人群类别", "本期", "上年同期", "同比(%)"], by_group_rows(data))
    sheet("案件按阶段", ["案件类别", "诉讼阶段", "受理"], by_stage_rows(data))
    sheet("案件按工作站", ["工作站", "受理", "结案", "终止", "期末未结", "受援人数"], by_station_rows(data))
    sheet("咨询按方式", ["方式", "人次"], consultation_channel_rows(data))
    sheet("咨询按事项", ["事项类别", "人次"], consultation_topic_rows(data))
    sheet("咨询按工作站", ["工作站", "人次"], consultation_station_rows(data))
    sheet("宣传按形式", ["活动形式", "场次", "发放资料", "现场咨询", "受众"], publicity_rows(data))
    sheet("经费", ["类型", "来源或类别", "金额"], funding_rows(data))
    sheet("质量", ["指标", "单位", "本期", "上年同期", "同比(%)"], quality_rows(data))
    sheet("目标", ["编码", "指标", "单位", "目标", "完成", "完成率(%)", "预计全年", "预计完成率(%)"],
          target_sheet_rows(data))
    sheet("受理案件", CASE_COLUMNS, case_list_rows(data))
    if data.differences is not None:
        from .submission import difference_rows

        sheet("与上报版本差异", ["编码", "指标", "单位", "上报数", "本次数", "新增记录", "减少记录"],
              difference_rows(data.differences) or [["", "与上报版本一致，没有差异", "", "", "", "", ""]],
              widths={0: 36, 1: 24, 2: 6, 3: 14, 4: 14, 5: 60, 6: 60})
    sheet("说明", ["项目", "内容"], about_rows(data), widths={0: 14, 1: 80})
    book.save(path)


def about_rows(data: ReportData) -> list[list]:
    """What the workbook covers: the period, the day its stock figures were taken, how figures are defined."""
    p = data.period
    own_end = p.nominal_end or p.end
    rows = [["报告", data.title], ["报告期间", f"{p.start.isoformat()} 至 {own_end.isoformat()}"],
            ["范围", data.who]]
    if p.running:
        rows.append(["统计截至", f"{p.as_of_label}：报告期间尚未结束，本期数据统计至{p.end.isoformat()}，期末数（期末未结案件、"
                                 f"期末逾期事项、网络）取{p.end.isoformat()}当日；上年同期为上年同一起止日期"])
    else:
        rows.append(["统计截至", f"{own_end.isoformat()}（期末数取期末当日）"])
    if data.year_to_date and data.year_to_date is not data.values:  # H2 or a range not from 1 January
        rows.append(["目标", f"目标为{p.year}年全年目标：目标完成率和预计全年按{_zh(date(p.year, 1, 1))}至{_zh(p.end)}"
                           "的累计数计算"])
    rows.append(["口径", "每个指标按《统计指标》的编码和定义计算，仪表盘、工作站页面、本表和工作总结使用同一定义；"
                       "点击仪表盘上的数字可查看其统计的全部记录"])
    return rows


def build(period: Period, station=None, *, xlsx_path: str | Path, docx_path: str | Path | None = None,
          progress: Callable[..., None] | None = None, submitted=None) -> ReportData:
    """Build the report into the given paths (each written to a temporary file first, then renamed).

    `submitted`: the submitted version of the same period, if any (default: looked up); the workbook then
    gets a sheet of every figure that differs from it and the records that changed since."""
    from .submission import differences, submitted_version
    from .summary import write_docx

    if submitted is None:
        submitted = submitted_version(period.code, station)
    with snapshot():
        data = collect(period, station, progress=progress)
        if submitted is not None:
            data.differences = differences(period, station, data.values, submitted)
    with snapshot():
        _atomic_write(xlsx_path, lambda tmp: write_workbook(data, tmp, progress=progress))
    if docx_path:
        _atomic_write(docx_path, lambda tmp: write_docx(data, tmp))
    return data


@contextmanager
def snapshot():
    """A read-only repeatable-read transaction, so every figure of one step sees the same data
    (pretix). Inside an outer transaction (tests, callers) the outer one is used as it is."""
    from core.replica import read_alias

    alias = read_alias()  # the replica when the caller reads from it (core.replica)
    conn = connections[alias]
    if conn.in_atomic_block or conn.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias):
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _atomic_write(path: str | Path, writer: Callable[[str], None]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        writer(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
