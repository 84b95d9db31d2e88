"""Audit: round trips of the Excel ledger (LEDGER.md) — records made through the product's services, exported as
the lists export them, imported again (into the same database, or into one emptied of the ledger's records), and
re-imported; files with one corrected cell and files with errors.

Checked and found right (no test kept): a full ledger of cases (closed, archived and graded with a paid subsidy,
terminated, awaiting assignment, a passport holder, derived and declared groups, zero and empty amounts),
consultations (one logged at 23:30, repeats, a multi-line summary), events, media reports, duty matters, budget,
spending and the registry, exported and imported into an emptied database, gives back the same workbook cell for
cell and the same STATISTICS.md figures (but for what the ledger has no column for: a grade's own date, the
station of a matter or media report, the deadlines left empty for imported history); the same file imported again
adds nothing; build_report writes the 指标 sheet of the imported data as STATISTICS.md defines it.

The tests below fail on the current code; each says the contract line and what goes wrong.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import load_workbook

from applicants.models import Person, VulnerableEntry
from cases import services as cases
from cases.models import Case
from core.xlsx import SafeWorkbook
from funding.models import Budget, Spending, Subsidy
from intake.models import Consultation, Matter
from intake.services import consultation_save
from ledger.exporters import write_sheet
from ledger.importing import import_ledger
from publicity.models import Event, MediaReport
from tests import factories as f

from .builders import build_ledger, case_row, consultation_row

pytestmark = pytest.mark.django_db

MODELS = {"案件": Case, "咨询": Consultation, "宣传活动": Event, "媒体报道": MediaReport, "值班与代书": Matter,
          "经费预算": Budget, "经费支出": Spending, "困难群体": VulnerableEntry}


def export(path, sheet, queryset, *, full=True):
    """The list's export (ledger.exporters, what `?export=xlsx` streams), with full ID numbers and phones."""
    book = SafeWorkbook()
    write_sheet(book, sheet, queryset, full=full)
    book.save(path)
    return path


def cells(path, column):
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    at = list(rows[0]).index(column)
    return [r[at] for r in rows[1:]]


def empty_the_ledger_tables():
    """The database of a center that has not imported anything yet: the records of the ledger's sheets (and the
    persons and subsidies they bring) gone; stations, the roster and the users stay."""
    tables = [m._meta.db_table for m in [*MODELS.values(), Person, Subsidy]]
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


# ---- round trips of what the product itself holds ------------------------------------------------------------

@pytest.mark.parametrize("number", ["军字第0012345号", "01234567"], ids=["军官证", "台胞证 (8 digits)"])
def test_a_case_list_whose_recipient_holds_another_document_imports_again(tmp_path, org, clerk, number):
    """LEDGER.md: "The same format is what the case … lists export, so a file exported can be imported again";
    案件 证件号码: "a resident ID number is checked" (only a resident ID number).

    The person form (applicants.forms.PersonForm) registers a recipient with ID type 其他证件 and any number: a
    military officer's card 军字第0012345号, a Taiwan compatriot permit of 8 digits. The case list exports that
    number in 证件号码, and the importer refuses its own export: applicants.idcard.document_number_cell takes only
    Latin letters and digits with at least one letter for "another document", and sends everything else to the
    resident-ID check, so the whole file is refused with "案件!2: 证件号码: 格式错误，应为18位（17位数字加1位数字或X）" —
    even re-imported into the same database, where the row's 案号 matches its case.
    """
    person = f.PersonFactory(name="退役军人甲", id_type="other", id_number=number)
    f.make_case(recipient=person, accepted_on=dt.date(2025, 4, 10), by=clerk)
    path = export(tmp_path / "案件.xlsx", "案件", Case.objects.all())
    assert cells(path, "证件号码") == [number]

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["案件"] == {"rows": 1, "created": 0, "matched": 1}


def test_a_consultation_list_with_a_long_summary_imports_again(tmp_path, org, clerk):
    """LEDGER.md: "a file exported can be imported again"; 咨询 内容摘要: "text".

    A letter consultation (来信) whose summary the clerk typed in full (4,500 characters: the consultation form and
    consultation_save take any length, Consultation.summary is a TextField) exports as it is, and the importer
    refuses its own export: its cell-length limit (core.files DEFAULT_LIMITS "cell_chars": 4000, below Excel's own
    32,767) makes the file an error "咨询!2: 单元格超过 4000 个字符的上限", so the consultation list of a year with one
    long letter can never be imported again.
    """
    consultation_save(consultation=Consultation(
        occurred_at=dt.datetime(2025, 5, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), channel="letter",
        topic="labour_pay", summary="来信反映拖欠工资情况。" * 450, answer="已书面答复。"), by=clerk)
    path = export(tmp_path / "咨询.xlsx", "咨询", Consultation.objects.all())

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["咨询"] == {"rows": 1, "created": 0, "matched": 1}


def test_a_case_closed_with_an_outcome_added_in_the_admin_keeps_a_closing_outcome_through_the_ledger(
        tmp_path, org, clerk, handler_profile):
    """LEDGER.md 案件 结案方式: 判决 / 调解 / 和解 / 撤诉 / 仲裁裁决 / 不起诉 / 终止 / 其他; "a file exported can be
    imported again". core.VocabularyTerm: the closing outcomes are configuration, and a term's Chinese label is
    "read and written by the Excel ledger".

    An administrator adds the outcome 宣告无罪 (acquittal) for criminal cases; a case is closed with it. The case
    export folds the seed's finer outcomes into the ledger's words (判决胜诉 → 判决, 缓刑 → 其他: cases.sheets
    LEDGER_OUTCOME) but writes nothing for a term of the table, so the closed case's 结案方式 is empty, and the
    file imported into a new database gives a closed case without any closing outcome (the report's case list
    then shows none). Expected: 其他 (or the term's own label, read back).
    """
    from core.models import VocabularyTerm

    VocabularyTerm.objects.create(vocabulary="outcome", code="acquittal", label_zh="宣告无罪", label_en="Acquittal",
                                  applies_to=["criminal"])
    case = f.make_case(category="criminal", stage="trial", aid_form="criminal_defence", cause="theft",
                       accepted_on=dt.date(2025, 3, 3), by=clerk)
    cases.case_assign(case=case, handler=handler_profile, on=dt.date(2025, 3, 4), by=clerk)
    cases.case_close(case=Case.objects.get(pk=case.pk), closed_on=dt.date(2025, 6, 1), outcome="acquittal",
                     closing_report="宣告无罪。", by=clerk)
    path = export(tmp_path / "案件.xlsx", "案件", Case.objects.all())
    empty_the_ledger_tables()

    result = import_ledger(path)

    assert result.ok, result.errors
    imported = Case.objects.get()
    assert (imported.status, imported.closed_on) == ("closed", dt.date(2025, 6, 1))
    assert imported.outcome, f"exported 结案方式 {cells(path, '结案方式')}: the closed case lost its outcome"


# ---- re-import: no duplicates --------------------------------------------------------------------------------

def test_an_exported_list_does_not_duplicate_one_of_two_identical_imported_rows_corrected_since(tmp_path, org,
                                                                                                clerk):
    """LEDGER.md: "Re-importing must not duplicate anything: … two identical rows in one file are two records (two
    phone calls on one day)"; "a file exported can be imported again".

    A ledger with the contract's own example, two identical phone calls on one day, is imported. The clerk then
    corrects one of them in the system (it was 2 people: 人次 2). The consultation list is exported — it holds
    exactly what the database holds — and imported. ledger.importing.writing.new_rows first gives each row a record
    by the fingerprint of the row it came from, and the unchanged row takes the corrected record (both came from
    the same row; the corrected one is popped first), so the row of the corrected record finds no record left that
    holds its content and is added: a third consultation, 人次 1 + 2 + 2.
    """
    first = build_ledger(tmp_path / "台账.xlsx", {"咨询": [consultation_row(), consultation_row()]})
    assert import_ledger(first).ok
    corrected = Consultation.objects.order_by("pk").first()
    corrected.person_count = 2
    consultation_save(consultation=corrected, by=clerk)
    path = export(tmp_path / "咨询导出.xlsx", "咨询", Consultation.objects.order_by("pk"))

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["咨询"] == {"rows": 2, "created": 0, "matched": 2}
    assert sorted(Consultation.objects.values_list("person_count", flat=True)) == [1, 2]


def test_a_case_row_whose_ledger_now_gives_a_closing_date_is_not_matched_in_silence(tmp_path, org):
    """LEDGER.md: "a case row with a 案号 matches the case with that number"; "An imported case lands in the state
    its dates imply (closed when it has a 结案日期 …)"; the ledger is imported so that "the dashboards and reports
    are right from day one".

    The 2024 ledger is imported while case 第7号 is still open (assigned). The clerk keeps the Excel ledger going
    and later fills in its 结案日期, 结案方式 and 挽回经济损失, and imports the ledger again. The row matches the case
    by its 案号, and the import answers "案件: 1 行，新增 0，已存在 1" with no warning: the closing is dropped in
    silence, the case stays open for ever (期末未结案件, overdue lists) while the clerk believes the ledger is in.
    Expected: the closing date the file now gives is applied, or the row is reported (a warning naming the row and
    the column) so that the clerk knows to close the case in the system.
    """
    number = "（2024）示法援民字第7号"
    open_row = case_row(案号=number, 指派日期=dt.date(2024, 3, 8), 承办人="张伟", 承办机构="县法律援助中心")
    assert import_ledger(build_ledger(tmp_path / "台账1.xlsx", {"案件": [open_row]})).ok
    closed_row = {**open_row, "结案日期": dt.date(2024, 5, 10), "结案方式": "调解", "挽回经济损失": 5000}

    result = import_ledger(build_ledger(tmp_path / "台账2.xlsx", {"案件": [closed_row]}))

    assert result.ok, result.errors
    case = Case.objects.get(number=number)
    told = [w for w in result.warnings if w.startswith("案件!2") and "结案日期" in w]
    assert case.closed_on == dt.date(2024, 5, 10) or told, (
        f"case {case.status}, closed_on {case.closed_on}; warnings: {result.warnings}")


# ---- cells and errors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [100.125, "100.125元"], ids=["number", "text"])
def test_money_with_a_half_fen_rounds_as_the_ledger_shows_it(tmp_path, org, amount):
    """LEDGER.md: "Money is a number or text …"; STATISTICS.md: "Money in yuan with two decimals".

    An amount of 100.125 (a formula's result in the county's spending ledger) shows as 100.13 in Excel and WPS (a
    0.00 format rounds half away from zero) and is 100.13 by 四舍五入, the rounding of Chinese bookkeeping. The
    importer rounds it with Decimal's default ROUND_HALF_EVEN (core.cells.parse_money, `quantize`) and stores
    100.12: the imported spending, and funding.spent, are a fen below the ledger's own figure. (The product
    already rounds amounts with more decimals, tests/ledger/test_cells.py: 99.999 → 100.00.)
    """
    path = build_ledger(tmp_path / "支出.xlsx", {"经费支出": [{"日期": dt.date(2025, 5, 5), "类别": "宣传", "金额": amount}]})

    result = import_ledger(path)

    assert result.ok, result.errors
    assert Spending.objects.get().amount == Decimal("100.13")


def test_a_cell_past_the_length_limit_is_reported_with_its_column(tmp_path, org, settings):
    """LEDGER.md: "On any error it imports nothing, prints every error as `sheet!row: column: message`".

    A cell longer than the importer's limit is reported as "咨询!2: 单元格超过 20 个字符的上限"
    (ledger.importing.parse._read_rows): the column is missing, and in a row of twelve columns (two of them free
    text) the clerk has to guess which cell to shorten.
    """
    settings.UPLOAD_LIMITS = {"cell_chars": 20}
    path = build_ledger(tmp_path / "咨询.xlsx", {"咨询": [consultation_row(答复="已告知申请劳动仲裁的途径和所需材料" * 3)]})

    result = import_ledger(path)

    assert not result.ok and not Consultation.objects.exists()
    assert any(e.startswith("咨询!2: 答复: ") for e in result.errors), result.errors


def test_the_command_prints_the_errors_it_found_when_a_file_has_more_than_it_keeps(tmp_path, org, settings, capsys):
    """LEDGER.md: "On any error it imports nothing, prints every error as `sheet!row: column: message` and exits
    non-zero".

    A ledger whose 方式 column holds a word the list does not have (电话 for 来电) has an error on every row; past
    the importer's error limit (UPLOAD_LIMITS errors_kept, 1,000 by default, 3 here) the command stops with
    "错误超过 3 条，已停止校验；请按已列出的错误修改后重新上传，未导入任何数据" — "correct the errors listed" — and lists
    none: LimitReached leaves the collected errors behind (import_ledger's command, and the web preview likewise
    shows only that one line). A 2,000-row ledger with one mistyped column gives the clerk nothing to correct.
    """
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.UPLOAD_LIMITS = {"errors_kept": 3}
    path = build_ledger(tmp_path / "咨询.xlsx", {"咨询": [consultation_row(方式="电话") for _ in range(6)]})

    with pytest.raises(CommandError) as stopped:
        call_command("import_ledger", str(path))

    printed = capsys.readouterr().err + "\n" + str(stopped.value)
    assert not Consultation.objects.exists()
    assert "咨询!2: 方式: " in printed, f"printed: {printed!r}"


@pytest.mark.parametrize(("column", "typed"), [("受理日期", "0205-03-07"), ("出生日期", "1085/6/15"),
                                                ("结案日期", "2205年3月7日")], ids=["year 205", "year 1085", "year 2205"])
def test_a_date_with_an_absurd_year_is_refused(tmp_path, org, column, typed):
    """LEDGER.md: "Dates are ISO, 2025/3/7, 2025年3月7日 or Excel serial numbers"; a 年度 is a year from 1900 to
    2100 (ledger.importing.parse.row_rules: "不是有效的年度").

    A clerk types 0205-03-07 for 2025-03-07 (a digit dropped): the importer read it as the year 205 and imported
    a case accepted in the year 205, which no period ever counts (and 指派日期 "早于受理日期" never fires). A date
    outside the years 1900 to 2100 is refused, naming the row and the column.
    """
    from ledger.importing import CellError, parse_date

    path = build_ledger(tmp_path / "案件.xlsx", {"案件": [case_row(**{column: typed})]})

    result = import_ledger(path)

    assert not result.ok and not Case.objects.exists()
    assert any(e.startswith(f"案件!2: {column}: ") and "1900" in e for e in result.errors), result.errors
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1) and parse_date("2100/12/31") == dt.date(2100, 12, 31)
    for beyond in ("1899-12-31", "2101-01-01", dt.date(205, 3, 7)):
        with pytest.raises(CellError):
            parse_date(beyond)
