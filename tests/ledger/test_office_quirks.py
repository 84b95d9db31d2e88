"""What the fixes for ledgers saved by office software decide beyond the auditors' tests
(tests/ledger/test_audit_office_files.py): the row reader, repeated columns, formulas, the bound of all rows,
matching records by origin and by content, and case numbers a ledger already holds."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.models import Case
from core.files import xlsx_problem
from intake.models import Consultation
from ledger.importing import LimitReached, import_ledger
from publicity.models import Event

from .builders import build_ledger, case_row, consultation_row, rid

pytestmark = pytest.mark.django_db


def _rewrite_sheet(path: Path, change) -> Path:
    out = path.with_name("x-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                new = change(data)
                assert new != data, "the change must apply"
                data = new
            dst.writestr(item, data)
    return out


def _sheet(path: Path, header: list, rows: list) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "咨询"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_repeated_column_empty_in_every_row_is_a_warning_and_the_file_imports(tmp_path, org):
    path = _sheet(tmp_path / "dup.xlsx", ["日期", "方式", "人次", "人次"], [[dt.date(2025, 3, 7), "来电", 2, None]])
    with translation.override("en"):
        result = import_ledger(path)
    assert result.ok, result.errors
    assert any(w.startswith("咨询!1: 人次: ") and "column D" in w for w in result.warnings), result.warnings
    assert Consultation.objects.get().person_count == 2


def test_a_repeated_column_that_holds_values_refuses_the_file_naming_both_columns(tmp_path, org):
    path = _sheet(tmp_path / "dup.xlsx", ["日期", "方式", "人次", "姓名", "人次"],
                  [[dt.date(2025, 3, 7), "来电", 1, "甲", None], [dt.date(2025, 3, 8), "来电", None, "乙", 3]])
    with translation.override("en"):
        result = import_ledger(path)
    assert [e for e in result.errors if e.startswith("咨询!1: 人次: ")] == [
        "咨询!1: 人次: The column appears twice (columns C and E) and column E holds values (row 3 first); keep one "
        "of the two columns and import again."]
    assert not Consultation.objects.exists()


def test_a_formula_whose_result_is_empty_text_reads_as_an_empty_cell(tmp_path, org):
    """Excel and LibreOffice store a formula whose result is "" as t="str" with an empty <v>: that is a result."""
    path = _sheet(tmp_path / "f.xlsx", ["日期", "方式", "姓名"], [[dt.date(2025, 3, 7), "来电", "x"]])
    path = _rewrite_sheet(path, lambda d: re.sub(rb'<c r="C2"[^>]*>.*?</c>',
                                                 b'<c r="C2" t="str"><f>IF(1,"","x")</f><v></v></c>', d))
    result = import_ledger(path)
    assert result.ok, result.errors
    assert Consultation.objects.get().person_name == ""


def test_a_formula_without_a_result_is_an_error_of_its_cell_in_english_too(tmp_path, org):
    path = _sheet(tmp_path / "f.xlsx", ["日期", "方式", "人次"], [[dt.date(2025, 3, 7), "来电", "=1+2"]])
    with translation.override("en"):
        result = import_ledger(path)
    assert result.errors == ["咨询!2: 人次: The formula has no calculated result: open the file in Excel or WPS, "
                             "save it and import it again."]


def test_a_row_number_far_beyond_excel_is_read_at_once_not_walked_to(tmp_path, org):
    """The reader takes the rows the XML holds: a row numbered 2,000,000,000 is not reached by making up the
    empty rows before it (openpyxl's read-only reader would yield each of them)."""
    path = build_ledger(tmp_path / "l.xlsx", {"咨询": [consultation_row()]})
    path = _rewrite_sheet(path, lambda d: re.sub(rb'\br="([A-Z]*)2"', rb'r="\g<1>2000000000"', d))
    started = time.monotonic()
    result = import_ledger(path)
    assert time.monotonic() - started < 10
    assert result.ok, result.errors
    assert Consultation.objects.count() == 1


def test_formatted_empty_rows_count_toward_the_bound_of_all_rows_only(tmp_path, org, settings):
    wb = Workbook()
    ws = wb.active
    ws.title = "咨询"
    ws.append(["日期", "方式"])
    ws.append([dt.date(2025, 3, 7), "来电"])
    for r in range(3, 200):
        ws.cell(row=r, column=1).font = Font(name="宋体")
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    settings.UPLOAD_LIMITS = {"xlsx_rows": 5}
    assert xlsx_problem(path) is None and import_ledger(path).ok
    settings.UPLOAD_LIMITS = {"xlsx_all_rows": 100}
    assert "100" in xlsx_problem(path)  # the declared dimension, A1:A199
    undeclared = _rewrite_sheet(path, lambda d: re.sub(rb"<dimension[^>]*/>", b"", d))
    assert xlsx_problem(undeclared) is None
    with translation.override("en"), pytest.raises(LimitReached, match="more than 100 rows, empty formatted rows"):
        import_ledger(undeclared)  # the streaming bound, whatever the dimension says


def test_a_corrupt_cell_is_reported_at_its_row_by_the_command(tmp_path, org, capsys):
    good = build_ledger(tmp_path / "good.xlsx", {"咨询": [consultation_row(), consultation_row()]})
    path = _rewrite_sheet(good, lambda d: d.replace(b'r="B3"', b'r="!!"'))
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path))
    assert "咨询!3: 工作表内容已损坏，无法读取（不是有效的 Excel 文件）" in capsys.readouterr().err
    assert not Consultation.objects.exists()


def test_an_imported_row_corrected_since_still_matches_the_file_it_came_from(tmp_path, org, director):
    from publicity.services import event_update

    row = {"日期": dt.date(2025, 3, 7), "活动名称": "三一五普法", "受众": 300}
    first = build_ledger(tmp_path / "a.xlsx", {"宣传活动": [row, row]})
    assert import_ledger(first).ok
    event_update(event=Event.objects.first(), data={"audience": 350, "date": dt.date(2025, 4, 1)}, by=director)
    again = import_ledger(first)
    assert again.counts["宣传活动"] == {"rows": 2, "created": 0, "matched": 2}
    # the corrected record matches its origin once: a third identical row adds one
    third = import_ledger(build_ledger(tmp_path / "b.xlsx", {"宣传活动": [row, row, row]}))
    assert third.counts["宣传活动"] == {"rows": 3, "created": 1, "matched": 2}
    assert Event.objects.count() == 3


def test_numbers_issued_to_rows_without_one_skip_a_number_the_ledger_holds(tmp_path, org):
    from core.models import CenterProfile
    from core.numbering import format_case_number

    def number(seq: int) -> str:
        return format_case_number(year=2025, category="civil", seq=seq, profile=CenterProfile.get())

    rows = [case_row(**{"案号": number(3), "受理日期": dt.date(2024, 12, 30), "证件号码": rid(50)})]
    rows += [case_row(**{"受理日期": dt.date(2025, 1, d), "证件号码": rid(60 + d)}) for d in range(1, 4)]
    result = import_ledger(build_ledger(tmp_path / "l.xlsx", {"案件": rows}))
    assert result.ok, result.errors
    assert set(Case.objects.values_list("number", "seq")) == {
        (number(3), 3), (number(1), 1), (number(2), 2), (number(4), 4)}
    assert Case.objects.get(number=number(3)).year == 2024
