"""The Word draft of the 工作总结 (python-docx): figures and year-on-year changes
written into sentences; the narrative left to staff, marked 【请补充：…】."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from core.display import money_text

from . import indicators as ind

# The layout of GB/T 9704-2012 (党政机关公文格式): A4, a type area (版心) of 156 × 225 mm — top 37,
# bottom 35, left 28, right 26 mm — holding 22 lines of 28 characters of 三号 (16pt). Of the two
# line counts in circulation we chose the 2012 standard's 22 lines: a fixed line pitch of 28.95pt
# (22 × 28.95pt = 636.9pt, within 225 mm = 637.8pt) on a line grid of that pitch. 28 characters of 16pt
# need 158 mm, so characters are set 0.25pt closer (156 mm / 28 = 15.79pt a character); Word's
# character grid would do the same, but LibreOffice then gives each character two grid cells.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_WIDTH = Emu(PAGE_WIDTH - LEFT - RIGHT)  # 156 mm
LINES, CHARS = 22, 28
LINE_PITCH = Pt(28.95)
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
LEVEL_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT}  # 一、 / （一） / 1. (bold)
PAGE_NUMBER_FONT = "宋体"
TODO_COLOUR = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)


def fmt(value) -> str:
    """A figure as written in Chinese documents: 1,234 / 12,345.60 / 62.4."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def change_words(this, last, unit: str = "") -> str:
    """同比增长9.3% / 同比下降4.0% / 与上年同期持平; empty when last year is 0 or unknown.

    Only equal figures are 持平: a change that rounds to 0.0 % says which way it went and last year's figure
    (同比增长不足0.1%（上年同期20,000件）)."""
    c = ind.change(this, last)
    if c is None:
        return ""
    if this == last:
        return "与上年同期持平"
    if last < 0:  # a period whose reversals outweighed its spending: a percentage of it says nothing
        way = "增加" if this > last else "减少"
        return f"比上年同期{way}{fmt(abs(this - last))}{unit}（上年同期{fmt(last)}{unit}）"
    if c == 0:
        way = "增长" if this > last else "下降"
        return f"同比{way}不足0.1%（上年同期{fmt(last)}{unit}）"
    if c > 0:
        return f"同比增长{c:.1f}%"
    return f"同比下降{abs(c):.1f}%"


def sentences(data) -> dict[str, list[str]]:
    """The figure sentences of each section, so tests can check them without opening Word."""
    v, last = data.values, data.last
    span = data.period.span_word if data.period.kind != "range" else data.period.label

    def c(code: str) -> str:
        words = change_words(v[code], last[code], ind.BY_CODE[code][1])
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


def _properties(doc, data) -> None:
    """The draft's own properties (File → Info in Word and WPS): its title, the center as author, made now;
    not python-docx's sample ("python-docx", 2013, its thumbnail)."""
    from django.utils import timezone
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    props = doc.core_properties
    now = timezone.now().replace(microsecond=0)
    props.title, props.language = data.title, "zh-CN"
    props.author = props.last_modified_by = data.who
    props.comments = props.subject = props.keywords = props.category = ""
    props.created = props.modified = now
    from docx.oxml.ns import qn

    printed = props._element.find(qn("cp:lastPrinted"))  # the sample's; never printed yet
    if printed is not None:
        props._element.remove(printed)
    props.revision = 1
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)


def write_docx(data, path: str | Path) -> None:
    doc = Document()
    _page_layout(doc)
    _styles(doc)
    _properties(doc, data)
    s = sentences(data)

    title = doc.add_paragraph(style="Title")
    who, rest = data.who, data.title[len(data.who):]
    run = title.add_run(who)

    def fits(text: str) -> bool:
        return _width(text) * TITLE_SIZE.pt <= TYPE_WIDTH.pt * 0.97  # a little air: fonts differ in width

    if not fits(data.title):
        # Too long for one line: break after the issuing body, so each line reads whole (GB/T 9704); a second
        # line still too long (a date range) breaks again before its closing words (法律援助工作总结).
        run.add_break()
        cut = rest.rfind("法律援助")
        if not fits(rest) and cut > 0:
            run.add_text(rest[:cut])
            run.add_break()
            rest = rest[cut:]
    run.add_text(rest)
    _fonts(run, TITLE_FONT)
    doc.add_paragraph(style="Normal")  # 标题下空一行

    def heading(text: str, level: int) -> None:
        p = doc.add_paragraph(style=f"Heading {level}")
        _fonts(p.add_run(text), LEVEL_FONTS[level])

    def para(text: str) -> None:
        _fonts(doc.add_paragraph(style="Normal").add_run(text), BODY_FONT)

    def todo(text: str) -> None:
        r = doc.add_paragraph(style="Normal").add_run(f"【请补充：{text}】")
        r.font.color.rgb = TODO_COLOUR
        _fonts(r, BODY_FONT)

    todo("总体情况概述，如上级部署、重点工作和主要成效")
    for line in s["overview"]:
        para(line)
    heading("一、工作开展情况", 1)
    sections = [
        ("（一）法律援助网络建设", "network", "工作站、联系点建设和志愿者队伍的具体做法与成效"),
        ("（二）法律援助案件办理", "cases", "典型案例和办案中的亮点做法"),
        ("（三）案件质量管理", "quality", "质量监管措施、评估结果运用情况"),
        ("（四）法治宣传", "publicity", "宣传活动的主题、形式和社会反响"),
        ("（五）经费保障", "funding", "经费落实、补贴发放和资金监管情况"),
    ]
    for head, key, hint in sections:
        heading(head, 2)
        for line in s[key]:
            para(line)
        todo(hint)
    heading("二、存在的问题", 1)
    todo("结合上述数据分析存在的问题和不足，如案件质量、办案及时性、经费保障、队伍建设等")
    heading("三、下一步工作计划" if data.period.kind != "year" else f"三、{data.period.end.year + 1}年工作计划", 1)
    todo("下一步工作思路、目标和具体措施")
    _page_numbers(doc)
    doc.save(str(path))


def _width(text: str) -> float:
    """Width in em: a Chinese character is one, a digit or Latin letter about half, and a quarter more where
    Chinese meets digits or Latin (the space Word, WPS and LibreOffice put between them)."""
    width, before = 0.0, None
    for ch in text:
        wide = ord(ch) >= 0x2E80
        width += 1 if wide else 0.5
        if before is not None and wide != before:
            width += 0.25
        before = wide
    return width


def _page_layout(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    # The page number's dashes sit 7 mm below the type area (GB/T 9704): a 四号 line is about 6 mm.
    section.footer_distance = Emu(BOTTOM - Mm(7) - Mm(6))
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _styles(doc) -> None:
    """Fonts on the styles themselves, so what staff add in Word (body, 标题 1–3) looks right too.
    Theme fonts and colours are removed: a theme's East Asian font is not 仿宋 (python-docx's template
    even names a Japanese one)."""
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking (no 、。 at a line start)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing = LINE_PITCH  # a Length: exactly this pitch
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    _indent_two_characters(normal)
    # Character spacing in twentieths of a point, rounded down so that 28 characters fit a line.
    tracking = OxmlElement("w:spacing")
    tracking.set(qn("w:val"), str(math.floor((TYPE_WIDTH.pt / CHARS - BODY_SIZE.pt) * 20)))
    normal.element.rPr.insert_element_before(tracking, *_AFTER_SPACING)

    title = styles["Title"]
    _style(title, TITLE_FONT, TITLE_SIZE)
    ppr = title.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)
    for tag in ("w:spacing", "w:kern"):
        for el in title.element.get_or_add_rPr().findall(qn(tag)):
            title.element.rPr.remove(el)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.line_spacing = LINE_PITCH
    tf.space_before = tf.space_after = Pt(0)
    tf.first_line_indent = Pt(0)
    _drop_char_indent(title)

    for level, font in LEVEL_FONTS.items():
        for name in (f"Heading {level}", f"Heading {level} Char"):
            _style(styles[name], font, BODY_SIZE, bold=level == 3)
        hf = styles[f"Heading {level}"].paragraph_format
        hf.line_spacing = LINE_PITCH
        hf.space_before = hf.space_after = Pt(0)
        _indent_two_characters(styles[f"Heading {level}"])

    footer = styles["Footer"]
    _style(footer, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    ff = footer.paragraph_format
    ff.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ff.first_line_indent = Pt(0)
    _drop_char_indent(footer)


# The elements that follow w:spacing in a run's properties (schema order, which Word insists on).
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")


def _style(style, font: str, size, *, bold: bool = False) -> None:
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK  # replaces a theme colour (python-docx drops w:themeColor)
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)


def _set_fonts(rpr, font: str) -> None:
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _indent_two_characters(style) -> None:
    """首行缩进2字符: in characters for Word and WPS, and 32pt for readers that only know lengths."""
    style.paragraph_format.first_line_indent = BODY_SIZE * 2
    style.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "200")


def _drop_char_indent(style) -> None:
    ind_ = style.element.get_or_add_pPr().find(qn("w:ind"))
    if ind_ is not None:
        ind_.set(qn("w:firstLineChars"), "0")


def _page_numbers(doc) -> None:
    """"— 1 —" in 宋体 四号: odd pages at the right, even pages at the left, one character in
    (GB/T 9704), from a PAGE field."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                        WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.style = doc.styles["Footer"]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            p.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        _page_run(p, "— ")
        _page_run(p, field="begin")
        _page_run(p, instr=" PAGE ")
        _page_run(p, field="separate")
        _page_run(p, "1")
        _page_run(p, field="end")
        _page_run(p, " —")


def _page_run(p, text: str | None = None, *, field: str | None = None, instr: str | None = None) -> None:
    run = p.add_run(text)
    if field:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), field)
        run._r.append(el)
    if instr:
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = instr
        run._r.append(el)
    run.font.size = PAGE_NUMBER_SIZE
    _fonts(run, PAGE_NUMBER_FONT)


def _fonts(run, font: str) -> None:
    """The font named for Latin and East Asian text alike (python-docx's `font.name` sets only the
    Latin slots, and Word then shows Chinese in the theme's font)."""
    _set_fonts(run._element.get_or_add_rPr(), font)
