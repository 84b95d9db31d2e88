"""Audit: the files the director signs and sends, reopened as office software reads them (openpyxl,
python-docx): the report workbook (指标 first, breakdowns, the case list, the differences from the submitted
version) and the Word draft of the 工作总结. Visual checks (LibreOffice → PDF → PNG) are in the audit report;
these are the parts CI can check without LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from freezegun import freeze_time

from cases.models import Case
from core.xlsx import MONEY_FORMAT, text_width
from reports.builder import CASE_COLUMNS, HEADER, HEADER_ROW, build
from reports.periods import parse_period
from reports.services import report_run_execute, report_run_request
from reports.submission import report_run_submit
from tests.factories import make_case

pytestmark = pytest.mark.django_db
D = dt.date


def _shows_one_decimal(number_format: str) -> bool:
    """Excel shows a value with exactly one decimal under this format (62.4, 91.0, -20.0)."""
    return bool(re.search(r"0\.0(?![0#])", number_format))


def test_it_shows_every_rate_and_year_on_year_change_with_one_decimal(data, tmp_path):
    """STATISTICS.md: "Rates are percentages with one decimal (62.4 means 62.4 %)"; the 同比(%) column is a
    change % of the same kind. Written in the General format, a whole rate (100.0, 90.0) or change (-20.0)
    shows as "100", "90", "-20" beside "62.4" in the same column (seen in LibreOffice and Excel), while the
    Word draft writes the same figure as "100.0%". The cells need a one-decimal number format."""
    path = tmp_path / "r.xlsx"
    build(parse_period("2025H1"), xlsx_path=path)
    ws = openpyxl.load_workbook(path)["指标"]
    assert [c.value for c in ws[HEADER_ROW]] == HEADER
    wrong = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        code, unit, this, last, change = row[0].value, row[2].value, row[3], row[4], row[5]
        cells = [change] + ([this, last] if unit == "%" else [])
        wrong += [f"{code} {c.column_letter}{c.row}={c.value!r} ({c.number_format})" for c in cells
                  if isinstance(c.value, float) and not _shows_one_decimal(c.number_format)]
    assert wrong == [], "\n".join(wrong[:10])


@freeze_time("2026-01-10 10:00:00+08:00")
def test_it_writes_the_figures_of_the_differences_sheet_as_numbers(org, director):
    """STATISTICS.md: "Numbers are written as numbers, not text"; "Money in yuan with two decimals". The sheet
    与上报版本差异 puts the submitted figure beside today's, but writes both as the stored text ("2", "3",
    "1000.00"): Excel flags them as numbers stored as text, cannot subtract or sum them, and the money has no
    ￥ and no thousands separators, unlike the same figures on 指标."""
    case = make_case(accepted_on=D(2025, 8, 1))
    Case.objects.filter(pk=case.pk).update(amount_involved=Decimal("1000.00"))
    run = report_run_request(period="2025H2", station=None, want_docx=False, by=director)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    report_run_submit(run=run, by=director)
    late = make_case(accepted_on=D(2025, 9, 1))
    Case.objects.filter(pk=late.pk).update(amount_involved=Decimal("123456.78"))
    again = report_run_request(period="2025H2", station=None, want_docx=False, by=director)
    report_run_execute(run_id=again.pk)
    again.refresh_from_db()
    assert again.status == "done", again.error
    ws = openpyxl.load_workbook(again.xlsx.path)["与上报版本差异"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    accepted, involved = rows["cases.accepted"], rows["amount.involved"]
    assert (accepted[3].value, accepted[4].value) == (1, 2)  # numbers Excel can subtract, not "1" / "2"
    assert involved[3].value == pytest.approx(1000) and involved[4].value == pytest.approx(124456.78)
    assert involved[3].number_format == involved[4].number_format == MONEY_FORMAT


def test_it_widens_a_money_column_for_an_amount_after_the_first_300_rows(org, tmp_path):
    """core/xlsx.py: "columns as wide as their content, money as ￥1,234.00"; a number wider than its column
    shows as ##### in Excel and LibreOffice. A county accepting 1,200 cases a year (DOMAIN.md §11) has far more
    than 300 rows on 受理案件, but widths are fitted to the first 300 rows only: an autumn case with
    ￥2,350,000.00 in dispute after 300 cases of ￥9,800.00 prints as ######## (seen in LibreOffice)."""
    for i in range(300):
        c = make_case(accepted_on=D(2025, 1, 1) + dt.timedelta(days=i // 4))
        Case.objects.filter(pk=c.pk).update(amount_involved=Decimal("9800.00"))
    big = make_case(accepted_on=D(2025, 10, 20))
    Case.objects.filter(pk=big.pk).update(amount_involved=Decimal("2350000.00"))
    path = tmp_path / "r.xlsx"
    build(parse_period("2025"), xlsx_path=path)
    ws = openpyxl.load_workbook(path)["受理案件"]
    column = openpyxl.utils.get_column_letter(CASE_COLUMNS.index("涉案金额") + 1)
    cell = next(r[CASE_COLUMNS.index("涉案金额")] for r in ws.iter_rows(min_row=HEADER_ROW + 1)
                if r[0].value == big.number)
    assert cell.value == pytest.approx(2350000) and cell.number_format == MONEY_FORMAT
    shown = "￥" + f"{Decimal('2350000.00'):,.2f}"  # as the money format shows it
    assert ws.column_dimensions[column].width >= text_width(shown), (ws.column_dimensions[column].width, shown)


@freeze_time("2026-07-02 09:00:00+08:00")
def test_it_gives_the_word_draft_its_own_date_and_author_not_the_sample_template_s(data, tmp_path):
    """DOMAIN.md §11: reports are "stored with status, progress, who asked, when", and the Word draft is the
    center's 工作总结 that staff open and send on. The draft keeps python-docx's sample properties: File → Info
    in Word and WPS (and the file's properties in Explorer) say it was created and last modified on 23 December
    2013 by "python-docx", "generated by python-docx", with the sample's thumbnail, while the workbook built in
    the same run says it was created today by the center's software (core/xlsx.py writes its own core.xml)."""
    import docx

    word = tmp_path / "r.docx"
    build(parse_period("2025H1"), xlsx_path=tmp_path / "r.xlsx", docx_path=word)
    props = docx.Document(str(word)).core_properties
    assert props.created is not None and props.created.date() == D(2026, 7, 2), props.created
    assert props.author != "python-docx" and "python-docx" not in (props.comments or "")


def test_it_does_not_call_a_rise_from_a_negative_month_a_fall_in_the_word_draft(org, tmp_path):
    """DOMAIN.md §11: the Word draft has "figures and year-on-year changes filled in"; STATISTICS.md: change % =
    (this − last) / last × 100. Spending can be negative in a period: a reversal (红字冲销) is "a negative
    spending entry dated the day of reversal" (DOMAIN.md §7), so a month whose only entry last year was a
    reversal of ¥500 had funding.spent −500.00. This March ¥1,000.00 was spent: a rise of ¥1,500. The formula
    gives −300.0, which the workbook shows as is, but the draft turns the sign into words and writes
    "经费支出1,000.00元，同比下降300.0%" — a fall that did not happen, in the document the director sends."""
    import docx

    from funding.models import Spending

    paid = Spending.objects.create(date=D(2024, 2, 20), category="case_subsidy", amount=Decimal("500.00"),
                                   description="办案补贴发放")
    Spending.objects.create(date=D(2024, 3, 12), category="case_subsidy", amount=Decimal("-500.00"),
                            description="红字冲销", reverses=paid)  # the entry a reversal writes
    Spending.objects.create(date=D(2025, 3, 12), category="publicity", amount=Decimal("1000.00"),
                            description="宣传资料印刷")
    word = tmp_path / "r.docx"
    build(parse_period("2025-03-01:2025-03-31"), xlsx_path=tmp_path / "r.xlsx", docx_path=word)
    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    sentence = next(line for line in text.splitlines() if "经费支出1,000.00元" in line)
    assert "同比下降" not in sentence, sentence
