"""The 案件 sheet of the ledger (LEDGER.md): the columns the import reads and the export writes (core.sheets).
funding adds the subsidy's two columns (funding/sheets.py)."""

from __future__ import annotations

from applicants.idcard import document_number_cell
from core.cells import (
    at_least_one,
    choice,
    group_list,
    parse_bool,
    parse_date,
    parse_money,
    text_of,
)
from core.choices import AID_FORM, CATEGORY, CAUSE, GRADE, HANDLER_KIND, ORGAN, SEX, SOURCE, STAGE
from core.sheets import Col, Sheet, groups_text, id_text, yes_no

# 结案方式 as the ledger spells it: the export folds the finer outcome codes into these words (LEDGER_OUTCOME;
# any other code, a term added in the admin, as 其他), the import reads them back (OUTCOME_FROM_LEDGER).
OUTCOME_FROM_LEDGER = {
    "判决": "judgment", "调解": "mediation", "和解": "settlement", "撤诉": "withdrawal",
    "仲裁裁决": "arbitration", "不起诉": "non_prosecution", "其他": "other", "终止": "terminated",
}
LEDGER_OUTCOME = {
    "judgment": "判决", "judgment_won": "判决", "judgment_partial": "判决", "judgment_lost": "判决",
    "mediation": "调解", "settlement": "和解", "withdrawal": "撤诉", "arbitration": "仲裁裁决",
    "non_prosecution": "不起诉", "exempt": "其他", "probation": "其他", "other": "其他",
}


COLUMNS = (
    Col("案号", "number", text_of(60)),
    Col("受理日期", "accepted_on", parse_date, True),
    Col("案件类别", "category", choice(CATEGORY), True),
    Col("案件来源", "source", choice(SOURCE), default=None),  # resolved in ledger.importing.parse.row_rules
    Col("通知机关", "organ", choice(ORGAN), default=""),
    Col("诉讼阶段", "stage", choice(STAGE), default=""),
    Col("援助形式", "aid_form", choice(AID_FORM), default=""),
    Col("案由", "cause", choice(CAUSE), default=""),
    Col("受援人姓名", "name", text_of(50), True),
    Col("证件号码", "id_number", document_number_cell, default=""),
    Col("性别", "sex", choice(SEX), default=""),
    Col("出生日期", "birth_date", parse_date),
    Col("人群类别", "groups", group_list, default=[]),
    Col("群体性案件", "is_mass", parse_bool, default=False),
    Col("受援人数", "recipient_count", at_least_one, default=1),
    Col("承办人", "handler", text_of(50), default=""),
    Col("承办人类型", "handler_kind", choice(HANDLER_KIND), default=""),
    Col("承办机构", "provider", text_of(100), default=""),
    Col("指派日期", "assigned_on", parse_date),
    Col("结案日期", "closed_on", parse_date),
    Col("结案方式", "outcome", choice(None, OUTCOME_FROM_LEDGER), default=""),
    Col("挽回经济损失", "amount_recovered", parse_money),
    Col("涉案金额", "amount_involved", parse_money),
    Col("质量等级", "grade", choice(GRADE), default=""),
    Col("工作站", "station", text_of(100), default=""),
)

# Rows are read as tuples (values_list), not model instances: a year of a province's cases is 100,000+ rows,
# and building five related instances per row was half of an export's time.
# A row describes the case with the facts its figures count (reports/DECISIONS.md, "Report files"), so that it
# imports back to the same figures: the stage at acceptance, and the handler of the first assignment beside
# the type counted for it (Case.handler_kind) — not the current handler after a change (Art. 55).
FIELDS = (
    "number", "accepted_on", "category", "source", "organ", "stage_at_acceptance", "stage", "aid_form", "cause",
    "recipient__name", "recipient__id_number", "recipient__sex", "recipient__birth_date", "recipient_groups",
    "is_mass", "recipient_count", "first_handler", "first_provider", "handler__name", "handler_kind",
    "handler__kind", "handler__provider__name", "assigned_on", "closed_on", "terminated_on", "status", "outcome",
    "amount_recovered", "amount_involved", "grade", "station__name",
)


def first_assignment(queryset):
    """The handler of each case's first assignment and its firm, by one lookup per row of an index."""
    from django.db.models import OuterRef, Subquery

    from .models import Assignment

    first = Assignment.objects.filter(case=OuterRef("pk")).order_by("assigned_on", "pk")
    return queryset.annotate(first_handler=Subquery(first.values("handler__name")[:1]),
                             first_provider=Subquery(first.values("handler__provider__name")[:1]))

_category, _source, _organ, _stage, _aid_form, _cause, _sex, _kind, _grade = (
    v.zh.get for v in (CATEGORY, SOURCE, ORGAN, STAGE, AID_FORM, CAUSE, SEX, HANDLER_KIND, GRADE))


def case_row(values: tuple, full: bool) -> list:
    (number, accepted_on, cat, src, org, stg_then, stg, form, cse, name, id_no, psex, birth, groups, is_mass,
     count, first_handler, first_provider, handler, handler_kind, roster_kind, provider, assigned_on, closed_on,
     terminated_on, status, outcome, recovered, involved, grd, station) = values
    stg = stg_then or stg
    if first_handler:  # a case with no assignment row (a ledger row without 指派日期) keeps its handler
        handler, provider = first_handler, first_provider
    if status == "terminated":
        outcome, closed = "终止", terminated_on
    else:
        # An outcome the map does not know (a term an administrator added: 宣告无罪) is 其他, the only ledger
        # word left for it: a closed case keeps a closing outcome through the ledger.
        outcome, closed = (LEDGER_OUTCOME.get(outcome, "其他") if outcome else None), closed_on
    # The handler's type at assignment (the snapshot), so the export re-imports to the same figures; the
    # roster's type only for a case that has none recorded.
    kind = (handler_kind or roster_kind) if handler else None
    return [
        number, accepted_on, _category(cat, cat) if cat else None, _source(src, src) if src else None,
        _organ(org, org) if org else None, _stage(stg, stg) if stg else None,
        _aid_form(form, form) if form else None, _cause(cse, cse) if cse else None, name,
        id_text(id_no, full), _sex(psex, psex) if psex else None, birth, groups_text(groups),
        yes_no(is_mass), count, handler, _kind(kind, kind) if kind else None, provider if handler else None,
        assigned_on, closed, outcome, recovered, involved, _grade(grd, grd) if grd else None, station,
    ]


SHEETS = [Sheet("案件", COLUMNS, fields=FIELDS, row=case_row, ledger_order=1, annotate=first_assignment,
               person_cells=("受援人姓名", "证件号码", "性别", "出生日期", "人群类别"))]
