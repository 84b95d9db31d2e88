"""intake's sheets (core.sheets): 咨询 and 值班与代书 of the ledger (LEDGER.md), and the export of the
application list (申请)."""

from __future__ import annotations

from types import SimpleNamespace

from core.cells import at_least_one, choice, group_list, long_text, parse_bool, parse_date, text_of
from core.choices import CATEGORY, CAUSE, CHANNEL, CONSULTATION_OUTCOME, MATTER_KIND, SEX, STAGE, TOPIC
from core.sheets import Col, Sheet, groups_text, id_text, local_date, phone_text, station_text, yes_no, zh
from core.xlsx import chunked


def consultation_person(c) -> tuple[str, str, str]:
    """Name, sex and phone of a consultation: its own fields, else those of the linked person."""
    p = c.person if c.person_id else None
    return (c.person_name or (p.name if p else ""), c.person_sex or (p.sex if p else ""),
            c.person_phone or (p.phone if p else ""))


CONSULTATION_FIELDS = (
    "occurred_at", "channel", "station__name", "person_name", "person_sex", "person_phone", "person__name",
    "person__sex", "person__phone", "person_groups", "topic", "summary", "answer", "outcome", "person_count",
)


def consultation_row(values: tuple, full: bool) -> list:
    (occurred_at, channel, station, name, sex, phone, p_name, p_sex, p_phone, groups, topic, summary, answer,
     outcome, count) = values
    # Name, sex and phone: the consultation's own, else those of the linked person (consultation_person).
    name, sex, phone = name or p_name or "", sex or p_sex or "", phone or p_phone or ""
    return [
        local_date(occurred_at), zh(CHANNEL, channel), station, name or None, zh(SEX, sex),
        phone_text(phone, full), groups_text(groups), zh(TOPIC, topic), summary or None, answer or None,
        zh(CONSULTATION_OUTCOME, outcome), count,
    ]


def matter_rows(qs, *, full: bool = False):
    for m in chunked(qs.select_related("handler", "person")):
        lawyer = m.lawyer_name or (m.handler.name if m.handler else "")
        name = m.person_name or (m.person.name if m.person else "")
        yield [m.date, zh(MATTER_KIND, m.kind), m.place or None, lawyer or None, name or None, yes_no(m.plea),
               m.person_count]


# The application's status (intake.models.Application.Status) as the sheet writes it: in Chinese, whatever the
# language of the request or of the worker that builds the file, like every vocabulary column (core.sheets.zh).
APPLICATION_STATUS = SimpleNamespace(zh={
    "draft": "工作站初审", "received": "已收件", "incomplete": "待补充材料", "under_review": "审查中",
    "granted": "给予援助", "refused": "不予援助", "withdrawn": "已撤回",
})


def application_rows(qs, *, full: bool = False):
    for a in chunked(qs.select_related("applicant", "station", "case")):
        p = a.applicant
        case_number = a.case.number if a.case_id else None
        hidden = getattr(a, "applicant_hidden", False)  # set by the list for a person outside the user's scope
        yield [
            a.number or None, a.received_on, zh(APPLICATION_STATUS, a.status), "已登记人员" if hidden else p.name,
            None if hidden else id_text(p.id_number, full), None if hidden else phone_text(p.phone, full),
            a.agent_name or None, zh(CATEGORY, a.category), zh(CAUSE, a.cause),
            zh(STAGE, a.stage), a.recipient_count, yes_no(a.is_mass), a.amount_involved,
            a.opposing_party or None, station_text(a.station), a.review_due, a.decided_on,
            a.decision_number or None, case_number,
        ]


SHEETS = [
    Sheet("咨询", (
        Col("日期", "date", parse_date, True),
        Col("方式", "channel", choice(CHANNEL), True),
        Col("工作站", "station", text_of(100), default=""),
        Col("姓名", "name", text_of(50), default=""),
        Col("性别", "sex", choice(SEX), default=""),
        Col("电话", "phone", text_of(20), default=""),
        Col("人群类别", "groups", group_list, default=[]),
        Col("事项类别", "topic", choice(TOPIC), default=""),
        Col("内容摘要", "summary", long_text, default=""),
        Col("答复", "answer", long_text, default=""),
        Col("处理结果", "outcome", choice(CONSULTATION_OUTCOME), default="answered"),
        Col("人次", "person_count", at_least_one, default=1),
    ), fields=CONSULTATION_FIELDS, row=consultation_row, ledger_order=2),
    Sheet("值班与代书", (
        Col("日期", "date", parse_date, True),
        Col("类型", "kind", choice(MATTER_KIND), True),
        Col("地点", "place", text_of(100), default=""),
        Col("律师", "lawyer", text_of(50), default=""),
        Col("姓名", "name", text_of(50), default=""),
        Col("认罪认罚", "plea", parse_bool, default=False),
        Col("人次", "person_count", at_least_one, default=1),
    ), rows=matter_rows, ledger_order=5),
    Sheet("申请", tuple(Col(h) for h in (
        "收件号", "收件日期", "状态", "申请人", "证件号码", "电话", "代理人", "案件类别", "案由", "诉讼阶段", "受援人数",
        "群体性案件", "涉案金额", "对方当事人", "工作站", "审查期限", "决定日期", "决定书号", "案号")), rows=application_rows),
]
