"""Every indicator of STATISTICS.md, in the order of its table.

Each indicator is defined once, beside the records it counts (`intake/indicators.py`,
`cases/indicators.py`, `funding/indicators.py`, `publicity/indicators.py`,
`stations/indicators.py`; the engine is `core/indicators.py`). This module only puts
them in the order of STATISTICS.md and adds the three figures made of other figures.
`compute(period, station)` evaluates them with one aggregate query per model family;
`indicator_rows` adds the same period last year, the change in percent and the target
rows. Decisions on ambiguous definitions: DECISIONS.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cases import indicators as cases_ind
from core.indicators import CENT, TENTH, Measure, Ratio, Registry, Total, change, money, rate  # noqa: F401
from funding import indicators as funding_ind
from intake import indicators as intake_ind
from publicity import indicators as publicity_ind
from stations import indicators as stations_ind

from .periods import Period

_cases = {m.code: m for m in [*cases_ind.accepted_measures, *cases_ind.closed_measures, *cases_ind.stock_measures,
                               *cases_ind.assignment_measures, *cases_ind.quality_measures]}
_subsidy = {m.code: m for m in funding_ind.subsidy_measures}
_funding = {m.code: m for m in funding_ind.funding_measures}

REGISTRY = Registry([
    intake_ind.received, intake_ind.granted, intake_ind.refused,
    *cases_ind.accepted_measures[:-1],  # … up to recipients.total
    cases_ind.accepted_measures[-1],  # cases.accepted.by_lawyer
    Ratio("rate.by_lawyer", "律师办案占比", "%", "cases.accepted.by_lawyer", "cases.accepted"),
    *cases_ind.closed_measures,
    Ratio("rate.closure", "结案率", "%", "cases.closed", "cases.accepted"),
    *cases_ind.stock_measures,
    *intake_ind.consultations,
    *intake_ind.matters,
    Total("services.total", "法律援助服务", "人次",
          ("recipients.total", "consultations.total", "matters.duty_lawyer", "matters.drafting")),
    Ratio("rate.review_on_time", "审查及时率", "%", "applications.decided.on_time", "applications.decided"),
    Ratio("rate.assign_on_time", "指派及时率", "%", "cases.assigned.on_time", "cases.assigned"),
    Total("cases.overdue_at_end", "期末逾期事项", "件", ("applications.overdue_at_end", "cases.overdue")),
    *[_cases[c] for c in ["quality.graded", "quality.excellent", "quality.good", "quality.pass", "quality.fail"]],
    Ratio("rate.quality_pass", "案件合格率", "%", "quality.graded", "quality.graded", numerator_adjust="quality.fail"),
    _cases["quality.hearings"],
    Ratio("rate.hearing", "旁听率", "%", "quality.hearings", "cases.closed.litigation"),
    _cases["followups.total"],
    Ratio("rate.followup", "回访率", "%", "followups.total", "cases.closed"),
    Ratio("rate.satisfaction", "满意率", "%", "followups.satisfied", "followups.rated"),
    cases_ind.discussions, cases_ind.complaints,
    *funding_ind.subsidy_measures,
    *funding_ind.funding_measures,
    *publicity_ind.measures,
    *stations_ind.measures,
    # Parts of rates and totals, not rows of 指标 (their lists are what a rate or a total opens).
    intake_ind.decided, intake_ind.decided_on_time, intake_ind.overdue,
    *cases_ind.assignment_measures, _cases["cases.closed.litigation"],
    *cases_ind.followup_measures, intake_ind.phone_only,
])

INDICATORS: list[tuple[str, str, str]] = [(i.code, i.name, i.unit) for i in REGISTRY.published]
CODES = REGISTRY.codes
BY_CODE = {code: (name, unit) for code, name, unit in INDICATORS}
GROUPS = cases_ind.GROUPS
# County-wide only: a station report leaves these empty (DECISIONS.md).
COUNTY_ONLY = {i.code for i in REGISTRY if i.published and (
    (isinstance(i, Measure) and i.family.station_field is None)
    or (isinstance(i, Ratio) and any(isinstance(REGISTRY[c], Measure) and REGISTRY[c].family.station_field is None
                                     for c in i.parts)))}


def compute(p: Period, station=None, *, progress=None) -> dict:
    """{code: value} for every indicator of one period (ints, Decimal money, float rates, None).
    `progress(done, total)`: measures computed so far (core.indicators.Registry.evaluate)."""
    values = REGISTRY.evaluate(p, station, progress=progress)
    return {code: values[code] for code in CODES}


def compute_all(p: Period, station=None) -> dict:
    """compute() plus the parts of rates and totals (for their lists)."""
    return REGISTRY.evaluate(p, station)


@dataclass
class Row:
    code: str
    name: str
    unit: str
    value: object
    last: object
    change: float | None


def targets_for(year: int, station) -> dict:
    from .models import Target

    return {t.code: t.value for t in Target.objects.filter(year=year, station=station)}


def indicator_rows(p: Period, station=None, *, values: dict | None = None, last: dict | None = None,
                   with_targets: bool = True, year_to_date: dict | None = None) -> list[Row]:
    """The 指标 sheet: every indicator with last year and change %, then target rows.

    `year_to_date`: the figures from 1 January to the period's end (reports.builder.year_to_date), what a
    target's completion is measured on; the period's own figures when it starts on 1 January."""
    values = compute(p, station) if values is None else values
    last = compute(p.last_year(), station) if last is None else last
    rows = [Row(code, name, unit, values[code], last[code], change(values[code], last[code]))
            for code, name, unit in INDICATORS]
    if with_targets:
        rows += target_rows(p, station, values if year_to_date is None else year_to_date)
    return rows


def target_rows(p: Period, station, values: dict) -> list[Row]:
    """`values`: the figures of the year to the period's end (a target is the year's)."""
    targets = targets_for(p.year, station)
    rows = []
    for code, name, unit in INDICATORS:
        if code not in targets:
            continue
        target = targets[code]
        rows.append(Row(f"target.{code}", f"{name}目标", unit, target_value(target, unit), None, None))
        rows.append(Row(f"rate.target.{code}", f"{name}目标完成率", "%", rate(values.get(code), target), None, None))
    return rows


def target_value(target: Decimal, unit: str):
    """A target as a figure of its unit: money in yuan with two decimals (Decimal, the money format of the
    workbook), a rate as a float, a count as a whole number when it is one."""
    return money(target) if unit == "元" else (float(target) if unit == "%" else _whole(target))


def _whole(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)
