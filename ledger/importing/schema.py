"""The eight sheets of the ledger (LEDGER.md), one column list per sheet: what the importer reads and, in the
same order and spelling, what ledger.exporters writes (``COLUMNS``), so that an exported list imports back.

Each column has its header, the key of the parsed value, the cell parser (ledger.importing.cells), whether it
is required, and the value of an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.choices import (
    AID_FORM,
    CATEGORY,
    CAUSE,
    CHANNEL,
    CONSULTATION_OUTCOME,
    FUNDING_SOURCE,
    GRADE,
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

from .cells import (
    choice,
    group_list,
    id_number,
    long_text,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    text_of,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the ledger's dates are days in the center's time zone

# 结案方式 as the ledger spells it (the exporter folds the finer outcome codes into these words).
OUTCOME_FROM_LEDGER = {
    "判决": "judgment", "调解": "mediation", "和解": "settlement", "撤诉": "withdrawal",
    "仲裁裁决": "arbitration", "不起诉": "non_prosecution", "其他": "other", "终止": "terminated",
}


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    parse: Callable
    required: bool = False
    default: object = None


def _at_least_one(value):
    return parse_int(value, minimum=1)


SHEETS: dict[str, list[Col]] = {
    "案件": [
        Col("案号", "number", text_of(60)),
        Col("受理日期", "accepted_on", parse_date, True),
        Col("案件类别", "category", choice(CATEGORY), True),
        Col("案件来源", "source", choice(SOURCE), default=None),  # resolved in parse.row_rules
        Col("通知机关", "organ", choice(ORGAN), default=""),
        Col("诉讼阶段", "stage", choice(STAGE), default=""),
        Col("援助形式", "aid_form", choice(AID_FORM), default=""),
        Col("案由", "cause", choice(CAUSE), default=""),
        Col("受援人姓名", "name", text_of(50), True),
        Col("证件号码", "id_number", id_number, default=""),
        Col("性别", "sex", choice(SEX), default=""),
        Col("出生日期", "birth_date", parse_date),
        Col("人群类别", "groups", group_list, default=[]),
        Col("群体性案件", "is_mass", parse_bool, default=False),
        Col("受援人数", "recipient_count", _at_least_one, default=1),
        Col("承办人", "handler", text_of(50), default=""),
        Col("承办人类型", "handler_kind", choice(HANDLER_KIND), default=""),
        Col("承办机构", "provider", text_of(100), default=""),
        Col("指派日期", "assigned_on", parse_date),
        Col("结案日期", "closed_on", parse_date),
        Col("结案方式", "outcome", choice(None, OUTCOME_FROM_LEDGER), default=""),
        Col("挽回经济损失", "amount_recovered", parse_money),
        Col("涉案金额", "amount_involved", parse_money),
        Col("质量等级", "grade", choice(GRADE), default=""),
        Col("补贴金额", "subsidy_amount", parse_money),
        Col("补贴发放日期", "subsidy_paid_on", parse_date),
        Col("工作站", "station", text_of(100), default=""),
    ],
    "咨询": [
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
        Col("人次", "person_count", _at_least_one, default=1),
    ],
    "宣传活动": [
        Col("日期", "date", parse_date, True),
        Col("活动名称", "title", text_of(200), True),
        Col("活动形式", "form", choice(PUBLICITY_FORM), default="other"),
        Col("地点", "place", text_of(200), default=""),
        Col("工作站", "station", text_of(100), default=""),
        Col("发放资料", "materials", parse_int, default=0),
        Col("现场咨询", "onsite", parse_int, default=0),
        Col("受众", "audience", parse_int, default=0),
    ],
    "媒体报道": [
        Col("日期", "date", parse_date, True),
        Col("媒体", "outlet", text_of(100), True),
        Col("级别", "level", choice(MEDIA_LEVEL), default="county"),
        Col("标题", "title", text_of(200), default=""),
        Col("链接", "link", text_of(500), default=""),
    ],
    "值班与代书": [
        Col("日期", "date", parse_date, True),
        Col("类型", "kind", choice(MATTER_KIND), True),
        Col("地点", "place", text_of(100), default=""),
        Col("律师", "lawyer", text_of(50), default=""),
        Col("姓名", "name", text_of(50), default=""),
        Col("认罪认罚", "plea", parse_bool, default=False),
        Col("人次", "person_count", _at_least_one, default=1),
    ],
    "经费预算": [
        Col("年度", "year", _at_least_one, True),
        Col("来源", "source", choice(FUNDING_SOURCE), True),
        Col("金额", "amount", parse_money, True),
    ],
    "经费支出": [
        Col("日期", "date", parse_date, True),
        Col("类别", "category", choice(SPENDING_CATEGORY), True),
        Col("金额", "amount", parse_money, True),
        Col("说明", "description", text_of(200), default=""),
    ],
    "困难群体": [
        Col("姓名", "name", text_of(50), True),
        Col("证件号码", "id_number", id_number, True),
        Col("类别", "category", choice(REGISTRY_CATEGORY), True),
        Col("来源单位", "source", text_of(100), default=""),
        Col("有效期至", "valid_until", parse_date),
    ],
}

LEDGER_SHEETS = list(SHEETS)  # the ledger's order: 案件, 咨询, 宣传活动, 媒体报道, 值班与代书, 经费预算, 经费支出, 困难群体

# The headers of each sheet, in order: the importer's columns and the exporter's.
COLUMNS: dict[str, list[str]] = {sheet: [c.header for c in cols] for sheet, cols in SHEETS.items()}
