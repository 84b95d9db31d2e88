"""Audit: ledgers as office software writes them (Excel, WPS Office, LibreOffice), against LEDGER.md.

Each file is built at run time with openpyxl (under /tmp/audit_office/ when it is kept for inspection); the one
test that needs LibreOffice's own cached formula values skips when `soffice` is missing. Every quirk must either
import correctly or give the contract's error `sheet!row: column: message` and import nothing: never a silent
loss or change of what the clerk typed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import MAC_EPOCH

from applicants.models import Person, VulnerableEntry
from cases.models import Case
from core.xlsx import SafeWorkbook
from funding.models import Budget, Spending
from intake.models import Consultation, Matter
from ledger.exporters import write_sheet
from ledger.importing import import_ledger
from publicity.models import Event, MediaReport
from stations.models import Handler, Provider
from tests import factories as f

from .builders import build_ledger, case_row, consultation_row, rid

pytestmark = pytest.mark.django_db

OUT = Path("/tmp/audit_office")
SOFFICE = shutil.which("soffice")


def sheet_file(path: Path, sheet: str, header: list, rows: list, *, epoch=None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if epoch is not None:
        wb.epoch = epoch
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# ---- bugs ------------------------------------------------------------------------------------------------

def as_wps_saves_it(path: Path, dimension: bytes = b'<dimension ref="A1"/>') -> Path:
    """The same workbook with the sheet dimension WPS Office writes: `A1` whatever the sheet holds
    (langgenius/dify#1039 "Load WPS xlsx error"; openpyxl's docs, read-only mode, "Worksheet dimensions")."""
    import re
    import zipfile

    out = path.with_name("wps-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", dimension, data)
            dst.writestr(item, data)
    return out


@pytest.mark.parametrize("dimension", [b'<dimension ref="A1"/>', b'<dimension ref="A1:C2"/>'], ids=["A1", "A1:C2"])
def test_it_reads_every_row_and_column_of_a_sheet_whose_declared_dimension_is_wrong(tmp_path, org, dimension):
    """LEDGER.md: the command "reads the sheets below that are present …, validates every row"; "Real county
    ledgers come from Excel, WPS Office and LibreOffice". WPS Office saves a sheet's <dimension> as `A1` whatever it
    holds (and other writers leave a stale one). The importer reads with openpyxl in read-only mode, which trusts that
    dimension and never calls ws.reset_dimensions(): with `A1` the sheet is reduced to its first cell and a valid
    ledger is refused with "咨询!1: 方式: 缺少必填列"; with a stale `A1:C2` only the first data row and the first
    three columns are read and the rest is dropped silently (1 of 5 rows imported, 姓名, 事项类别 … lost).
    """
    rows = [consultation_row(**{"日期": dt.date(2025, 3, d), "姓名": f"来电人{d}"}) for d in range(1, 6)]
    path = as_wps_saves_it(build_ledger(tmp_path / "咨询台账.xlsx", {"咨询": rows}), dimension)
    result = import_ledger(path)
    assert result.ok, result.errors
    assert result.counts["咨询"] == {"rows": 5, "created": 5, "matched": 0}
    assert sorted(Consultation.objects.values_list("person_name", flat=True)) == [f"来电人{d}" for d in range(1, 6)]


def test_it_reads_a_formula_cell_without_a_cached_value_as_its_value_or_refuses_it_never_as_the_default(tmp_path,
                                                                                                         org):
    """LEDGER.md: "validates every row, and imports all or nothing … On any error it imports nothing, prints every
    error as `sheet!row: column: message`"; 人次 is "whole number ≥ 1, default 1" (the default is for an EMPTY cell:
    "Empty optional cells are fine").

    A workbook written by a tool that stores formulas without their computed values (openpyxl, many report
    generators; Excel/WPS with manual calculation) has `=1+2` in 人次. The importer opens it with data_only=True,
    reads the formula cell as empty and silently imports 人次 1 instead of 3, with no error and no warning.
    """
    path = sheet_file(tmp_path / "uncached.xlsx", "咨询", ["日期", "方式", "人次"],
                      [[dt.date(2025, 3, 7), "来电", "=1+2"]])
    result = import_ledger(path)
    if result.ok:
        assert Consultation.objects.get().person_count == 3, "the formula's value, not the default of an empty cell"
    else:
        assert any(e.startswith("咨询!2: 人次: ") for e in result.errors), result.errors
        assert not Consultation.objects.exists()


def test_it_reads_a_date_serial_number_in_the_workbooks_1904_date_system(tmp_path, org):
    """LEDGER.md, Cells: "Dates are Excel dates or text …". The importer reads a bare serial number as an Excel date
    (tests/ledger/test_cells.py: 45723 is 2025-03-07), but always in the 1900 date system: in a workbook saved with
    the 1904 date system (Excel for Mac, or LibreOffice/Excel keeping that option; workbook.xml date1904="1") the same
    day is 44261, which the importer turns into 2021-03-06 — four years early, silently. (LibreOffice writes such
    serials for a formula date, e.g. =DATE(2025,3,9), in a General-formatted cell.)
    """
    path = sheet_file(tmp_path / "mac.xlsx", "咨询", ["日期", "方式", "姓名"],
                      [[dt.date(2025, 3, 7), "来电", "甲"],  # a date-formatted cell: read right
                       [44261, "来电", "乙"]],  # the serial of 2025-03-07 in the 1904 system
                      epoch=MAC_EPOCH)
    result = import_ledger(path)
    assert result.ok, result.errors
    days = {c.person_name: c.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
            for c in Consultation.objects.all()}
    assert days == {"甲": dt.date(2025, 3, 7), "乙": dt.date(2025, 3, 7)}


def test_it_does_not_silently_drop_a_duplicated_header_column(tmp_path, org):
    """LEDGER.md: "Unknown columns are ignored with a warning; a missing required column is an error." and the import
    "validates every row". A clerk's sheet has 人次 twice (a column inserted, the old one left empty). The importer
    keeps the first 人次 column and drops the second one without a word: the row's 3 persons import as 1. A column
    that is not read must at least be named in a warning (or the file refused with `咨询!1: 人次: …`).
    """
    path = sheet_file(tmp_path / "dup.xlsx", "咨询", ["日期", "方式", "人次", "人次"],
                      [[dt.date(2025, 3, 7), "来电", None, 3]])
    result = import_ledger(path)
    told = [m for m in result.errors + result.warnings if m.startswith("咨询!1: 人次")]
    assert told or Consultation.objects.get().person_count == 3, (result.errors, result.warnings)


def test_it_imports_a_short_ledger_whose_sheet_has_thousands_of_styled_empty_rows(tmp_path, org):
    """LEDGER.md: "Moving in must take minutes"; empty rows are not rows of the ledger (the importer skips them and
    does not count them). Excel, WPS and LibreOffice keep every cell a clerk formatted ahead (borders, a date format
    over the year's rows) and declare them in the sheet's dimension. A one-row 咨询 sheet whose clerk formatted the
    cells below down to row 61,000 is refused as "工作簿声明了 60,999 行，超过 60,000 行的上限；请拆分文件" (the
    declared dimension, core.files.xlsx_problem, and the streaming limit, parse.Limits.row, both count empty rows):
    splitting cannot help the clerk, since the file holds one row.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "咨询"
    ws.append(["日期", "方式"])
    ws.append([dt.date(2025, 3, 7), "来电"])
    boxed = Font(name="宋体", size=11)
    for r in range(3, 61001):
        ws.cell(row=r, column=1).font = boxed
    path = tmp_path / "styled_empty_rows.xlsx"
    wb.save(path)
    result = import_ledger(path)
    assert result.ok, result.errors
    assert result.counts["咨询"] == {"rows": 1, "created": 1, "matched": 0}


def excel_xlsx(path: Path, sheet: str, rows: list[list]) -> Path:
    """A minimal workbook as Excel writes it: texts in xl/sharedStrings.xml with Excel's own escape of a carriage
    return (`_x000D_`), dates as serial numbers."""
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    strings: dict[str, int] = {}
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for i, v in enumerate(row):
            ref = f"{get_column_letter(i + 1)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, str):
                text = v.replace("\r", "_x000D_")
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(text, len(strings))}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{to_excel(v) if isinstance(v, (dt.date, dt.datetime)) else v}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
                   f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'{head}<workbook {main} xmlns:r="{rel}"><sheets>'
                   f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'{head}<worksheet {main}><sheetData>{"".join(body)}</sheetData></worksheet>')
        sis = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in strings)
        z.writestr("xl/sharedStrings.xml", f'{head}<sst {main} count="{len(strings)}" uniqueCount="{len(strings)}">{sis}</sst>')
    return path


@pytest.mark.parametrize("office", ["libreoffice_or_wps", "excel"])
def test_it_matches_an_exported_multi_line_consultation_after_office_software_saved_the_file(tmp_path, org, office):
    """LEDGER.md: "The same format is what the case, consultation and publicity lists export, so a file exported can
    be imported again" and "Re-importing must not duplicate anything … any other row matches an earlier … row with
    the same content".

    A consultation typed in the web form keeps the browser's CR LF line break in its summary. The export writes it
    (as &#13;). A clerk opens the export and saves it: LibreOffice and WPS store the break as a bare LF (checked
    with `soffice --convert-to xlsx`); Excel stores the CR as its escape `_x000D_` in sharedStrings.xml, which the
    importer (openpyxl) reads literally. Either way the import adds the consultation a second time (the content
    fingerprint compares the text byte for byte), and after Excel the copy's summary even reads "…_x000D_…".
    """
    f.ConsultationFactory(summary="咨询拖欠工资\r\n已告知申请仲裁", answer="可申请法律援助")
    book = SafeWorkbook()
    write_sheet(book, "咨询", Consultation.objects.all(), full=True)
    exported = tmp_path / "咨询导出.xlsx"
    book.save(exported)
    wb = load_workbook(exported)
    saved = tmp_path / "咨询导出-已保存.xlsx"
    if office == "excel":
        excel_xlsx(saved, "咨询", [[c.value for c in row] for row in wb["咨询"].iter_rows()])
    else:
        for row in wb["咨询"].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell.value.replace("\r\n", "\n")
        wb.save(saved)
    result = import_ledger(saved)
    assert result.ok, result.errors
    assert result.counts["咨询"] == {"rows": 1, "created": 0, "matched": 1}
    assert Consultation.objects.count() == 1


def test_it_does_not_duplicate_an_imported_event_corrected_in_the_system_when_its_export_is_imported(tmp_path, org,
                                                                                                      director):
    """LEDGER.md: "a file exported can be imported again" and "Re-importing must not duplicate anything".

    A 宣传活动 row is imported (受众 300); the director corrects the event to 350 people (publicity.services
    .event_update); the publicity list is exported and that file imported. The importer matches an imported record
    only by the fingerprint of the row it came from (300), never by what it holds now (350), so the export adds a
    second, identical event and 受众 doubles. (A record typed in by hand is matched by what it holds, so the same
    export of a hand-typed event imports back cleanly.)
    """
    from publicity.services import event_update

    first = build_ledger(tmp_path / "台账.xlsx", {"宣传活动": [{"日期": dt.date(2025, 3, 7), "活动名称": "三一五普法",
                                                              "活动形式": "现场咨询", "受众": 300}]})
    assert import_ledger(first).ok
    event_update(event=Event.objects.get(), data={"audience": 350}, by=director)
    book = SafeWorkbook()
    write_sheet(book, "宣传活动", Event.objects.all(), full=True)
    exported = tmp_path / "宣传活动导出.xlsx"
    book.save(exported)
    result = import_ledger(exported)
    assert result.ok, result.errors
    assert result.counts["宣传活动"] == {"rows": 1, "created": 0, "matched": 1}
    assert list(Event.objects.values_list("audience", flat=True)) == [350]


def test_a_ledger_case_number_of_the_next_year_never_crashes_the_import_of_the_rows_without_one(tmp_path, org,
                                                                                               capsys):
    """LEDGER.md: "On any error it imports nothing, prints every error as `sheet!row: column: message` and exits
    non-zero"; "案号 … if empty, the system issues one".

    A case accepted on 30 Dec 2024 carries the clerk's number （2025）示法援民字第3号 (numbered in January, as offices
    do; the importer itself accepts this with the warning "案号年度 2025 与受理日期年度 2024 不同，按受理年度编号" and
    places it in the 2024 sequence). Three 2025 rows of the same file have no 案号, so the system issues them
    （2025）…第1号, 第2号 and 第3号 (ledger.importing.writers.cases._reserve_numbers only skips numbers of the 2025
    sequence). The third clashes with the ledger's number: PostgreSQL's unique key on Case.number stops the COPY,
    the command dies with a psycopg UniqueViolation traceback, and the web preview job ends "failed" with the raw
    database message instead of a row error. (Nothing is left behind: the transaction rolls back.)
    """
    from django.core.management import CommandError

    from core.models import CenterProfile
    from core.numbering import format_case_number

    clerks_number = format_case_number(year=2025, category="civil", seq=3, profile=CenterProfile.get())
    rows = [case_row(**{"案号": clerks_number, "受理日期": dt.date(2024, 12, 30), "证件号码": rid(50)})]
    rows += [case_row(**{"受理日期": dt.date(2025, 1, d), "证件号码": rid(60 + d)}) for d in range(1, 4)]
    path = build_ledger(tmp_path / "跨年台账.xlsx", {"案件": rows})
    try:
        call_command("import_ledger", str(path))
    except CommandError:
        assert "案件!" in capsys.readouterr().err and not Case.objects.exists()
    else:
        numbers = list(Case.objects.values_list("number", flat=True))
        assert len(numbers) == 4 and len(set(numbers)) == 4 and clerks_number in numbers


# ---- guards (checked, no test covered them) --------------------------------------------------------------

SAME_ROWS = {
    "案件": case_row(**{"证件号码": None, "受援人姓名": "无证件人"}),
    "咨询": consultation_row(),
    "宣传活动": {"日期": dt.date(2025, 3, 7), "活动名称": "普法", "发放资料": 10},
    "媒体报道": {"日期": dt.date(2025, 3, 7), "媒体": "县报"},
    "值班与代书": {"日期": dt.date(2025, 3, 7), "类型": "代拟法律文书"},
    "经费预算": {"年度": 2025, "来源": "县级财政", "金额": 100},
    "经费支出": {"日期": dt.date(2025, 3, 7), "类别": "宣传", "金额": 100},
    "困难群体": {"姓名": "孙七", "证件号码": rid(30), "类别": "低保"},
}
MODELS = {"案件": Case, "咨询": Consultation, "宣传活动": Event, "媒体报道": MediaReport, "值班与代书": Matter,
          "经费预算": Budget, "经费支出": Spending, "困难群体": VulnerableEntry}


def test_three_identical_rows_then_a_file_of_four_adds_one_on_every_sheet(tmp_path, org):
    """LEDGER.md: "two identical rows in one file are two records …, and a later file holding three such rows where
    two are already imported adds one" — on every sheet matched by content, a 案件 row without 案号 included."""
    first = import_ledger(build_ledger(tmp_path / "a.xlsx", {s: [r] * 3 for s, r in SAME_ROWS.items()}))
    assert first.ok, first.errors
    second = import_ledger(build_ledger(tmp_path / "b.xlsx", {s: [r] * 4 for s, r in SAME_ROWS.items()}))
    assert second.ok, second.errors
    for sheet, model in MODELS.items():
        assert second.counts[sheet] == {"rows": 4, "created": 1, "matched": 3}, sheet
        assert model.objects.count() == 4, sheet


def test_a_dry_run_of_the_command_leaves_no_person_handler_or_firm_it_created_along_the_way(tmp_path, org):
    """LEDGER.md: `--dry-run` validates and counts; all or nothing. Handlers and firms are saved one by one during
    the write (writers/stations.py), persons in bulk: a dry run must leave none of them."""
    path = build_ledger(tmp_path / "a.xlsx", {"案件": [case_row(**{
        "承办人": "新来的律师", "承办机构": "从未见过律师事务所", "承办人类型": "执业律师",
        "指派日期": dt.date(2024, 3, 8), "证件号码": rid(77)})]})
    before = (Person.objects.count(), Handler.objects.count(), Provider.objects.count())
    call_command("import_ledger", str(path), "--dry-run")
    assert (Person.objects.count(), Handler.objects.count(), Provider.objects.count()) == before
    assert not Case.objects.exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_formulas_saved_by_libreoffice_import_with_their_cached_values(org):
    """LEDGER.md, Cells: dates are Excel dates, numbers are numbers: a formula LibreOffice computed and stored
    (=C2*2, =SUM(), =DATE(), =A2+1, a text formula, =TODAY()) imports as its value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "宣传活动"
    ws.append(["日期", "活动名称", "发放资料", "现场咨询", "受众"])
    ws.append([dt.date(2025, 3, 7), "三一五宣传", 100, "=C2*2", "=SUM(C2:D2)"])
    ws.append(["=DATE(2025,3,8)", '="进村"&"宣讲"', "=C2", 0, "=C3+1"])
    ws.append(["=A2+1", "讲座", 5, 5, 5])
    ws.append(["=TODAY()", "今日活动", 1, 1, 1])
    OUT.mkdir(parents=True, exist_ok=True)
    src = OUT / "lo_formulas_src.xlsx"
    wb.save(src)
    out = OUT / "lo"
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    result = import_ledger(out / src.name)
    assert result.ok, result.errors
    from django.utils import timezone

    assert set(Event.objects.values_list("date", "title", "materials", "onsite", "audience")) == {
        (dt.date(2025, 3, 7), "三一五宣传", 100, 200, 300), (dt.date(2025, 3, 8), "进村宣讲", 100, 0, 101),
        (dt.date(2025, 3, 8), "讲座", 5, 5, 5), (timezone.localdate(), "今日活动", 1, 1, 1)}




