"""Export → import: an exported list imports back without errors and without duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from applicants.models import VulnerableEntry
from cases.models import Case
from core.xlsx import SafeWorkbook
from funding.models import Budget, Spending, Subsidy
from intake.models import Consultation, Matter
from ledger.exporters import COLUMNS, export_response, write_sheet
from ledger.importing import import_ledger
from publicity.models import Event, MediaReport
from tests import factories as f

from .builders import rid

pytestmark = pytest.mark.django_db

MODELS = {"案件": Case, "咨询": Consultation, "宣传活动": Event, "媒体报道": MediaReport, "值班与代书": Matter,
          "经费预算": Budget, "经费支出": Spending, "困难群体": VulnerableEntry}


@pytest.fixture
def records(org, station_a, handler_profile):
    day = dt.date(2025, 4, 10)
    closed = f.make_case(accepted_on=day, station=station_a, extra_groups=["migrant_worker"])
    closed.handler, closed.assigned_on, closed.status = handler_profile, day, "closed"
    closed.closed_on, closed.outcome, closed.grade, closed.graded_on = dt.date(2025, 6, 1), "judgment_won", "good", dt.date(2025, 6, 1)
    closed.amount_recovered = Decimal("8000")
    closed.save()
    Subsidy.objects.create(case=closed, handler=handler_profile, computed_amount=Decimal("1200"),
                           amount=Decimal("1200"), status="paid", paid_on=dt.date(2025, 6, 20))
    f.make_case(accepted_on=day, category="criminal", cause="theft", stage="trial", aid_form="criminal_defence",
                source="notice", organ="court")
    f.ConsultationFactory(station=station_a, person_name="钱八", person_phone="13912345678",
                          person_groups=["women"], summary="=SUM(A1)", person_count=2)
    f.ConsultationFactory()
    f.ConsultationFactory()  # an identical second consultation: repeats count
    f.ConsultationFactory(person=f.PersonFactory(name="周九", sex="F"))  # name from the linked person
    f.EventFactory(station=station_a)
    f.MediaReportFactory(link="https://example.cn/a")
    f.MatterFactory(plea=True, person_count=3)
    f.BudgetFactory()
    f.SpendingFactory()
    VulnerableEntry.objects.create(name="孙七", id_number=rid(30), category="dibao", source="民政局",
                                   valid_until=dt.date(2027, 1, 1))


def export_all(path, *, full=True):
    book = SafeWorkbook()
    for sheet, model in MODELS.items():
        write_sheet(book, sheet, model.objects.all(), full=full)
    book.save(path)
    return path


def counts():
    return {sheet: model.objects.count() for sheet, model in MODELS.items()}


@pytest.mark.parametrize("full", [True, False], ids=["full", "masked"])
def test_an_exported_ledger_imports_back_without_errors_or_duplicates(tmp_path, records, full):
    before = counts()
    path = export_all(tmp_path / "export.xlsx", full=full)
    result = import_ledger(path)
    assert result.ok, result.errors
    assert set(result.counts) == set(MODELS)
    for sheet, c in result.counts.items():
        assert c["created"] == 0 and c["matched"] == c["rows"] == before[sheet], sheet
    assert counts() == before


def test_an_imported_ledger_exported_again_matches_itself(tmp_path, org):
    from .builders import multi_year_ledger

    assert import_ledger(multi_year_ledger(tmp_path / "l.xlsx")).ok
    before = counts()
    result = import_ledger(export_all(tmp_path / "again.xlsx"))
    assert result.ok, result.errors
    assert counts() == before


def test_exports_use_the_ledger_columns_terms_dates_and_numbers(tmp_path, records):
    path = export_all(tmp_path / "export.xlsx")
    wb = load_workbook(path)
    for sheet in MODELS:
        assert [c.value for c in wb[sheet][1]] == COLUMNS[sheet]
    case = dict(zip(COLUMNS["案件"], [c.value for c in wb["案件"][2]], strict=True))
    assert case["案件类别"] in {"民事", "刑事"}
    row = next(r for r in wb["案件"].iter_rows(min_row=2, values_only=True) if r[2] == "民事")
    case = dict(zip(COLUMNS["案件"], row, strict=True))
    assert case["结案方式"] == "判决" and case["质量等级"] == "良好" and case["群体性案件"] == "否"
    assert case["受理日期"] == dt.datetime(2025, 4, 10) and case["补贴金额"] == 1200
    assert "农民工" in case["人群类别"]
    summaries = [r[8] for r in wb["咨询"].iter_rows(min_row=2, values_only=True)]
    assert "'=SUM(A1)" in summaries  # formula injection is neutralised


def test_ids_and_phones_are_masked_unless_full(tmp_path, records):
    masked = load_workbook(export_all(tmp_path / "m.xlsx", full=False))
    full = load_workbook(export_all(tmp_path / "f.xlsx", full=True))
    assert "*" in masked["困难群体"]["B2"].value and full["困难群体"]["B2"].value == rid(30)
    phones = {r[5] for r in masked["咨询"].iter_rows(min_row=2, values_only=True)}
    assert "139****5678" in phones


def test_export_response_streams_an_attachment(records):
    response = export_response("咨询", Consultation.objects.all(), filename="咨询台账")
    assert response["Content-Disposition"].endswith(".xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_case_export_makes_a_fixed_number_of_queries(records, django_assert_max_num_queries):
    from ledger.exporters import rows as sheet_rows

    for _ in range(5):
        f.make_case(accepted_on=dt.date(2025, 5, 1))
    with django_assert_max_num_queries(3):
        rows = list(sheet_rows("案件", Case.objects.all(), full=True))
    assert len(rows) == Case.objects.count()


def test_the_applicant_and_application_sheets_export_with_masked_ids(tmp_path, org, station_a):
    from applicants.models import Person
    from intake.models import Application

    person = f.PersonFactory(declared_groups=["migrant_worker"], station=station_a)
    f.ApplicationFactory(applicant=person, station=station_a, number="（2025）示援收字第1号", amount_involved=9000)
    book = SafeWorkbook()
    write_sheet(book, "申请人", Person.objects.all())
    write_sheet(book, "申请", Application.objects.all())
    book.save(tmp_path / "x.xlsx")
    wb = load_workbook(tmp_path / "x.xlsx")
    p = dict(zip(COLUMNS["申请人"], [c.value for c in wb["申请人"][2]], strict=True))
    a = dict(zip(COLUMNS["申请"], [c.value for c in wb["申请"][2]], strict=True))
    assert p["姓名"] == person.name and "*" in p["证件号码"] and "*" in p["电话"] and p["人群类别"] == "农民工"
    assert p["登记工作站"] == station_a.name
    assert a["收件号"] == "（2025）示援收字第1号" and a["申请人"] == person.name and "*" in a["证件号码"]
    assert a["案件类别"] == "民事" and a["涉案金额"] == 9000 and a["案号"] is None
