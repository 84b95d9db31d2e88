"""The ledger's publicity sheets (LEDGER.md 宣传活动, 媒体报道): columns and rows (core.sheets)."""

from __future__ import annotations

from core.cells import choice, parse_date, parse_int, text_of
from core.choices import MEDIA_LEVEL, PUBLICITY_FORM
from core.sheets import Col, Sheet, zh


def event_row(values: tuple, full: bool) -> list:
    date, title, form, place, station, materials, onsite, audience = values
    return [date, title, zh(PUBLICITY_FORM, form), place or None, station, materials, onsite, audience]


def media_row(values: tuple, full: bool) -> list:
    date, outlet, level, title, link = values
    return [date, outlet, zh(MEDIA_LEVEL, level), title or None, link or None]


SHEETS = [
    Sheet("宣传活动", (
        Col("日期", "date", parse_date, True),
        Col("活动名称", "title", text_of(200), True),
        Col("活动形式", "form", choice(PUBLICITY_FORM), default="other"),
        Col("地点", "place", text_of(200), default=""),
        Col("工作站", "station", text_of(100), default=""),
        Col("发放资料", "materials", parse_int, default=0),
        Col("现场咨询", "onsite", parse_int, default=0),
        Col("受众", "audience", parse_int, default=0),
    ), fields=("date", "title", "form", "place", "station__name", "materials", "onsite", "audience"),
        row=event_row, ledger_order=3),
    Sheet("媒体报道", (
        Col("日期", "date", parse_date, True),
        Col("媒体", "outlet", text_of(100), True),
        Col("级别", "level", choice(MEDIA_LEVEL), default="county"),
        Col("标题", "title", text_of(200), default=""),
        Col("链接", "link", text_of(500), default=""),
    ), fields=("date", "outlet", "level", "title", "link"), row=media_row, ledger_order=4),
]
