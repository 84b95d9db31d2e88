"""core.xlsx writes SpreadsheetML itself (no openpyxl on the way out): the files it writes are reopened here
with openpyxl, as a user's Excel would open them, and, where LibreOffice is installed, converted by it."""

from __future__ import annotations

import csv
import io
import shutil
import struct
import subprocess
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest

from core.xlsx import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    ONE_DECIMAL_FORMAT,
    WIDTH_SAMPLE,
    SafeWorkbook,
    text_width,
    workbook_response,
)

HEADER = ["案号", "受理日期", "登记时间", "补贴金额", "人数", "比例", "备注", "是否农民工", ""]
STATION_SHEET = "按工作站统计's & 名称很长很长很长很长很长很长很长很长很长很长很长"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def case_row(n: int) -> list:
    return [f"2025LA{n:06d}", date(2025, 3, 7), datetime(2025, 3, 7, 1, 30, tzinfo=UTC), Decimal("1500.00"),
            3, 62.4, "城关镇法律援助工作站", n % 2 == 0, None]


@pytest.fixture
def book_path(tmp_path):
    book = SafeWorkbook()
    rows = [
        case_row(1),
        ["=HYPERLINK(\"http://x\")", None, datetime(2025, 3, 7, 9, 30), Decimal("123456.78"), -5, 1e20, "-1", True, ""],
        ["+86 139", date(2024, 2, 29), None, Decimal("0"), 0, None, "@某人", False, " 前后有空格 "],
        ["带\x00控\x08制\x0b字\x0c符\x1b的\x7f文本\ufffe", None, None, None, None, None, "换行\n保留\t制表", None, "a & b < c"],
    ]
    assert book.add_sheet("案件", HEADER, rows, widths={6: 30}) == 4
    assert book.add_sheet(STATION_SHEET, ["工作站", "受理"], [["城关镇", 12]],
                          title_lines=["示范县法律援助中心 2025年上半年 法律援助工作统计",
                                       "按工作站统计　统计期间：2025年1月1日至2025年6月30日"]) == 1
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


@pytest.fixture
def wb(book_path):
    return openpyxl.load_workbook(book_path)


def test_values_keep_their_types_dates_money_and_local_time(wb):
    ws = wb["案件"]
    assert [c.value for c in ws[1]] == HEADER[:8] + [None]  # an empty header cell keeps only its style
    number, accepted, logged, money, people, ratio, note, migrant, empty = ws[2]
    assert number.value == "2025LA000001" and number.data_type == "s"
    assert accepted.is_date and accepted.value == datetime(2025, 3, 7) and accepted.number_format == DATE_FORMAT
    # an aware time is written as Beijing time
    assert logged.is_date and logged.value == datetime(2025, 3, 7, 9, 30) and logged.number_format == DATETIME_FORMAT
    assert money.value == 1500 and money.number_format == MONEY_FORMAT
    assert people.value == 3 and people.number_format == "General" and people.data_type == "n"
    assert ratio.value == 62.4 and ratio.number_format == ONE_DECIMAL_FORMAT  # a rate, one decimal shown
    assert note.value == "城关镇法律援助工作站"
    assert migrant.value == "否" and ws["H3"].value == "是"
    assert empty.value is None
    assert ws["C3"].value == datetime(2025, 3, 7, 9, 30)  # a naive time stays as it is
    assert ws["D3"].value == pytest.approx(123456.78) and ws["D3"].number_format == MONEY_FORMAT
    assert ws["E3"].value == -5 and ws["F3"].value == 1e20
    assert ws["B4"].value == datetime(2024, 2, 29) and ws["D4"].value == 0
    assert ws["I3"].value is None  # "" is no cell at all


def test_text_that_looks_like_a_formula_stays_text(wb):
    ws = wb["案件"]
    assert ws["A3"].value == "'=HYPERLINK(\"http://x\")" and ws["A3"].data_type == "s"
    assert ws["G3"].value == "'-1" and ws["A4"].value == "'+86 139" and ws["G4"].value == "'@某人"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_characters_xml_cannot_hold_are_dropped_and_spaces_kept(wb):
    ws = wb["案件"]
    assert ws["A5"].value == "带控制字符的\x7f文本"  # DEL is legal XML 1.0; the rest would break the file
    assert ws["G5"].value == "换行\n保留\t制表"
    assert ws["I5"].value == "a & b < c"
    assert ws["I4"].value == " 前后有空格 "


def test_the_header_is_bold_centred_frozen_and_printed_on_every_page(wb):
    ws = wb["案件"]
    head = ws["A1"]
    assert head.font.b and head.alignment.horizontal == "center" and head.alignment.wrap_text
    assert not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"


def test_every_sheet_prints_a4_landscape_one_page_wide_with_page_numbers(wb):
    for ws in wb:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9", ws.title
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_options.horizontalCentered
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_columns_are_fitted_and_a_callers_width_wins(wb):
    widths = wb["案件"].column_dimensions
    assert widths["A"].width == text_width('=HYPERLINK("http://x")') + 2 == 25  # with its apostrophe
    assert widths["B"].width == 13 and widths["C"].width == 19  # a date, a date and time
    assert widths["G"].width == 30
    assert widths["I"].width == text_width(" 前后有空格 ") + 2 == 14  # full-width characters count two
    assert widths["E"].width == 8  # the narrowest


def test_title_lines_sit_merged_above_the_header_of_a_report_sheet(wb):
    ws = wb.worksheets[1]
    assert ws.title == STATION_SHEET[:31] != STATION_SHEET
    assert ws["A1"].value == "示范县法律援助中心 2025年上半年 法律援助工作统计"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    assert not ws["A2"].font.b and ws["A2"].font.sz == 11 and ws["A2"].alignment.wrap_text
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:B1", "A2:B2"}
    # widened for the titles to fit one line each, so each takes one line of its font's height
    assert ws.row_dimensions[1].height == 22 and ws.row_dimensions[2].height == 17
    assert [c.value for c in ws[3]] == ["工作站", "受理"] and ws["A3"].font.b
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert [c.value for c in ws[4]] == ["城关镇", 12]


def test_the_package_is_well_formed_in_the_schemas_order(book_path):
    with zipfile.ZipFile(book_path) as z:
        names = z.namelist()
        for name in names:
            ElementTree.fromstring(z.read(name))  # every part parses
        types = z.read("[Content_Types].xml").decode()
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet2.xml"))
        workbook = z.read("xl/workbook.xml").decode()
    for part in ("/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml"):
        assert f'PartName="{part}"' in types
    assert {"_rels/.rels", "xl/_rels/workbook.xml.rels", "docProps/core.xml", "docProps/app.xml"} <= set(names)
    order = ["sheetPr", "sheetViews", "sheetFormatPr", "cols", "sheetData", "mergeCells", "printOptions",
             "pageMargins", "pageSetup", "headerFooter"]
    assert [child.tag.removeprefix(MAIN) for child in sheet] == order
    quoted = STATION_SHEET[:31].replace("'", "''").replace("&", "&amp;")
    assert f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'{quoted}'!$3:$3</definedName>" in workbook


def test_small_parts_carry_no_zip64_headers(book_path):
    # Excel may offer to "repair" a package whose small members have ZIP64 extra fields.
    data = book_path.read_bytes()
    with zipfile.ZipFile(book_path) as z:
        for info in z.infolist():
            name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
            assert extra_length == 0 and info.extra == b"", info.filename


def test_two_sheets_with_one_title_are_told_apart():
    book = SafeWorkbook()
    book.add_sheet("案件", ["a"], [[1]])
    book.add_sheet("案件", ["a"], [[2]])
    out = io.BytesIO()
    book.save(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["案件", "案件1"]
    assert wb["案件1"]["A2"].value == 2 and wb["案件1"].print_title_rows == "$1:$1"


def test_a_sheet_title_excel_refuses_is_refused():
    with pytest.raises(ValueError):
        SafeWorkbook().add_sheet("2025/06", ["a"], [])


def test_a_workbook_saved_to_a_file_and_to_a_path_is_the_same(tmp_path):
    book = SafeWorkbook()
    book.add_sheet("案件", HEADER, [case_row(1)])
    out = io.BytesIO()
    book.save(out)
    book.save(tmp_path / "again.xlsx")
    assert out.getvalue() == (tmp_path / "again.xlsx").read_bytes()
    with pytest.raises(RuntimeError):
        book.add_sheet("更多", ["a"], [])


def test_the_download_response_carries_the_workbook():
    book = SafeWorkbook()
    book.add_sheet("值班表", ["日期"], [[date(2025, 1, 2)]])
    response = workbook_response(book, "值班表.xlsx")
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E5%80%BC%E7%8F%AD%E8%A1%A8.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb["值班表"]["A2"].value == datetime(2025, 1, 2)


def test_twenty_thousand_rows_stream_from_a_generator(tmp_path):
    produced = []

    def rows():
        for n in range(1, 20_001):
            produced.append(n)
            yield case_row(n)

    book = SafeWorkbook()
    stream = rows()
    assert book.add_sheet("案件", HEADER, stream) == 20_000
    assert produced[-1] == 20_000 and next(stream, None) is None
    book.save(tmp_path / "long.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "long.xlsx", read_only=True)["案件"]  # as the ledger importer reads
    values = list(ws.iter_rows(values_only=True))
    assert len(values) == 20_001
    assert values[-1][:4] == ("2025LA020000", datetime(2025, 3, 7), datetime(2025, 3, 7, 9, 30), 1500)
    assert values[WIDTH_SAMPLE + 1][0] == f"2025LA{WIDTH_SAMPLE + 1:06d}"  # the first row after the width sample


def test_libreoffice_reads_the_workbook_as_written(book_path, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui")
    # UTF-8, cells as shown, every sheet (the last token) into its own file
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    csv_filter, "--outdir", str(tmp_path / "csv"), str(book_path)],
                   check=True, capture_output=True, timeout=180)
    with open(tmp_path / "csv" / "book-案件.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["案号", "受理日期", "登记时间"]
    assert rows[1][:8] == ["2025LA000001", "2025-03-07", "2025-03-07 09:30", "￥1,500.00", "3", "62.4",
                           "城关镇法律援助工作站", "否"]
    assert rows[2][0] == "'=HYPERLINK(\"http://x\")" and rows[2][3] == "￥123,456.78"
    assert rows[4][0] == "带控制字符的\x7f文本"
