"""applicants' sheets (core.sheets): 困难群体 of the ledger (LEDGER.md) and the export of the person list
(申请人)."""

from __future__ import annotations

from types import SimpleNamespace

from applicants.idcard import id_number_cell
from core.cells import choice, parse_date, text_of
from core.choices import DISABILITY, REGISTRY_CATEGORY, SEX
from core.sheets import Col, Sheet, groups_text, id_text, phone_text, station_text, zh
from core.xlsx import chunked


def registry_row(values: tuple, full: bool) -> list:
    name, number, category, source, valid_until = values
    return [name, id_text(number, full), zh(REGISTRY_CATEGORY, category), source or None, valid_until]


# The person's ID type and household registration (applicants.models.Person.IdType, .Hukou) as the sheet writes
# them: in Chinese, whatever the language of the request or of the worker, like every vocabulary column
# (core.sheets.zh).
ID_TYPE = SimpleNamespace(zh={"resident": "居民身份证", "passport": "护照", "other": "其他证件"})
HUKOU = SimpleNamespace(zh={"urban": "城镇", "rural": "农村"})


def person_rows(qs, *, full: bool = False):
    for p in chunked(qs.select_related("station")):
        yield [
            p.name, zh(SEX, p.sex), zh(ID_TYPE, p.id_type), id_text(p.id_number, full), p.birth_date,
            p.ethnicity or None, phone_text(p.phone, full), zh(HUKOU, p.hukou),
            p.township or None, p.address or None, p.occupation or None, groups_text(p.declared_groups),
            zh(DISABILITY, p.disability_type), p.household_size, p.household_income, station_text(p.station),
        ]


SHEETS = [
    Sheet("困难群体", (
        Col("姓名", "name", text_of(50), True),
        Col("证件号码", "id_number", id_number_cell, True),
        Col("类别", "category", choice(REGISTRY_CATEGORY), True),
        Col("来源单位", "source", text_of(100), default=""),
        Col("有效期至", "valid_until", parse_date),
    ), fields=("name", "id_number", "category", "source", "valid_until"), row=registry_row, ledger_order=8),
    Sheet("申请人", tuple(Col(h) for h in (
        "姓名", "性别", "证件类型", "证件号码", "出生日期", "民族", "电话", "户籍", "乡镇", "住址", "职业", "人群类别",
        "残疾类别", "家庭人口", "家庭月收入", "登记工作站")), rows=person_rows),
]
