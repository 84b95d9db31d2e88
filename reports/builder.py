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
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

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

    @property
    def title(self) -> str:
        return f"{self.who}{self.period.label}法律援助工作总结"

    @property
    def who(self) -> str:
        if self.station is not None:
            return self.station.name
        from core.models import CenterProfile

        return CenterProfile.get().name


def collect(period: Period, station=None) -> ReportData:
    values = ind.compute(period, station)
    last = ind.compute(period.last_year(), station)
    rows = ind.indicator_rows(period, station, values=values, last=last)
    return ReportData(period, station, values, last, rows)


# --- the 指标 sheet and the breakdowns ------------------------------------------------------------

def indicator_sheet_rows(data: ReportData) -> Iterator[list]:
    for r in data.rows:
        yield [r.code, r.name, r.unit, _num(r.value), _num(r.last), r.change]


def _num(value):
    """Numbers as numbers: ints stay ints, money stays Decimal (2 places), rates float (1 place)."""
    return value


def _cases_qs(data: ReportData):
    from cases.models import Case

    qs = Case.objects.all()
    if data.station is not None:
        qs = qs.filter(station=data.station)
    return qs


def _acc(p: Period) -> Q:
    return Q(accepted_on__gte=p.start, accepted_on__lte=p.end)


def _closed(p: Period) -> Q:
    return Q(closed_on__gte=p.start, closed_on__lte=p.end, status__in=["closed", "archived"])


def by_cause_rows(data: ReportData) -> list[list]:
    p = data.period
    qs = _cases_qs(data).filter(_acc(p) | _closed(p)).values("cause").annotate(
        accepted=Count("id", filter=_acc(p)), closed=Count("id", filter=_closed(p))).order_by()
    found = {r["cause"]: r for r in qs}
    rows = []
    for code in [*CAUSE.codes, ""]:
        if code in found:
            r = found[code]
            rows.append([CAUSE.zh.get(code, "未填"), r["accepted"], r["closed"]])
    return rows


def by_group_rows(data: ReportData) -> list[list]:
    rows = []
    for g in ind.GROUPS:
        code = f"cases.accepted.group.{g}"
        rows.append([GROUP.zh[g], data.values[code], data.last[code], ind.change(data.values[code], data.last[code])])
    return rows


def by_stage_rows(data: ReportData) -> list[list]:
    qs = _cases_qs(data).filter(_acc(data.period)).values("category", "stage").annotate(n=Count("id")).order_by()
    found = {(r["category"], r["stage"]): r["n"] for r in qs}
    rows = []
    for cat in CATEGORY.codes:
        for stage in [*STAGE.codes, ""]:
            if (cat, stage) in found:
                rows.append([CATEGORY.zh[cat], STAGE.zh.get(stage, "未填"), found[(cat, stage)]])
    return rows


def _station_names() -> dict:
    from stations.models import Station

    return dict(Station.objects.values_list("pk", "name"))


def cases_by_station(period: Period, station=None) -> list[dict]:
    """Accepted, closed, terminated and open cases per station (None = the center) in one grouped query."""
    from cases.models import Case

    p = period
    qs = Case.objects.all()
    if station is not None:
        qs = qs.filter(station=station)
    end = p.end
    open_q = (Q(accepted_on__lte=end) & ~Q(closed_on__lte=end, closed_on__isnull=False)
              & ~Q(terminated_on__lte=end, terminated_on__isnull=False))
    return list(qs.values("station").annotate(
        accepted=Count("id", filter=_acc(p)), closed=Count("id", filter=_closed(p)),
        terminated=Count("id", filter=Q(terminated_on__gte=p.start, terminated_on__lte=end)),
        open=Count("id", filter=open_q),
        recipients=Coalesce(Sum("recipient_count", filter=_acc(p)), Value(0), output_field=IntegerField()),
    ).order_by("station"))


def by_station_rows(data: ReportData) -> list[list]:
    names = _station_names()
    return [[names.get(r["station"], CENTER), r["accepted"], r["closed"], r["terminated"], r["open"], r["recipients"]]
            for r in cases_by_station(data.period, data.station)]


def _consultations_qs(data: ReportData):
    from intake.models import Consultation

    start, stop = data.period.datetime_range()
    qs = Consultation.objects.filter(occurred_at__gte=start, occurred_at__lt=stop)
    if data.station is not None:
        qs = qs.filter(station=data.station)
    return qs


def consultations_by(field_name: str, data: ReportData) -> dict:
    qs = _consultations_qs(data).values(field_name).annotate(n=Sum("person_count")).order_by()
    return {r[field_name]: r["n"] or 0 for r in qs}


def consultation_channel_rows(data: ReportData) -> list[list]:
    found = consultations_by("channel", data)
    return [[CHANNEL.zh[c], found.get(c, 0)] for c in CHANNEL.codes]


def consultation_topic_rows(data: ReportData) -> list[list]:
    found = consultations_by("topic", data)
    return [[TOPIC.zh.get(t, "未填"), found[t]] for t in [*TOPIC.codes, ""] if t in found]


def consultation_station_rows(data: ReportData) -> list[list]:
    names = _station_names()
    found = consultations_by("station", data)
    return [[names.get(s, CENTER), n] for s, n in sorted(found.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0))]


def publicity_rows(data: ReportData) -> list[list]:
    from publicity.models import Event

    p = data.period
    qs = Event.objects.filter(date__gte=p.start, date__lte=p.end)
    if data.station is not None:
        qs = qs.filter(station=data.station)
    found = {r["form"]: r for r in qs.values("form").annotate(
        n=Count("id"), materials=Sum("materials"), onsite=Sum("onsite"), audience=Sum("audience")).order_by()}
    return [[PUBLICITY_FORM.zh[f], found[f]["n"], found[f]["materials"] or 0, found[f]["onsite"] or 0,
             found[f]["audience"] or 0] for f in PUBLICITY_FORM.codes if f in found]


def funding_rows(data: ReportData) -> list[list]:
    """Budget by source and spending by category (county-wide only)."""
    if data.station is not None:
        return [["预算", "（工作站报告不含经费数据）", None]]
    from funding.models import Budget, Spending

    p = data.period
    budgets = {r["source"]: r["s"] for r in Budget.objects.filter(year__in=p.years()).values("source")
               .annotate(s=Sum("amount")).order_by()}
    spent = {r["category"]: r["s"] for r in Spending.objects.filter(date__gte=p.start, date__lte=p.end)
             .values("category").annotate(s=Sum("amount")).order_by()}
    rows = [["预算", FUNDING_SOURCE.zh[s], ind.money(budgets.get(s))] for s in FUNDING_SOURCE.codes]
    rows += [["支出", SPENDING_CATEGORY.zh[c], ind.money(spent.get(c))] for c in SPENDING_CATEGORY.codes]
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
    """Targets of the year with completion % and a straight-line projection to year end."""
    from .models import Target

    start = date(year, 1, 1)
    days_in_year = (date(year, 12, 31) - start).days + 1
    last_day = min(max(today, start), date(year, 12, 31))
    elapsed = (last_day - start).days + 1
    out = []
    for t in Target.objects.filter(year=year, station=station):
        name, unit = ind.BY_CODE.get(t.code, (t.code, ""))
        value = values.get(t.code)
        projection = None
        if value is not None and unit != "%" and not t.code.startswith("network."):
            projection = (Decimal(value) / elapsed * days_in_year).quantize(Decimal("0.1"))
        elif value is not None:
            projection = value  # levels (network, rates) are not extrapolated
        out.append({"target": t, "code": t.code, "name": name, "unit": unit, "value": value,
                    "completion": ind.rate(value, t.value), "projection": projection,
                    "projected_completion": ind.rate(projection, t.value) if projection is not None else None})
    order = {c: i for i, c in enumerate(ind.CODES)}
    return sorted(out, key=lambda r: order.get(r["code"], 999))


def target_sheet_rows(data: ReportData) -> list[list]:
    today = min(date.today(), data.period.end)
    return [[r["code"], r["name"], r["unit"], ind._whole(r["target"].value), r["value"], r["completion"],
             _float(r["projection"]), r["projected_completion"]]
            for r in target_progress(data.period.year, data.station, data.values, today)]


def _float(v):
    return float(v) if isinstance(v, Decimal) else v


def case_list_rows(data: ReportData) -> Iterator[list]:
    """The accepted cases with the 案件 ledger columns of LEDGER.md (ID numbers masked)."""
    from applicants.idcard import mask

    qs = (_cases_qs(data).filter(_acc(data.period))
          .select_related("recipient", "handler", "handler__provider", "station", "subsidy")
          .order_by("accepted_on", "number"))
    for case in qs.iterator(chunk_size=2000):
        try:
            sub = case.subsidy
        except ObjectDoesNotExist:
            sub = None
        person = case.recipient
        handler = case.handler
        outcome = "终止" if case.status == "terminated" else CASE_OUTCOME.zh.get(case.outcome, "")
        yield [
            case.number, case.accepted_on, CATEGORY.zh.get(case.category, ""), SOURCE.zh.get(case.source, ""),
            ORGAN.zh.get(case.organ, ""), STAGE.zh.get(case.stage, ""), AID_FORM.zh.get(case.aid_form, ""),
            CAUSE.zh.get(case.cause, ""), person.name, mask(person.id_number) if person.id_number else "",
            SEX.zh.get(person.sex, ""), person.birth_date,
            "、".join(GROUP.zh[g] for g in GROUP.codes if g in (case.recipient_groups or [])),
            case.is_mass, case.recipient_count, handler.name if handler else "",
            HANDLER_KIND.zh.get(handler.kind, "") if handler else "",
            handler.provider.name if handler and handler.provider else "",
            case.assigned_on, case.closed_on or case.terminated_on, outcome, case.amount_recovered,
            case.amount_involved, GRADE.zh.get(case.grade, ""), sub.amount if sub else None,
            sub.paid_on if sub else None, case.station.name if case.station else "",
        ]


# --- writers -------------------------------------------------------------------------------------

def write_workbook(data: ReportData, path: str | Path) -> None:
    book = SafeWorkbook()
    book.add_sheet("指标", HEADER, indicator_sheet_rows(data), widths={0: 40, 1: 22, 2: 6, 3: 16, 4: 16, 5: 10})
    book.add_sheet("案件按案由", ["案由", "受理", "结案"], by_cause_rows(data))
    book.add_sheet("案件按人群", ["人群类别", "本期", "上年同期", "同比(%)"], by_group_rows(data))
    book.add_sheet("案件按阶段", ["案件类别", "诉讼阶段", "受理"], by_stage_rows(data))
    book.add_sheet("案件按工作站", ["工作站", "受理", "结案", "终止", "期末未结", "受援人数"], by_station_rows(data))
    book.add_sheet("咨询按方式", ["方式", "人次"], consultation_channel_rows(data))
    book.add_sheet("咨询按事项", ["事项类别", "人次"], consultation_topic_rows(data))
    book.add_sheet("咨询按工作站", ["工作站", "人次"], consultation_station_rows(data))
    book.add_sheet("宣传按形式", ["活动形式", "场次", "发放资料", "现场咨询", "受众"], publicity_rows(data))
    book.add_sheet("经费", ["类型", "来源或类别", "金额"], funding_rows(data))
    book.add_sheet("质量", ["指标", "单位", "本期", "上年同期", "同比(%)"], quality_rows(data))
    book.add_sheet("目标", ["编码", "指标", "单位", "目标", "完成", "完成率(%)", "预计全年", "预计完成率(%)"],
                   target_sheet_rows(data))
    book.add_sheet("受理案件", CASE_COLUMNS, case_list_rows(data))
    book.save(path)


def build(period: Period, station=None, *, xlsx_path: str | Path, docx_path: str | Path | None = None,
          progress: Callable[[int], None] | None = None) -> ReportData:
    """Build the report into the given paths (each written to a temporary file first, then renamed)."""
    from .summary import write_docx

    step = progress or (lambda n: None)
    step(5)
    with snapshot():
        data = collect(period, station)
    step(30)
    with snapshot():
        _atomic_write(xlsx_path, lambda tmp: write_workbook(data, tmp))
    step(80)
    if docx_path:
        _atomic_write(docx_path, lambda tmp: write_docx(data, tmp))
    step(95)
    return data


@contextmanager
def snapshot():
    """A read-only repeatable-read transaction, so every figure of one step sees the same data
    (pretix). Inside an outer transaction (tests, callers) the outer one is used as it is."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
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
