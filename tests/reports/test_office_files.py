"""The files the app writes look like the center's own: the report workbook and the list exports
(frozen, printed headers, fitted columns, ￥ money, real dates, A4 landscape) and the Word draft of the
工作总结 laid out per GB/T 9704-2012. Reopened with openpyxl and python-docx."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cases.models import Case
from core.xlsx import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT, SafeWorkbook, text_width
from funding.models import Spending
from ledger.exporters import COLUMNS, write_sheet
from ledger.importing import import_ledger
from reports.builder import CASE_COLUMNS, HEADER, HEADER_ROW, build
from reports.periods import parse_period
from reports.summary import CHARS, LINES
from tests import factories as f
from tests.reports import dataset

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def data(org, station_a):
    return dataset.build(station_a)


@pytest.fixture
def report(data, tmp_path):
    xlsx, word = tmp_path / "r.xlsx", tmp_path / "r.docx"
    build(parse_period("2025H1"), xlsx_path=xlsx, docx_path=word)
    return openpyxl.load_workbook(xlsx), docx.Document(str(word))


def _is_printed_a4_landscape_fitted_to_width(ws) -> bool:
    setup = ws.page_setup
    return (setup.orientation == "landscape" and str(setup.paperSize) == "9"
            and ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0)


# --- the report workbook -------------------------------------------------------------------------

def test_every_report_sheet_names_the_center_and_period_above_its_header(report):
    wb, _doc = report
    for ws in wb:
        assert ws["A1"].value == "示范县法律援助中心 2025年上半年 法律援助工作统计", ws.title
        assert ws["A2"].value.startswith(ws.title)
        assert "统计期间：2025年1月1日至2025年6月30日" in ws["A2"].value
        assert "统计截至：2025年6月30日" in ws["A2"].value
        assert ws[f"A{HEADER_ROW}"].font.b, ws.title
    assert [c.value for c in wb["指标"][HEADER_ROW]] == HEADER
    assert [c.value for c in wb["受理案件"][HEADER_ROW]] == CASE_COLUMNS


def test_report_sheets_freeze_and_print_the_real_header_row_on_a4_landscape(report):
    wb, _doc = report
    for ws in wb:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}", ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
        assert _is_printed_a4_landscape_fitted_to_width(ws), ws.title


def test_report_money_is_a_yuan_number_and_dates_are_dates(report, data):
    wb, _doc = report
    ws = wb["受理案件"]
    col = {name: i for i, name in enumerate(CASE_COLUMNS)}
    row = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == data["cases"][1].number)
    recovered = row[col["挽回经济损失"]]
    assert recovered.value == pytest.approx(8000.25) and recovered.number_format == MONEY_FORMAT
    assert row[col["补贴金额"]].number_format == MONEY_FORMAT
    accepted = row[col["受理日期"]]
    assert accepted.is_date and accepted.value == dt.datetime(2025, 1, 1) and accepted.number_format == DATE_FORMAT
    indicator = next(r for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value == "amount.recovered")
    assert indicator[3].number_format == MONEY_FORMAT
    budget = next(r for r in wb["经费"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value == "预算")
    assert isinstance(budget[2].value, (int, float)) and budget[2].number_format == MONEY_FORMAT
    counts = next(r for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value == "cases.accepted")
    assert counts[3].number_format == "General"  # a count is not money


def test_report_columns_are_as_wide_as_their_content(report, data):
    wb, _doc = report
    ws = wb["受理案件"]
    number = max((c.number for c in data["cases"].values()), key=text_width)
    widths = ws.column_dimensions
    assert widths["A"].width >= text_width(number) > text_width("案号")
    assert widths["A"].width > widths["O"].width  # 案号 is wider than 受援人数
    assert all(8 <= widths[c].width <= 60 for c in ("A", "B", "O", "AA"))


# --- the ledger and list exports -----------------------------------------------------------------

@pytest.fixture
def ledger_records(org, station_a, handler_profile):
    closed = f.make_case(accepted_on=dt.date(2025, 4, 10), station=station_a)
    closed.amount_recovered = Decimal("123456.78")
    closed.save()
    f.make_case(accepted_on=dt.date(2025, 5, 6))
    f.SpendingFactory(amount=Decimal("1500"))


def test_a_ledger_export_keeps_its_header_in_row_one_and_imports_back(ledger_records, tmp_path):
    path = tmp_path / "ledger.xlsx"
    book = SafeWorkbook()
    write_sheet(book, "案件", Case.objects.all(), full=True)
    write_sheet(book, "经费支出", Spending.objects.all(), full=True)
    book.save(path)
    wb = openpyxl.load_workbook(path)
    for name in ("案件", "经费支出"):
        ws = wb[name]
        assert [c.value for c in ws[1]] == COLUMNS[name]
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
        assert _is_printed_a4_landscape_fitted_to_width(ws)
    col = {name: i for i, name in enumerate(COLUMNS["案件"])}
    row = next(r for r in wb["案件"].iter_rows(min_row=2) if r[col["挽回经济损失"]].value)
    assert row[col["挽回经济损失"]].value == pytest.approx(123456.78)
    assert row[col["挽回经济损失"]].number_format == MONEY_FORMAT
    assert row[col["受理日期"]].is_date and row[col["受理日期"]].number_format == DATE_FORMAT
    assert wb["案件"].column_dimensions["A"].width > text_width("案号") * 1.1 + 2
    spent = wb["经费支出"]["C2"]
    assert spent.value == 1500 and spent.number_format == MONEY_FORMAT
    before = (Case.objects.count(), Spending.objects.count())
    result = import_ledger(path)
    assert result.ok, result.errors
    assert (Case.objects.count(), Spending.objects.count()) == before


def test_a_sheet_streams_its_rows_after_fitting_widths_to_a_sample(tmp_path):
    long_text = "很长的一段说明文字" * 10
    rows = ([f"（2025）示法援民字第{i}号", dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 9, 30), Decimal(i),
             "=1+1", long_text if i == 1 else ""] for i in range(1, 1001))
    book = SafeWorkbook()
    assert book.add_sheet("列表", ["案号", "日期", "时间", "金额", "备注", "说明"], rows, widths={4: 30}) == 1000
    book.save(tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["列表"]
    assert ws.max_row == 1001 and ws["A1001"].value == "（2025）示法援民字第1000号"
    assert ws["C2"].number_format == DATETIME_FORMAT and ws["D2"].number_format == MONEY_FORMAT
    assert ws["E2"].value == "'=1+1"  # still no formula
    widths = ws.column_dimensions
    assert widths["E"].width == 30  # a caller's width wins
    assert widths["F"].width == 60  # capped
    assert widths["B"].width >= 10 and widths["A"].width >= text_width("（2025）示法援民字第300号")


# --- the Word draft ------------------------------------------------------------------------------

def _east_asian(rpr) -> str | None:
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_the_word_draft_is_a4_with_the_type_area_of_gb_t_9704(report):
    _wb, doc = report
    s = doc.sections[0]
    for length, mm in ((s.page_width, 210), (s.page_height, 297), (s.top_margin, 37), (s.bottom_margin, 35),
                       (s.left_margin, 28), (s.right_margin, 26)):
        assert abs(length - Mm(mm)) < Mm(0.1)  # stored in twips
    assert abs((s.page_width - s.left_margin - s.right_margin) - Mm(156)) < Mm(0.1)
    assert abs((s.page_height - s.top_margin - s.bottom_margin) - Mm(225)) < Mm(0.1)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"  # 28.95pt
    tracking = int(doc.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(Mm(156).pt // (16 + tracking)) == CHARS == 28  # characters a line
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(28.95)  # exactly: 22 lines in 225 mm
    assert int(Mm(225).pt // normal.paragraph_format.line_spacing.pt) == LINES == 22


def test_the_word_draft_sets_chinese_fonts_on_styles_and_text(report):
    _wb, doc = report
    normal = doc.styles["Normal"]
    assert _east_asian(normal.element.rPr) == "仿宋_GB2312" and normal.font.size == Pt(16)
    assert normal.paragraph_format.first_line_indent == Pt(32)
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for level, font in ((1, "黑体"), (2, "楷体_GB2312"), (3, "仿宋_GB2312")):
        style = doc.styles[f"Heading {level}"]
        assert _east_asian(style.element.rPr) == font
        assert style.font.size == Pt(16) and bool(style.font.bold) == (level == 3)
        color = style.element.rPr.find(qn("w:color"))
        assert color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None
        assert style.element.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None
    title = doc.paragraphs[0]
    assert title.text == "示范县法律援助中心\n2025年上半年法律援助工作总结"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.font.size == Pt(22) and _east_asian(title.style.element.rPr) == "方正小标宋简体"
    assert _east_asian(title.runs[0]._element.rPr) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("上半年共受理法律援助案件"))
    assert body.style.name == "Normal" and _east_asian(body.runs[0]._element.rPr) == "仿宋_GB2312"
    assert "【请补充：" in "\n".join(p.text for p in doc.paragraphs)


def test_the_word_draft_numbers_its_headings_by_level(report):
    _wb, doc = report
    by_level = {1: [], 2: []}
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            level = int(p.style.name.split()[-1])
            by_level[level].append(p.text)
            assert _east_asian(p.runs[0]._element.rPr) == {1: "黑体", 2: "楷体_GB2312"}[level]
    assert [t[:2] for t in by_level[1]] == ["一、", "二、", "三、"]
    assert [t[:3] for t in by_level[2]] == ["（一）", "（二）", "（三）", "（四）", "（五）"]


def test_the_word_draft_numbers_its_pages_with_dashes_in_the_footer(report):
    _wb, doc = report
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (s.footer, s.even_page_footer):
        p = footer.paragraphs[0]
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert p.text == "— 1 —"
        for run in p.runs:
            assert run.font.size == Pt(14) and _east_asian(run._element.rPr) == "宋体"
