"""The list behind every figure: the records an indicator counts, with the very filter that counts them.

`figure_list(code, period, station)` takes the indicator's one definition (reports.indicators.REGISTRY):
- a count or a sum (`Measure`): its records, paginated, with the total (count) and the sum row (人次, money)
  computed over the same queryset as the figure, so they agree by construction;
- a rate or an average (`Ratio`): the numerator's list, and the parts it is made of with their links;
- a total (`Total`, e.g. 法律援助服务, 期末逾期事项): each part's list in turn, and their sum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Sum
from django.urls import reverse

from core.choices import (
    CATEGORY,
    CHANNEL,
    FUNDING_SOURCE,
    GRADE,
    MATTER_KIND,
    MEDIA_LEVEL,
    PUBLICITY_FORM,
    SATISFACTION,
    SPENDING_CATEGORY,
    STATION_KIND,
)
from core.display import time_text
from core.indicators import CENTER, Measure, Ratio

from .indicators import REGISTRY
from .periods import Period

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable
    field: str | None = None  # a number column: the field it shows (its sum goes in the sum row)
    personal: bool = False  # a person's name: shown only to those who may open the records themselves


def _n(header: str, field: str) -> Column:
    return Column(header, _d(field), field)


def _d(attr: str) -> Callable:
    def get(obj):
        for part in attr.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj
    return get


def _zh(vocab, attr: str) -> Callable:
    get = _d(attr)
    return lambda obj: vocab.zh.get(get(obj), get(obj) or "")


def _station(obj):
    st = getattr(obj, "station", None)
    return st.name if st else "中心"


def _case_station(obj):
    case = getattr(obj, "case", None)
    return case.station.name if case is not None and case.station else ("中心" if case is not None else "")


@dataclass(frozen=True)
class Layout:
    related: tuple[str, ...]
    columns: tuple[Column, ...]
    link: str | None  # URL name of the record's page, given its pk
    order: tuple[str, ...]


LAYOUTS: dict[str, Layout] = {
    "cases": Layout(("recipient", "station", "handler"), (
        Column("案号", _d("number")), Column("受理日期", _d("accepted_on")),
        Column("案件类别", _zh(CATEGORY, "category")), Column("受援人", _d("recipient.name"), personal=True),
        _n("受援人数", "recipient_count"), _n("涉案金额", "amount_involved"), _n("挽回经济损失", "amount_recovered"),
        Column("指派日期", _d("assigned_on")),
        Column("结案或终止日期", lambda c: c.closed_on or c.terminated_on), Column("状态", lambda c: c.get_status_display()),
        Column("工作站", _station)), "cases:case_detail", ("accepted_on", "pk")),
    "applications": Layout(("applicant", "station"), (
        Column("收件编号", _d("number")), Column("中心收到日期", _d("center_received_on")),
        Column("申请人", _d("applicant.name"), personal=True),
        Column("案件类别", _zh(CATEGORY, "category")), Column("审查期限", _d("review_due")),
        Column("决定日期", _d("decided_on")), Column("状态", lambda a: a.get_status_display()),
        Column("工作站", _station)), "intake:application_detail", ("center_received_on", "pk")),
    "consultations": Layout(("station",), (
        Column("时间", lambda c: c.occurred_at), Column("方式", _zh(CHANNEL, "channel")),
        Column("咨询人", _d("person_name"), personal=True), _n("人次", "person_count"), Column("工作站", _station)),
        "intake:consultation_detail", ("occurred_at", "pk")),
    "matters": Layout(("station",), (
        Column("日期", _d("date")), Column("类型", _zh(MATTER_KIND, "kind")), Column("地点", _d("place")),
        Column("律师", _d("lawyer_name")), Column("当事人", _d("person_name"), personal=True),
        Column("认罪认罚", lambda m: "是" if m.plea else ""), _n("人次", "person_count"),
        Column("工作站", _station)), "intake:matter_detail", ("date", "pk")),
    "followups": Layout(("case", "case__station"), (
        Column("回访日期", _d("date")), Column("案号", _d("case.number")),
        Column("满意度", _zh(SATISFACTION, "satisfaction")), Column("工作站", _case_station)), None, ("date", "pk")),
    "discussions": Layout(("case", "case__station"), (
        Column("讨论日期", _d("held_on")), Column("案号", _d("case.number")), Column("参加人", _d("participants")),
        Column("工作站", _case_station)), None, ("held_on", "pk")),
    "complaints": Layout(("case", "case__station"), (
        Column("收到日期", _d("received_on")), Column("案号", _d("case.number")), Column("投诉人", _d("complainant"), personal=True),
        Column("工作站", _case_station)), None, ("received_on", "pk")),
    "subsidy_payments": Layout(("subsidy__case", "subsidy__handler", "subsidy__case__station", "batch"), (
        Column("案号", _d("subsidy.case.number")), Column("收款人", _d("subsidy.handler.name"), personal=True),
        Column("质量等级", _zh(GRADE, "subsidy.case.grade")), Column("类型", lambda x: "冲销" if x.kind == "reversal" else "发放"),
        _n("金额", "amount"), _n("件数", "case_count"), Column("日期", _d("date")), Column("批次", _d("batch.number")),
        Column("工作站", lambda x: _case_station(x.subsidy))), "funding:payment_detail", ("date", "pk")),
    "budgets": Layout((), (
        Column("年度", _d("year")), Column("来源", _zh(FUNDING_SOURCE, "source")), _n("金额", "amount"),
        Column("备注", _d("note"))), "funding:budget_detail", ("year", "source", "pk")),
    "spending": Layout((), (
        Column("日期", _d("date")), Column("类别", _zh(SPENDING_CATEGORY, "category")),
        _n("金额", "amount"), Column("说明", _d("description"))), "funding:spending_detail", ("date", "pk")),
    "events": Layout(("station",), (
        Column("日期", _d("date")), Column("主题", _d("title")), Column("形式", _zh(PUBLICITY_FORM, "form")),
        _n("发放资料", "materials"), _n("现场咨询", "onsite"),
        _n("受众", "audience"), Column("工作站", _station)), "publicity:event_detail", ("date", "pk")),
    "media": Layout(("station",), (
        Column("日期", _d("date")), Column("媒体", _d("outlet")), Column("标题", _d("title")),
        Column("级别", _zh(MEDIA_LEVEL, "level")), Column("工作站", _station)), "publicity:media_detail", ("date", "pk")),
    "stations": Layout((), (
        Column("名称", _d("name")), Column("类型", _zh(STATION_KIND, "kind")), Column("设立日期", _d("opened_on"))),
        "stations:station_detail", ("name", "pk")),
    "contact_points": Layout(("station",), (
        Column("名称", _d("name")), Column("工作站", _station), Column("设立日期", _d("opened_on"))),
        "stations:contactpoint_detail", ("name", "pk")),
    "liaisons": Layout(("contact_point", "contact_point__station"), (
        Column("姓名", _d("name")), Column("联系点", _d("contact_point.name")),
        Column("工作站", lambda x: x.contact_point.station.name)), None, ("name", "pk")),
    "volunteers": Layout(("station",), (
        Column("姓名", _d("name")), Column("单位", _d("organisation")), Column("工作站", _station)),
        None, ("name", "pk")),
}


def figure_url(code: str, p: Period, station=None) -> str | None:
    """The link of a figure: its list, for this period and scope (station, or CENTER for no station)."""
    if code not in REGISTRY:
        return None
    params = [*p.query]
    if station is not None:
        params.append(("station", station if station == CENTER else station.pk))
    return f"{reverse('reports:figure', args=[code])}?{urlencode(params)}"


@dataclass
class Section:
    """One list: a measure's records for the period and scope."""

    measure: Measure
    value: object
    total: int
    sum_value: object
    page: object
    rows: list
    layout: Layout

    @property
    def headers(self):
        return [{"text": c.header, "number": c.field is not None} for c in self.layout.columns]

    @property
    def footer(self) -> list[str]:
        """The sum row: the number of records first, the figure's sum under its own column."""
        cells = [f"合计 {self.total} 条"] + [""] * (len(self.layout.columns) - 1)
        for i, c in enumerate(self.layout.columns):
            if i and c.field and c.field == self.measure.sum_field:
                cells[i] = _text(self.sum_value)
        return cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):  # datetimes too: Beijing time, one formatting path (core/display.py)
        return time_text(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, bool):
        return "是" if value else ""
    return str(value)


HIDDEN_PERSON = "已登记人员"


def _people_seen(family: str, viewer) -> Callable | None:
    """How a viewer of a family's figure list sees its people: None when the viewer may not open these records
    at all (no names, no links: finance, or station staff and the matters they have no list of), else a row
    test — whether this row's person may be named to the viewer (a station's case or application for a person
    registered by another station says 已登记人员, as its own page does: DOMAIN.md §13)."""
    if viewer is None:
        return lambda obj: True
    if family in ("cases", "complaints"):
        from cases.selectors import may_list_cases, recipient_is_visible

        if not may_list_cases(viewer):
            return None
        if family == "complaints":
            return lambda obj: True
        return lambda case: recipient_is_visible(viewer, case)
    if family == "applications":
        from applicants.selectors import person_is_visible

        if not viewer.can("application_intake"):
            return None
        return lambda app: person_is_visible(viewer, app.applicant)
    if family == "subsidy_payments":  # whom the center paid: for those who compute and pay subsidies (§7)
        return (lambda obj: True) if viewer.can("subsidy_manage") or viewer.can("payment_manage") else None
    needs = {"consultations": "consultation_log", "matters": "matter_log"}.get(family)
    if needs is not None and not viewer.can(needs):
        return None
    return lambda obj: True


def _rows(layout: Layout, objects, seen: Callable | None) -> list[dict]:
    out = []
    personal = any(c.personal for c in layout.columns)
    for obj in objects:
        # Records about people (cases, applications, consultations, matters, complaints) are not opened by
        # viewers who may not see them; money and publicity records are.
        hide_link = personal and seen is None
        named = seen is not None and seen(obj)
        url = reverse(layout.link, args=[obj.pk]) if layout.link and not hide_link else None
        cells = []
        for c in layout.columns:
            text = _text(c.value(obj)) if not c.personal or named else ("—" if seen is None else HIDDEN_PERSON)
            cells.append({"text": text, "number": c.field is not None})
        out.append({"url": url, "cells": cells})
    return out


def section(measure: Measure, p: Period, station, page_number=None, viewer=None) -> Section:
    """The records of one measure: total and sum over the whole list (the figure), one page of rows.

    `viewer`: the user looking (None: a test or a job that shows everything); names and links as _people_seen."""
    layout = LAYOUTS[measure.family.key]
    qs = measure.records(p, station)
    qs = qs.select_related(*layout.related).order_by(*layout.order)
    if measure.sum_field:
        agg = qs.order_by().aggregate(s=Sum(measure.sum_field))
        sum_value = measure.clean(agg["s"])
    else:
        sum_value = None
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    total = page.paginator.count
    value = sum_value if measure.sum_field else total
    seen = _people_seen(measure.family.key, viewer)
    return Section(measure, value, total, sum_value, page, _rows(layout, page.object_list, seen), layout)


def figure_list(code: str, p: Period, station=None, page_number=None, viewer=None) -> dict:
    """What the figure's page shows; KeyError for an unknown code."""
    item = REGISTRY[code]
    values = REGISTRY.evaluate(p, station, codes=[code])
    ctx = {"item": item, "value": values[code], "period": p, "station": station, "sections": [], "parts": []}
    if isinstance(item, Measure):
        if station is not None and item.family.station_field is None:
            ctx["county_only"] = True
            return ctx
        ctx["sections"] = [section(item, p, station, page_number, viewer)]
    elif isinstance(item, Ratio):
        ctx["parts"] = [{"code": c, "name": REGISTRY[c].name, "unit": REGISTRY[c].unit, "value": values[c],
                         "url": figure_url(c, p, station)} for c in item.parts]
        numerator = REGISTRY[item.numerator]
        if isinstance(numerator, Measure) and not (station is not None and numerator.family.station_field is None):
            ctx["sections"] = [section(numerator, p, station, page_number, viewer)]
    else:
        ctx["parts"] = [{"code": c, "name": REGISTRY[c].name, "unit": REGISTRY[c].unit, "value": values[c],
                         "url": figure_url(c, p, station)} for c in item.parts]
        # Several lists on one page: each shows its first page and links to its own list for the rest.
        ctx["sections"] = [section(REGISTRY[c], p, station, viewer=viewer) for c in item.parts
                           if isinstance(REGISTRY[c], Measure)]
    return ctx
