"""The Word draft of the 工作总结 (python-docx): figures and year-on-year changes
written into sentences; the narrative left to staff, marked 【请补充：…】."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import indicators as ind

FONT = "仿宋"
HEADING_FONT = "黑体"


def fmt(value) -> str:
    """A figure as written in Chinese documents: 1,234 / 12,345.60 / 62.4."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) and value >= 10000 else str(value)


def change_words(this, last) -> str:
    """同比增长9.3% / 同比下降4.0% / 与上年同期持平; empty when last year is 0 or unknown."""
    c = ind.change(this, last)
    if c is None:
        return ""
    if c > 0:
        return f"同比增长{c:.1f}%"
    if c < 0:
        return f"同比下降{abs(c):.1f}%"
    return "与上年同期持平"


def sentences(data) -> dict[str, list[str]]:
    """The figure sentences of each section, so tests can check them without opening Word."""
    v, last = data.values, data.last
    span = data.period.span_word if data.period.kind != "range" else data.period.label

    def c(code: str) -> str:
        words = change_words(v[code], last[code])
        return f"，{words}" if words else ""

    def pct(code: str) -> str:
        return "—" if v[code] is None else f"{fmt(v[code])}%"

    def yuan(code: str) -> str:
        return "—" if v[code] is None else f"{fmt(v[code])}元"

    out: dict[str, list[str]] = {}
    out["overview"] = [
        f"{span}共受理法律援助案件{fmt(v['cases.accepted'])}件{c('cases.accepted')}，"
        f"其中刑事案件{fmt(v['cases.accepted.criminal'])}件、民事案件{fmt(v['cases.accepted.civil'])}件、"
        f"行政案件{fmt(v['cases.accepted.administrative'])}件；结案{fmt(v['cases.closed'])}件{c('cases.closed')}；"
        f"受援人数{fmt(v['recipients.total'])}人{c('recipients.total')}。",
        f"{span}共解答法律咨询{fmt(v['consultations.total'])}人次{c('consultations.total')}，"
        f"提供值班律师法律帮助{fmt(v['matters.duty_lawyer'])}人次，代拟法律文书{fmt(v['matters.drafting'])}件，"
        f"合计提供法律援助服务{fmt(v['services.total'])}人次{c('services.total')}。",
    ]
    out["network"] = [
        f"截至{data.period.end.month}月{data.period.end.day}日，共有法律援助工作站{fmt(v['network.stations'])}个、"
        f"联系点{fmt(v['network.contact_points'])}个、联络员{fmt(v['network.liaisons'])}人、"
        f"法律援助志愿者{fmt(v['network.volunteers'])}人。",
    ]
    groups = "、".join(f"{ind.BY_CODE[f'cases.accepted.group.{g}'][0]}{fmt(v[f'cases.accepted.group.{g}'])}件"
                      for g in ind.GROUPS)
    out["cases"] = [
        f"受理刑事案件{fmt(v['cases.accepted.criminal'])}件{c('cases.accepted.criminal')}，其中通知辩护案件"
        f"{fmt(v['cases.accepted.criminal.notified'])}件；侦查阶段{fmt(v['cases.accepted.criminal.investigation'])}件、"
        f"审查起诉阶段{fmt(v['cases.accepted.criminal.prosecution'])}件、审判阶段"
        f"{fmt(v['cases.accepted.criminal.trial'])}件。",
        f"受理民事案件{fmt(v['cases.accepted.civil'])}件{c('cases.accepted.civil')}，"
        f"行政案件{fmt(v['cases.accepted.administrative'])}件；诉讼案件{fmt(v['cases.accepted.litigation'])}件、"
        f"非诉讼案件{fmt(v['cases.accepted.non_litigation'])}件。",
        f"为特殊群体办理案件：{groups}（同一受援人可属多个群体）；办理农民工讨薪案件"
        f"{fmt(v['cases.accepted.migrant_wage'])}件{c('cases.accepted.migrant_wage')}，群体性案件"
        f"{fmt(v['cases.accepted.mass'])}件。",
        f"结案{fmt(v['cases.closed'])}件，结案率{pct('rate.closure')}；终止法律援助{fmt(v['cases.terminated'])}件；"
        f"期末未结案件{fmt(v['cases.open_at_end'])}件。为受援人挽回经济损失{fmt(v['amount.recovered'])}元"
        f"{c('amount.recovered')}，涉案金额{fmt(v['amount.involved'])}元。",
        f"律师承办案件{fmt(v['cases.accepted.by_lawyer'])}件，占受理案件的{pct('rate.by_lawyer')}。",
    ]
    out["quality"] = [
        f"开展案件质量评估{fmt(v['quality.graded'])}件，其中优秀{fmt(v['quality.excellent'])}件、"
        f"良好{fmt(v['quality.good'])}件、合格{fmt(v['quality.pass'])}件、不合格{fmt(v['quality.fail'])}件，"
        f"案件合格率{pct('rate.quality_pass')}。",
        f"旁听庭审{fmt(v['quality.hearings'])}件，旁听率{pct('rate.hearing')}；回访受援人{fmt(v['followups.total'])}件，"
        f"回访率{pct('rate.followup')}，满意率{pct('rate.satisfaction')}；"
        f"组织重大疑难案件集体讨论{fmt(v['quality.discussions'])}次；收到投诉{fmt(v['complaints.total'])}件。",
        f"审查及时率{pct('rate.review_on_time')}，指派及时率{pct('rate.assign_on_time')}，"
        f"期末逾期事项{fmt(v['cases.overdue_at_end'])}件。",
    ]
    out["publicity"] = [
        f"开展法治宣传活动{fmt(v['publicity.events'])}场次{c('publicity.events')}，发放宣传资料"
        f"{fmt(v['publicity.materials'])}份，现场咨询{fmt(v['publicity.onsite'])}人次，受众"
        f"{fmt(v['publicity.audience'])}人次；媒体报道{fmt(v['publicity.media_reports'])}篇，其中市级以上"
        f"{fmt(v['publicity.media_reports.city_plus'])}篇。",
    ]
    if data.station is None:
        out["funding"] = [
            f"落实法律援助经费预算{fmt(v['funding.budget'])}元，其中中央转移支付{fmt(v['funding.budget.central'])}元、"
            f"省级专项{fmt(v['funding.budget.provincial'])}元、市级{fmt(v['funding.budget.municipal'])}元、"
            f"县级财政{fmt(v['funding.budget.county'])}元、其他来源{fmt(v['funding.budget.other'])}元。",
            f"经费支出{fmt(v['funding.spent'])}元{c('funding.spent')}，经费使用率{pct('rate.funding_used')}；"
            f"其中办案补贴支出{fmt(v['funding.spent.subsidy'])}元，占{pct('rate.subsidy_share')}。"
            f"发放办案补贴{fmt(v['subsidy.paid.total'])}元，涉及案件{fmt(v['subsidy.paid.cases'])}件，"
            f"案均补贴{yuan('subsidy.average')}。",
        ]
    else:
        out["funding"] = [
            f"发放办案补贴{fmt(v['subsidy.paid.total'])}元，涉及案件{fmt(v['subsidy.paid.cases'])}件，"
            f"案均补贴{yuan('subsidy.average')}（经费预算和支出由中心统一核算）。",
        ]
    return out


def write_docx(data, path: str | Path) -> None:
    doc = Document()
    section = doc.sections[0]  # A4, as official documents are printed (GB/T 9704)
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    s = sentences(data)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(data.title)
    run.bold = True
    run.font.size = Pt(20)
    _east_asian(run, "方正小标宋简体")

    def heading(text: str) -> None:
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold = True
        _east_asian(r, HEADING_FONT)

    def para(text: str) -> None:
        p = doc.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(28)

    def todo(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        r = p.add_run(f"【请补充：{text}】")
        r.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    todo("总体情况概述，如上级部署、重点工作和主要成效")
    for line in s["overview"]:
        para(line)
    heading("一、工作开展情况")
    sections = [
        ("（一）法律援助网络建设", "network", "工作站、联系点建设和志愿者队伍的具体做法与成效"),
        ("（二）法律援助案件办理", "cases", "典型案例和办案中的亮点做法"),
        ("（三）案件质量管理", "quality", "质量监管措施、评估结果运用情况"),
        ("（四）法治宣传", "publicity", "宣传活动的主题、形式和社会反响"),
        ("（五）经费保障", "funding", "经费落实、补贴发放和资金监管情况"),
    ]
    for head, key, hint in sections:
        heading(head)
        for line in s[key]:
            para(line)
        todo(hint)
    heading("二、存在的问题")
    todo("结合上述数据分析存在的问题和不足，如案件质量、办案及时性、经费保障、队伍建设等")
    heading("三、下一步工作计划" if data.period.kind != "year" else f"三、{data.period.end.year + 1}年工作计划")
    todo("下一步工作思路、目标和具体措施")
    doc.save(str(path))


def _east_asian(run, font: str) -> None:
    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
