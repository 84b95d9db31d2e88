"""Every indicator of STATISTICS.md, in the order of its table, by SQL aggregation.

`compute(period, station)` returns {code: value} for one period with a fixed number
of queries (one aggregate per model family, whatever the data size).
`indicator_rows(period, station)` adds the same period last year, the change in
percent and the target rows. Decisions on ambiguous definitions: DECISIONS.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from core.choices import CITY_PLUS_LEVELS, LAWYER_KINDS

from .periods import Period

# (code, 指标, unit) in the exact order of the STATISTICS.md table.
INDICATORS: list[tuple[str, str, str]] = [
    ("applications.received", "收到援助申请", "件"),
    ("applications.granted", "决定给予援助", "件"),
    ("applications.refused", "决定不予援助", "件"),
    ("cases.accepted", "受理案件", "件"),
    ("cases.accepted.criminal", "受理刑事案件", "件"),
    ("cases.accepted.civil", "受理民事案件", "件"),
    ("cases.accepted.administrative", "受理行政案件", "件"),
    ("cases.accepted.criminal.notified", "通知辩护案件", "件"),
    ("cases.accepted.criminal.investigation", "侦查阶段", "件"),
    ("cases.accepted.criminal.prosecution", "审查起诉阶段", "件"),
    ("cases.accepted.criminal.trial", "审判阶段", "件"),
    ("cases.accepted.litigation", "诉讼案件", "件"),
    ("cases.accepted.non_litigation", "非诉讼案件", "件"),
    ("cases.accepted.group.migrant_worker", "农民工", "件"),
    ("cases.accepted.group.women", "妇女", "件"),
    ("cases.accepted.group.minor", "未成年人", "件"),
    ("cases.accepted.group.elderly", "老年人", "件"),
    ("cases.accepted.group.disabled", "残疾人", "件"),
    ("cases.accepted.group.military", "军人军属", "件"),
    ("cases.accepted.group.low_income", "低保特困", "件"),
    ("cases.accepted.migrant_wage", "农民工讨薪案件", "件"),
    ("cases.accepted.mass", "群体性案件", "件"),
    ("recipients.total", "受援人数", "人"),
    ("cases.accepted.by_lawyer", "律师承办案件", "件"),
    ("rate.by_lawyer", "律师办案占比", "%"),
    ("cases.closed", "结案", "件"),
    ("cases.closed.criminal", "刑事结案", "件"),
    ("cases.closed.civil", "民事结案", "件"),
    ("cases.closed.administrative", "行政结案", "件"),
    ("rate.closure", "结案率", "%"),
    ("cases.terminated", "终止援助", "件"),
    ("cases.open_at_end", "期末未结案件", "件"),
    ("amount.recovered", "挽回经济损失", "元"),
    ("amount.involved", "涉案金额", "元"),
    ("consultations.total", "法律咨询", "人次"),
    ("consultations.visit", "来访咨询", "人次"),
    ("consultations.phone", "来电咨询", "人次"),
    ("consultations.hotline", "其中12348热线", "人次"),
    ("consultations.letter", "来信咨询", "人次"),
    ("consultations.online", "网络咨询", "人次"),
    ("consultations.event", "活动现场咨询", "人次"),
    ("matters.duty_lawyer", "值班律师法律帮助", "人次"),
    ("matters.duty_lawyer.plea", "其中认罪认罚", "人次"),
    ("matters.drafting", "代拟法律文书", "件"),
    ("services.total", "法律援助服务", "人次"),
    ("rate.review_on_time", "审查及时率", "%"),
    ("rate.assign_on_time", "指派及时率", "%"),
    ("cases.overdue_at_end", "期末逾期事项", "件"),
    ("quality.graded", "质量评估案件", "件"),
    ("quality.excellent", "评为优秀", "件"),
    ("quality.good", "评为良好", "件"),
    ("quality.pass", "评为合格", "件"),
    ("quality.fail", "评为不合格", "件"),
    ("rate.quality_pass", "案件合格率", "%"),
    ("quality.hearings", "旁听庭审", "件"),
    ("rate.hearing", "旁听率", "%"),
    ("followups.total", "回访", "件"),
    ("rate.followup", "回访率", "%"),
    ("rate.satisfaction", "满意率", "%"),
    ("quality.discussions", "集体讨论", "次"),
    ("complaints.total", "投诉", "件"),
    ("subsidy.paid.total", "发放办案补贴", "元"),
    ("subsidy.paid.cases", "发放补贴案件", "件"),
    ("subsidy.average", "案均补贴", "元"),
    ("funding.budget", "经费预算", "元"),
    ("funding.budget.central", "中央转移支付", "元"),
    ("funding.budget.provincial", "省级专项", "元"),
    ("funding.budget.municipal", "市级", "元"),
    ("funding.budget.county", "县级财政", "元"),
    ("funding.budget.other", "其他来源", "元"),
    ("funding.spent", "经费支出", "元"),
    ("funding.spent.subsidy", "办案补贴支出", "元"),
    ("funding.spent.publicity", "宣传支出", "元"),
    ("rate.funding_used", "经费使用率", "%"),
    ("rate.subsidy_share", "办案补贴占比", "%"),
    ("publicity.events", "宣传活动", "场次"),
    ("publicity.materials", "发放宣传资料", "份"),
    ("publicity.onsite", "现场咨询", "人次"),
    ("publicity.audience", "受众", "人次"),
    ("publicity.media_reports", "媒体报道", "篇"),
    ("publicity.media_reports.city_plus", "市级以上媒体报道", "篇"),
    ("network.stations", "法律援助工作站", "个"),
    ("network.contact_points", "联系点", "个"),
    ("network.liaisons", "联络员", "人"),
    ("network.volunteers", "法律援助志愿者", "人"),
]
CODES = [code for code, _n, _u in INDICATORS]
BY_CODE = {code: (name, unit) for code, name, unit in INDICATORS}
GROUPS = ["migrant_worker", "women", "minor", "elderly", "disabled", "military", "low_income"]
# County-wide only: a station report leaves these empty (DECISIONS.md).
COUNTY_ONLY = {c for c in CODES if c.startswith("funding.")} | {"rate.funding_used", "rate.subsidy_share"}

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(num, den) -> float | None:
    """num / den in percent with one decimal; None when the denominator is 0."""
    if den is None or num is None or den == 0:
        return None
    return float((Decimal(num) * 100 / Decimal(den)).quantize(TENTH, rounding=ROUND_HALF_UP))


def change(this, last) -> float | None:
    if this is None or last is None or last == 0:
        return None
    return float(((Decimal(str(this)) - Decimal(str(last))) * 100 / Decimal(str(last)))
                 .quantize(TENTH, rounding=ROUND_HALF_UP))


def _sum(field: str, q: Q):
    return Coalesce(Sum(field, filter=q), Value(0), output_field=IntegerField())


def _sum_money(field: str, q: Q):
    return Sum(field, filter=q)


def _between(field: str, p: Period) -> Q:
    return Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


# --- one aggregate per model family --------------------------------------------------------------

def _applications(p: Period, station) -> dict:
    from intake.models import Application

    qs = Application.objects.exclude(status="draft")
    if station is not None:
        qs = qs.filter(station=station)
    end = p.end
    decided = _between("decided_on", p) & Q(status__in=["granted", "refused"])
    open_at_end = (Q(received_on__lte=end)
                   & (Q(decided_on__isnull=True) | Q(decided_on__gt=end))
                   & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
                   & ~Q(status="withdrawn", withdrawn_on__isnull=True))
    r = qs.aggregate(
        received=Count("id", filter=_between("received_on", p)),
        granted=Count("id", filter=_between("decided_on", p) & Q(status="granted")),
        refused=Count("id", filter=_between("decided_on", p) & Q(status="refused")),
        decided=Count("id", filter=decided),
        decided_on_time=Count("id", filter=decided & (Q(review_due__isnull=True)
                                                      | Q(decided_on__lte=models_f("review_due")))),
        overdue=Count("id", filter=open_at_end & Q(review_due__lt=end)),
    )
    return r


def models_f(name: str):
    from django.db.models import F

    return F(name)


def _cases(p: Period, station) -> dict:
    from cases.models import Case, FollowUp, HearingAttendance

    F = models_f
    qs = Case.objects.all()
    if station is not None:
        qs = qs.filter(station=station)
    qs = qs.annotate(
        has_hearing=Exists(HearingAttendance.objects.filter(case=OuterRef("pk"))),
        has_followup=Exists(FollowUp.objects.filter(case=OuterRef("pk"))),
    )
    end = p.end
    acc = _between("accepted_on", p)
    crim = acc & Q(category="criminal")
    # A case closed then archived keeps its closing date; terminated cases are never closed.
    closed = _between("closed_on", p) & Q(status__in=["closed", "archived"])
    closed_by_end = Q(closed_on__isnull=False, closed_on__lte=end)
    terminated_by_end = Q(terminated_on__isnull=False, terminated_on__lte=end)
    # A case terminated on a date the ledger did not give is not open at any end date.
    open_at_end = (Q(accepted_on__lte=end) & ~closed_by_end & ~terminated_by_end
                   & ~Q(status="terminated", terminated_on__isnull=True))
    # Without an assignment date we only know the case was unassigned if it still is (or was terminated
    # unassigned); a closed or assigned case without the date (ledger gap) is not taken as overdue.
    not_assigned_by_end = Q(assigned_on__gt=end) | Q(assigned_on__isnull=True, status__in=["awaiting", "terminated"])
    overdue = open_at_end & (
        (not_assigned_by_end & Q(assign_due__lt=end))
        | (Q(assigned_on__lte=end) & Q(agreement_due__lt=end)
           & (Q(agreement_signed_on__isnull=True) | Q(agreement_signed_on__gt=end)))
    ) | (
        closed_by_end & ~terminated_by_end & Q(file_due__lt=end)
        & (Q(file_submitted_on__isnull=True) | Q(file_submitted_on__gt=end))
    ) | (
        Q(file_submitted_on__lte=end) & Q(archive_due__lt=end)
        & (Q(archived_on__isnull=True) | Q(archived_on__gt=end))
    )
    assigned = _between("assigned_on", p)
    graded = _between("graded_on", p) & ~Q(grade="")
    aggs = {
        "accepted": Count("id", filter=acc),
        "criminal": Count("id", filter=crim),
        "civil": Count("id", filter=acc & Q(category="civil")),
        "administrative": Count("id", filter=acc & Q(category="administrative")),
        "notified": Count("id", filter=crim & Q(source="notice")),
        "investigation": Count("id", filter=crim & Q(stage="investigation")),
        "prosecution": Count("id", filter=crim & Q(stage="prosecution")),
        "trial": Count("id", filter=crim & Q(stage__in=["trial", "death_review"])),
        "litigation": Count("id", filter=acc & Q(is_litigation=True)),
        "non_litigation": Count("id", filter=acc & Q(is_litigation=False)),
        "migrant_wage": Count("id", filter=acc & Q(recipient_groups__contains=["migrant_worker"], cause="labour_pay")),
        "mass": Count("id", filter=acc & Q(is_mass=True)),
        "recipients": _sum("recipient_count", acc),
        "by_lawyer": Count("id", filter=acc & Q(handler__kind__in=sorted(LAWYER_KINDS))),
        "closed": Count("id", filter=closed),
        "closed_criminal": Count("id", filter=closed & Q(category="criminal")),
        "closed_civil": Count("id", filter=closed & Q(category="civil")),
        "closed_administrative": Count("id", filter=closed & Q(category="administrative")),
        "terminated": Count("id", filter=_between("terminated_on", p)),
        "open_at_end": Count("id", filter=open_at_end),
        "recovered": _sum_money("amount_recovered", closed),
        "involved": _sum_money("amount_involved", acc),
        "assigned": Count("id", filter=assigned),
        "assigned_on_time": Count("id", filter=assigned & (Q(assign_due__isnull=True)
                                                           | Q(assigned_on__lte=F("assign_due")))),
        "overdue": Count("id", filter=overdue),
        "graded": Count("id", filter=graded),
        "excellent": Count("id", filter=graded & Q(grade="excellent")),
        "good": Count("id", filter=graded & Q(grade="good")),
        "pass": Count("id", filter=graded & Q(grade="pass")),
        "fail": Count("id", filter=graded & Q(grade="fail")),
        "closed_litigation": Count("id", filter=closed & Q(is_litigation=True)),
        "hearings": Count("id", filter=closed & Q(is_litigation=True, has_hearing=True)),
        "followups": Count("id", filter=closed & Q(has_followup=True)),
    }
    for g in GROUPS:
        aggs[f"group_{g}"] = Count("id", filter=acc & Q(recipient_groups__contains=[g]))
    return qs.aggregate(**aggs)


def _consultations(p: Period, station) -> dict:
    from intake.models import Consultation

    start, stop = p.datetime_range()
    qs = Consultation.objects.filter(occurred_at__gte=start, occurred_at__lt=stop)
    if station is not None:
        qs = qs.filter(station=station)
    aggs = {"total": _sum("person_count", Q())}
    for ch in ["visit", "phone", "hotline", "letter", "online", "event"]:
        aggs[ch] = _sum("person_count", Q(channel=ch))
    return qs.aggregate(**aggs)


def _matters(p: Period, station) -> dict:
    from intake.models import Matter

    qs = Matter.objects.filter(date__gte=p.start, date__lte=p.end)
    if station is not None:
        qs = qs.filter(station=station)
    return qs.aggregate(
        duty=_sum("person_count", Q(kind="duty_lawyer")),
        plea=_sum("person_count", Q(kind="duty_lawyer", plea=True)),
        drafting=_sum("person_count", Q(kind="drafting")),
    )


def _satisfaction(p: Period, station) -> dict:
    from cases.models import FollowUp

    qs = FollowUp.objects.filter(date__gte=p.start, date__lte=p.end).exclude(satisfaction="")
    if station is not None:
        qs = qs.filter(case__station=station)
    return qs.aggregate(rated=Count("id"), satisfied=Count("id", filter=Q(satisfaction__in=["satisfied", "basically"])))


def _discussions(p: Period, station) -> int:
    from cases.models import Discussion

    qs = Discussion.objects.filter(held_on__gte=p.start, held_on__lte=p.end)
    if station is not None:
        qs = qs.filter(case__station=station)
    return qs.count()


def _complaints(p: Period, station) -> int:
    from cases.models import Complaint

    qs = Complaint.objects.filter(received_on__gte=p.start, received_on__lte=p.end)
    if station is not None:
        qs = qs.filter(case__station=station)
    return qs.count()


def _subsidies(p: Period, station) -> dict:
    from funding.models import Subsidy

    qs = Subsidy.objects.filter(paid_on__gte=p.start, paid_on__lte=p.end)
    if station is not None:
        qs = qs.filter(case__station=station)
    return qs.aggregate(total=Sum("amount"), cases=Count("case_id", distinct=True))


def _budgets(p: Period) -> dict:
    from funding.models import Budget

    aggs = {"total": Sum("amount")}
    for src in ["central", "provincial", "municipal", "county", "other"]:
        aggs[src] = Sum("amount", filter=Q(source=src))
    return Budget.objects.filter(year__in=p.years()).aggregate(**aggs)


def _spending(p: Period) -> dict:
    from funding.models import Spending

    return Spending.objects.filter(date__gte=p.start, date__lte=p.end).aggregate(
        total=Sum("amount"), subsidy=Sum("amount", filter=Q(category="case_subsidy")),
        publicity=Sum("amount", filter=Q(category="publicity")))


def _publicity(p: Period, station) -> dict:
    from publicity.models import Event, MediaReport

    events = Event.objects.filter(date__gte=p.start, date__lte=p.end)
    media = MediaReport.objects.filter(date__gte=p.start, date__lte=p.end)
    if station is not None:
        events, media = events.filter(station=station), media.filter(station=station)
    r = events.aggregate(events=Count("id"), materials=_sum("materials", Q()), onsite=_sum("onsite", Q()),
                         audience=_sum("audience", Q()))
    r.update(media.aggregate(media=Count("id"), city_plus=Count("id", filter=Q(level__in=sorted(CITY_PLUS_LEVELS)))))
    return r


def _network(day: date, station) -> dict:
    from stations.models import ContactPoint, Liaison, Station, Volunteer

    # active_at() decides by the dates; a row switched off without a closing date is not active either.
    off = Q(active=False, closed_on__isnull=True)
    stations = Station.objects.active_at(day).exclude(off)
    points = ContactPoint.objects.active_at(day).exclude(off)
    liaisons = Liaison.objects.active_at(day).exclude(off)
    volunteers = Volunteer.objects.active_at(day).exclude(off)
    if station is not None:
        stations = stations.filter(pk=station.pk)
        points = points.filter(station=station)
        liaisons = liaisons.filter(contact_point__station=station)
        volunteers = volunteers.filter(station=station)
    return {"stations": stations.count(), "points": points.count(), "liaisons": liaisons.count(),
            "volunteers": volunteers.count()}


def compute(p: Period, station=None) -> dict:
    """{code: value} for every indicator of one period (ints, Decimal money, float rates, None)."""
    v: dict = {}
    a = _applications(p, station)
    v["applications.received"] = a["received"]
    v["applications.granted"] = a["granted"]
    v["applications.refused"] = a["refused"]
    c = _cases(p, station)
    v["cases.accepted"] = c["accepted"]
    for key in ["criminal", "civil", "administrative"]:
        v[f"cases.accepted.{key}"] = c[key]
    for key in ["notified", "investigation", "prosecution", "trial"]:
        v[f"cases.accepted.criminal.{key}"] = c[key]
    v["cases.accepted.litigation"] = c["litigation"]
    v["cases.accepted.non_litigation"] = c["non_litigation"]
    for g in GROUPS:
        v[f"cases.accepted.group.{g}"] = c[f"group_{g}"]
    v["cases.accepted.migrant_wage"] = c["migrant_wage"]
    v["cases.accepted.mass"] = c["mass"]
    v["recipients.total"] = c["recipients"]
    v["cases.accepted.by_lawyer"] = c["by_lawyer"]
    v["rate.by_lawyer"] = rate(c["by_lawyer"], c["accepted"])
    v["cases.closed"] = c["closed"]
    for key in ["criminal", "civil", "administrative"]:
        v[f"cases.closed.{key}"] = c[f"closed_{key}"]
    v["rate.closure"] = rate(c["closed"], c["accepted"])
    v["cases.terminated"] = c["terminated"]
    v["cases.open_at_end"] = c["open_at_end"]
    v["amount.recovered"] = money(c["recovered"])
    v["amount.involved"] = money(c["involved"])
    k = _consultations(p, station)
    v["consultations.total"] = k["total"]
    v["consultations.visit"] = k["visit"]
    v["consultations.phone"] = k["phone"] + k["hotline"]
    v["consultations.hotline"] = k["hotline"]
    v["consultations.letter"] = k["letter"]
    v["consultations.online"] = k["online"]
    v["consultations.event"] = k["event"]
    m = _matters(p, station)
    v["matters.duty_lawyer"] = m["duty"]
    v["matters.duty_lawyer.plea"] = m["plea"]
    v["matters.drafting"] = m["drafting"]
    v["services.total"] = (v["recipients.total"] + v["consultations.total"] + v["matters.duty_lawyer"]
                           + v["matters.drafting"])
    v["rate.review_on_time"] = rate(a["decided_on_time"], a["decided"])
    v["rate.assign_on_time"] = rate(c["assigned_on_time"], c["assigned"])
    v["cases.overdue_at_end"] = a["overdue"] + c["overdue"]
    v["quality.graded"] = c["graded"]
    for key in ["excellent", "good", "pass", "fail"]:
        v[f"quality.{key}"] = c[key]
    v["rate.quality_pass"] = rate(c["graded"] - c["fail"], c["graded"])
    v["quality.hearings"] = c["hearings"]
    v["rate.hearing"] = rate(c["hearings"], c["closed_litigation"])
    v["followups.total"] = c["followups"]
    v["rate.followup"] = rate(c["followups"], c["closed"])
    s = _satisfaction(p, station)
    v["rate.satisfaction"] = rate(s["satisfied"], s["rated"])
    v["quality.discussions"] = _discussions(p, station)
    v["complaints.total"] = _complaints(p, station)
    sub = _subsidies(p, station)
    v["subsidy.paid.total"] = money(sub["total"])
    v["subsidy.paid.cases"] = sub["cases"]
    v["subsidy.average"] = money(sub["total"] / sub["cases"]) if sub["cases"] else None
    if station is None:
        b = _budgets(p)
        v["funding.budget"] = money(b["total"])
        for src in ["central", "provincial", "municipal", "county", "other"]:
            v[f"funding.budget.{src}"] = money(b[src])
        sp = _spending(p)
        v["funding.spent"] = money(sp["total"])
        v["funding.spent.subsidy"] = money(sp["subsidy"])
        v["funding.spent.publicity"] = money(sp["publicity"])
        v["rate.funding_used"] = rate(v["funding.spent"], v["funding.budget"])
        v["rate.subsidy_share"] = rate(v["funding.spent.subsidy"], v["funding.spent"])
    else:
        for code in COUNTY_ONLY:
            v[code] = None
    pub = _publicity(p, station)
    v["publicity.events"] = pub["events"]
    v["publicity.materials"] = pub["materials"]
    v["publicity.onsite"] = pub["onsite"]
    v["publicity.audience"] = pub["audience"]
    v["publicity.media_reports"] = pub["media"]
    v["publicity.media_reports.city_plus"] = pub["city_plus"]
    n = _network(p.end, station)
    v["network.stations"] = n["stations"]
    v["network.contact_points"] = n["points"]
    v["network.liaisons"] = n["liaisons"]
    v["network.volunteers"] = n["volunteers"]
    assert list(v) == CODES or set(v) == set(CODES), "indicator set drifted from STATISTICS.md"
    return {code: v[code] for code in CODES}


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
                   with_targets: bool = True) -> list[Row]:
    """The 指标 sheet: every indicator with last year and change %, then target rows."""
    values = compute(p, station) if values is None else values
    last = compute(p.last_year(), station) if last is None else last
    rows = [Row(code, name, unit, values[code], last[code], change(values[code], last[code]))
            for code, name, unit in INDICATORS]
    if with_targets:
        rows += target_rows(p, station, values)
    return rows


def target_rows(p: Period, station, values: dict) -> list[Row]:
    targets = targets_for(p.year, station)
    rows = []
    for code, name, unit in INDICATORS:
        if code not in targets:
            continue
        target = targets[code]
        target_value = money(target) if unit == "元" else (float(target) if unit == "%" else _whole(target))
        rows.append(Row(f"target.{code}", f"{name}目标", unit, target_value, None, None))
        rows.append(Row(f"rate.target.{code}", f"{name}目标完成率", "%", rate(values.get(code), target), None, None))
    return rows


def _whole(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)
