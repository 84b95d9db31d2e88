"""Excel exports of every list in the ledger's columns (LEDGER.md).

List views call ``export_response(sheet, queryset, filename=..., full=user.can("applicant_view_full"))``
with ``?export=xlsx``. Rows are streamed: a server-side cursor (core.xlsx.chunked) feeds a write-only
workbook (core.xlsx.SafeWorkbook, formula-injection safe); rows are read as tuples with their related columns
joined (values_list), not as model instances.
The columns of the eight LEDGER.md sheets are the import schema's (ledger.importing.schema), so an exported
file imports back (with ``full=True``; masked ID numbers and phones are recognised by the importer and never
stored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.http import HttpResponse

from core.choices import (
    AID_FORM,
    CATEGORY,
    CAUSE,
    CHANNEL,
    CONSULTATION_OUTCOME,
    FUNDING_SOURCE,
    GRADE,
    GROUP,
    HANDLER_KIND,
    MATTER_KIND,
    MEDIA_LEVEL,
    ORGAN,
    PUBLICITY_FORM,
    REGISTRY_CATEGORY,
    SEX,
    SOURCE,
    SPENDING_CATEGORY,
    STAGE,
    TOPIC,
)
from core.xlsx import SafeWorkbook, chunked, workbook_response

from .importing.schema import COLUMNS as LEDGER_COLUMNS

LIST_SEP = "、"

# The eight ledger sheets' columns are the import schema's (one list per sheet: the importer reads what is
# written here); the export-only sheets follow.
COLUMNS: dict[str, list[str]] = {
    **LEDGER_COLUMNS,
    "申请人": ["姓名", "性别", "证件类型", "证件号码", "出生日期", "民族", "电话", "户籍", "乡镇", "住址", "职业",
            "人群类别", "残疾类别", "家庭人口", "家庭月收入", "登记工作站"],
    "申请": ["收件号", "收件日期", "状态", "申请人", "证件号码", "电话", "代理人", "案件类别", "案由", "诉讼阶段",
           "受援人数", "群体性案件", "涉案金额", "对方当事人", "工作站", "审查期限", "决定日期", "决定书号", "案号"],
}

# Case outcomes the ledger spells with one word (LEDGER.md 结案方式); the finer codes fold into them.
LEDGER_OUTCOME = {
    "judgment": "判决", "judgment_won": "判决", "judgment_partial": "判决", "judgment_lost": "判决",
    "mediation": "调解", "settlement": "和解", "withdrawal": "撤诉", "arbitration": "仲裁裁决",
    "non_prosecution": "不起诉", "exempt": "其他", "probation": "其他", "other": "其他",
}


def zh(vocab, code: str | None) -> str | None:
    if not code:
        return None
    return vocab.zh.get(code, code)


def groups_text(codes: Iterable[str] | None) -> str | None:
    codes = [c for c in (codes or []) if c]
    return LIST_SEP.join(GROUP.zh.get(c, c) for c in codes) or None


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def station_text(station) -> str | None:
    return station.name if station else None


def _id(number: str, full: bool) -> str | None:
    if not number:
        return None
    if full:
        return number
    from applicants.idcard import mask

    return mask(number)


def _phone(phone: str, full: bool) -> str | None:
    if not phone:
        return None
    if full:
        return phone
    from applicants.idcard import mask_phone

    return mask_phone(phone)


def _local_date(dt):
    from django.utils import timezone

    if dt is None:
        return None
    if timezone.is_aware(dt):
        dt = timezone.localtime(dt)
    return dt.date()


# ---- row generators -------------------------------------------------------------------------------

# Rows are read as tuples (values_list), not model instances: a year of a province's cases is 100,000+ rows,
# and building five related instances per row was half of an export's time.
_CASE_FIELDS = (
    "number", "accepted_on", "category", "source", "organ", "stage", "aid_form", "cause", "recipient__name",
    "recipient__id_number", "recipient__sex", "recipient__birth_date", "recipient_groups", "is_mass",
    "recipient_count", "handler__name", "handler_kind", "handler__kind", "handler__provider__name", "assigned_on",
    "closed_on", "terminated_on", "status", "outcome", "amount_recovered", "amount_involved", "grade",
    "subsidy__amount", "subsidy__paid_on", "station__name",
)


def case_rows(qs, *, full: bool = False) -> Iterator[list]:
    category, source, organ, stage, aid_form, cause, sex, kind, grade = (
        v.zh.get for v in (CATEGORY, SOURCE, ORGAN, STAGE, AID_FORM, CAUSE, SEX, HANDLER_KIND, GRADE))
    outcome_of = LEDGER_OUTCOME.get
    for (number, accepted_on, cat, src, org, stg, form, cse, name, id_number, psex, birth, groups, is_mass,
         count, handler, handler_kind, roster_kind, provider, assigned_on, closed_on, terminated_on, status,
         outcome, recovered, involved, grd, amount, paid_on, station) in chunked(qs.values_list(*_CASE_FIELDS)):
        if status == "terminated":
            outcome, closed = "终止", terminated_on
        else:
            outcome, closed = (outcome_of(outcome) if outcome else None), closed_on
        yield [
            number, accepted_on, category(cat, cat) if cat else None, source(src, src) if src else None,
            organ(org, org) if org else None, stage(stg, stg) if stg else None,
            aid_form(form, form) if form else None, cause(cse, cse) if cse else None, name,
            _id(id_number, full), sex(psex, psex) if psex else None, birth, groups_text(groups),
            # The type at assignment (the snapshot), so the export re-imports to the same figures; the
            # roster's type only for a case that has none recorded.
            yes_no(is_mass), count, handler,
            (kind(handler_kind or roster_kind, handler_kind or roster_kind) if (handler_kind or roster_kind)
             else None) if handler else None,
            provider if handler else None, assigned_on, closed, outcome, recovered, involved,
            grade(grd, grd) if grd else None, amount, paid_on, station,
        ]


def consultation_person(c) -> tuple[str, str, str]:
    """Name, sex and phone of a consultation: its own fields, else those of the linked person."""
    p = c.person if c.person_id else None
    return (c.person_name or (p.name if p else ""), c.person_sex or (p.sex if p else ""),
            c.person_phone or (p.phone if p else ""))


_CONSULTATION_FIELDS = (
    "occurred_at", "channel", "station__name", "person_name", "person_sex", "person_phone", "person__name",
    "person__sex", "person__phone", "person_groups", "topic", "summary", "answer", "outcome", "person_count",
)


def consultation_rows(qs, *, full: bool = False) -> Iterator[list]:
    for (occurred_at, channel, station, name, sex, phone, p_name, p_sex, p_phone, groups, topic, summary, answer,
         outcome, count) in chunked(qs.values_list(*_CONSULTATION_FIELDS)):
        # Name, sex and phone: the consultation's own, else those of the linked person (consultation_person).
        name, sex, phone = name or p_name or "", sex or p_sex or "", phone or p_phone or ""
        yield [
            _local_date(occurred_at), zh(CHANNEL, channel), station, name or None, zh(SEX, sex),
            _phone(phone, full), groups_text(groups), zh(TOPIC, topic), summary or None, answer or None,
            zh(CONSULTATION_OUTCOME, outcome), count,
        ]


def event_rows(qs, *, full: bool = False) -> Iterator[list]:
    qs = qs.select_related("station")
    for e in chunked(qs):
        yield [e.date, e.title, zh(PUBLICITY_FORM, e.form), e.place or None, station_text(e.station),
               e.materials, e.onsite, e.audience]


def media_rows(qs, *, full: bool = False) -> Iterator[list]:
    for m in chunked(qs):
        yield [m.date, m.outlet, zh(MEDIA_LEVEL, m.level), m.title or None, m.link or None]


def matter_rows(qs, *, full: bool = False) -> Iterator[list]:
    qs = qs.select_related("handler", "person")
    for m in chunked(qs):
        lawyer = m.lawyer_name or (m.handler.name if m.handler else "")
        name = m.person_name or (m.person.name if m.person else "")
        yield [m.date, zh(MATTER_KIND, m.kind), m.place or None, lawyer or None, name or None, yes_no(m.plea),
               m.person_count]


def budget_rows(qs, *, full: bool = False) -> Iterator[list]:
    for b in chunked(qs):
        yield [b.year, zh(FUNDING_SOURCE, b.source), b.amount]


def spending_rows(qs, *, full: bool = False) -> Iterator[list]:
    for s in chunked(qs):
        yield [s.date, zh(SPENDING_CATEGORY, s.category), s.amount, s.description or None]


def registry_rows(qs, *, full: bool = False) -> Iterator[list]:
    for r in chunked(qs):
        yield [r.name, _id(r.id_number, full), zh(REGISTRY_CATEGORY, r.category), r.source or None, r.valid_until]


def person_rows(qs, *, full: bool = False) -> Iterator[list]:
    from core.choices import DISABILITY

    qs = qs.select_related("station")
    for p in chunked(qs):
        yield [
            p.name, zh(SEX, p.sex), p.get_id_type_display(), _id(p.id_number, full), p.birth_date,
            p.ethnicity or None, _phone(p.phone, full), p.get_hukou_display() if p.hukou else None,
            p.township or None, p.address or None, p.occupation or None, groups_text(p.declared_groups),
            zh(DISABILITY, p.disability_type), p.household_size, p.household_income, station_text(p.station),
        ]


def application_rows(qs, *, full: bool = False) -> Iterator[list]:
    qs = qs.select_related("applicant", "station", "case")
    for a in chunked(qs):
        p = a.applicant
        try:
            case_number = a.case.number
        except Exception:  # noqa: BLE001 - no case yet
            case_number = None
        hidden = getattr(a, "applicant_hidden", False)  # set by the list for a person outside the user's scope
        yield [
            a.number or None, a.received_on, a.get_status_display(), "已登记人员" if hidden else p.name,
            None if hidden else _id(p.id_number, full), None if hidden else _phone(p.phone, full),
            a.agent_name or None, zh(CATEGORY, a.category), zh(CAUSE, a.cause),
            zh(STAGE, a.stage), a.recipient_count, yes_no(a.is_mass), a.amount_involved,
            a.opposing_party or None, station_text(a.station), a.review_due, a.decided_on,
            a.decision_number or None, case_number,
        ]


ROWS: dict[str, Callable[..., Iterator[list]]] = {
    "案件": case_rows,
    "咨询": consultation_rows,
    "宣传活动": event_rows,
    "媒体报道": media_rows,
    "值班与代书": matter_rows,
    "经费预算": budget_rows,
    "经费支出": spending_rows,
    "困难群体": registry_rows,
    "申请人": person_rows,
    "申请": application_rows,
}


def write_sheet(book: SafeWorkbook, sheet: str, queryset, *, full: bool = False) -> int:
    if sheet not in ROWS:
        raise ValueError(f"unknown ledger sheet {sheet!r}")
    return book.add_sheet(sheet, COLUMNS[sheet], ROWS[sheet](queryset, full=full))


def export_response(sheet: str, queryset, *, filename: str, full: bool = False, request=None) -> HttpResponse:
    """Stream `queryset` as one sheet of the ledger; `full=False` masks ID numbers and phones.

    Given the request, a list over EXPORT_BACKGROUND_ROWS rows is exported in the background instead
    (ledger.exports): the user is sent to the job's page, which offers the file when it is built."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    if request is not None and request.user.is_authenticated:
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from core import jobs

        from .exports import is_large, request_export

        if is_large(queryset):
            params = request.GET.copy()
            params.pop("export", None)
            back = request.path + (f"?{params.urlencode()}" if params else "")
            job = request_export(sheet=sheet, queryset=queryset, filename=filename, full=full, user=request.user,
                                 list_url=back)
            messages.info(request, _("The list is long; it is exported in the background. The file appears "
                                     "here when it is ready.") if job.queued else jobs.queued_message())
            return redirect("ledger:export_detail", job.pk)
    book = SafeWorkbook()
    write_sheet(book, sheet, queryset, full=full)
    return workbook_response(book, filename)
