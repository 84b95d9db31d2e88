"""The workbook and the Word draft, reopened with openpyxl and python-docx."""

from __future__ import annotations

from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports import indicators as ind
from reports.builder import CASE_COLUMNS, HEADER, HEADER_ROW, build
from reports.periods import parse_period
from tests.reports import dataset
from tests.reports.test_indicators import EXPECTED_2025H1


def _sheet_rows(path, name):
    """The rows of a report sheet from its header on (the title lines above it left out)."""
    wb = openpyxl.load_workbook(path)
    return wb, [list(r) for r in wb[name].iter_rows(min_row=HEADER_ROW, values_only=True)]


def test_workbook_starts_with_the_indicator_sheet_exactly_as_specified(data, tmp_path):
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=out)
    wb, rows = _sheet_rows(out, "指标")
    assert wb.sheetnames[0] == "指标"
    assert wb.sheetnames[1:] == ["案件按案由", "案件按人群", "案件按阶段", "案件按工作站", "咨询按方式", "咨询按事项",
                                 "咨询按工作站", "宣传按形式", "经费", "质量", "目标", "受理案件", "说明"]
    assert rows[0] == HEADER == ["编码", "指标", "单位", "本期", "上年同期", "同比(%)"]
    body = rows[1:]
    assert [r[0] for r in body] == ind.CODES
    assert [(r[0], r[1], r[2]) for r in body] == ind.INDICATORS
    for code, _name, _unit, value, _last, _change in body:
        want = EXPECTED_2025H1[code]
        if want is None:
            assert value is None
        else:
            assert isinstance(value, (int, float)) and not isinstance(value, bool), code  # numbers, not text
            assert Decimal(str(value)) == Decimal(str(want)), code
    by_code = {r[0]: r for r in body}
    assert by_code["cases.accepted"][4:] == [2, 200]
    assert by_code["consultations.total"][4:] == [0, None]  # empty cells, not 0
    assert by_code["rate.satisfaction"][3:] == [66.7, None, None]
    assert by_code["amount.recovered"][3] == 8000.25


def test_workbook_case_list_has_the_ledger_columns_and_the_accepted_cases(data, tmp_path):
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=out)
    _wb, rows = _sheet_rows(out, "受理案件")
    assert rows[0] == CASE_COLUMNS
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {data["cases"][i].number for i in (1, 2, 5, 6, 7, 10)}
    first = next(r for r in rows[1:] if r[0] == data["cases"][1].number)
    col = dict(zip(CASE_COLUMNS, first, strict=True))
    assert col["人群类别"] == "农民工、妇女"
    assert col["群体性案件"] == "是"
    assert col["受援人数"] == 3
    assert col["补贴金额"] == 1200
    assert "*" in col["证件号码"]  # masked in the report


def test_breakdown_sheets_add_up_to_the_indicators(data, tmp_path):
    out = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=out)
    wb = openpyxl.load_workbook(out)
    by_station = [list(r) for r in wb["案件按工作站"].iter_rows(values_only=True, min_row=HEADER_ROW + 1)]
    assert sum(r[1] for r in by_station) == EXPECTED_2025H1["cases.accepted"]
    assert sum(r[2] for r in by_station) == EXPECTED_2025H1["cases.closed"]
    channels = dict(list(r) for r in wb["咨询按方式"].iter_rows(values_only=True, min_row=HEADER_ROW + 1))
    assert channels["来访"] == 2 and channels["12348"] == 3 and channels["来电"] == 1
    topics = [list(r) for r in wb["咨询按事项"].iter_rows(values_only=True, min_row=HEADER_ROW + 1)]
    assert sum(r[1] for r in topics) == EXPECTED_2025H1["consultations.total"]
    causes = [list(r) for r in wb["案件按案由"].iter_rows(values_only=True, min_row=HEADER_ROW + 1)]
    assert sum(r[1] for r in causes) == EXPECTED_2025H1["cases.accepted"]
    funding = [list(r) for r in wb["经费"].iter_rows(values_only=True, min_row=HEADER_ROW + 1)]
    assert sum(r[2] for r in funding if r[0] == "预算") == 600000


def test_word_draft_writes_the_figures_and_changes_into_sentences(data, tmp_path):
    out_x, out_d = tmp_path / "r.xlsx", tmp_path / "r.docx"
    build(parse_period("2025H1"), xlsx_path=out_x, docx_path=out_d)
    text = "\n".join(p.text for p in docx.Document(str(out_d)).paragraphs)
    assert "示范县法律援助中心\n2025年上半年法律援助工作总结" in text  # broken after the issuing body
    assert "上半年共受理法律援助案件6件，同比增长200.0%，其中刑事案件2件、民事案件3件、行政案件1件" in text
    assert "结案3件，同比增长200.0%" in text
    assert "受援人数8人" in text
    assert "合计提供法律援助服务25人次" in text
    assert "挽回经济损失8,000.25元" in text
    assert "经费使用率0.8%" in text
    assert "一、工作开展情况" in text and "二、存在的问题" in text and "三、下一步工作计划" in text
    assert text.count("【请补充：") >= 7


def test_annual_draft_speaks_of_the_whole_year_and_next_years_plan(data, tmp_path):
    out_x, out_d = tmp_path / "r.xlsx", tmp_path / "r.docx"
    build(parse_period("2025"), xlsx_path=out_x, docx_path=out_d)
    text = "\n".join(p.text for p in docx.Document(str(out_d)).paragraphs)
    assert "全年共受理法律援助案件7件" in text
    assert "三、2026年工作计划" in text


def test_build_report_command_writes_both_files(data, tmp_path, capsys):
    out_x, out_d = tmp_path / "a.xlsx", tmp_path / "a.docx"
    call_command("build_report", "--period", "2025H1", "--output", str(out_x), "--docx", str(out_d))
    _wb, rows = _sheet_rows(out_x, "指标")
    assert {r[0]: r[3] for r in rows[1:]}["cases.accepted"] == 6
    assert out_d.exists()
    assert not list(tmp_path.glob(".partial-*"))


def test_build_report_command_matches_a_station_by_name_or_code(data, tmp_path, station_a):
    for key in ["station-a", station_a.name]:
        out = tmp_path / f"{key}.xlsx"
        call_command("build_report", "--period", "2025H1", "--station", key, "--output", str(out))
        _wb, rows = _sheet_rows(out, "指标")
        values = {r[0]: r[3] for r in rows[1:]}
        assert values["cases.accepted"] == 2
        assert values["funding.budget"] is None


def test_build_report_command_refuses_a_bad_period_or_an_unknown_station(org, tmp_path):
    with pytest.raises(CommandError):
        call_command("build_report", "--period", "2025H3", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="工作站"):
        call_command("build_report", "--period", "2025", "--station", "nowhere", "--output", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_build_report_command_exits_non_zero_from_the_shell(org, tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), "build_report", "--period", "bad", "--output",
                             str(tmp_path / "x.xlsx")], capture_output=True, text=True,
                            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "legalaid.test_settings"})
    assert result.returncode != 0
    assert "bad" in result.stderr


def test_formula_like_text_is_written_as_text(org, tmp_path):
    from applicants.models import Person

    case = dataset.case(accepted_on=dataset.D(2025, 3, 1))
    Person.objects.filter(pk=case.recipient_id).update(name="=HYPERLINK(\"x\")")
    out = tmp_path / "r.xlsx"
    build(parse_period("2025"), xlsx_path=out)
    _wb, rows = _sheet_rows(out, "受理案件")
    assert rows[1][CASE_COLUMNS.index("受援人姓名")].startswith("'=")
