"""Round trip of the ledger (LEDGER.md: "a file exported can be imported again"; "Re-importing must not
duplicate anything"): records the product itself writes, exported from their list and imported back."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from core.xlsx import SafeWorkbook
from funding import services as funding
from funding.models import Spending, SubsidyPolicy
from ledger.exporters import write_sheet
from ledger.importing import import_ledger
from stations.models import DutyShift
from tests import factories as f

from .builders import build_ledger, consultation_row

pytestmark = pytest.mark.django_db


def export(path, sheet, queryset, *, full=True):
    book = SafeWorkbook()
    write_sheet(book, sheet, queryset, full=full)
    book.save(path)
    return path


def cells(path, column):
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    at = list(rows[0]).index(column)
    return [r[at] for r in rows[1:]]


@freeze_time("2026-05-10")
def test_a_posted_month_of_duty_subsidies_exported_and_imported_again_adds_nothing(tmp_path, org, finance,
                                                                                  handler_profile):
    DutyShift.objects.create(date=dt.date(2026, 3, 2), handler=handler_profile, place_kind="court", place="法院")
    SubsidyPolicy.objects.update_or_create(year=2026, defaults={"duty_day_rate": Decimal("200"),
                                                                "consultation_day_rate": Decimal("150")})
    funding.duty_subsidy_post(year=2026, month=3, by=finance)
    path = export(tmp_path / "经费支出.xlsx", "经费支出", Spending.objects.all())

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["经费支出"]["created"] == 0, "the posted duty subsidy was imported a second time"
    assert Spending.objects.count() == 1


def test_a_spending_list_with_a_correcting_entry_exports_a_file_that_imports_again(tmp_path, org, finance):
    wrong = f.SpendingFactory(amount=Decimal("3000.00"))
    funding.spending_correct(spending=wrong, reason="金额录错", by=finance)  # 红字冲销: a negative entry
    path = export(tmp_path / "经费支出.xlsx", "经费支出", Spending.objects.all())

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["经费支出"]["created"] == 0
    assert Spending.objects.count() == 2


def test_a_case_list_with_a_passport_holder_exports_a_file_that_imports_again(tmp_path, org):
    f.make_case(recipient=f.PersonFactory(name="约翰", id_type="passport", id_number="E12345678"),
                accepted_on=dt.date(2025, 4, 10))
    from cases.models import Case

    path = export(tmp_path / "案件.xlsx", "案件", Case.objects.all())

    result = import_ledger(path)

    assert result.ok, result.errors
    assert result.counts["案件"] == {"rows": 1, "created": 0, "matched": 1}


@pytest.mark.parametrize("number", ["E12345678", "H123456789"], ids=["9 characters", "10 characters"])
def test_a_masked_export_masks_an_id_number_of_nine_or_ten_characters(tmp_path, org, number):
    f.make_case(recipient=f.PersonFactory(id_type="passport", id_number=number), accepted_on=dt.date(2025, 4, 10))
    from cases.models import Case

    path = export(tmp_path / "案件.xlsx", "案件", Case.objects.all(), full=False)

    [shown] = cells(path, "证件号码")
    assert "*" in shown and number[2:-4] not in shown, f"masked export shows {shown!r} for {number!r}"


def test_a_workbook_whose_sheet_is_corrupt_is_refused_with_a_message_not_a_crash(tmp_path, org):
    good = build_ledger(tmp_path / "good.xlsx", {"咨询": [consultation_row()]})
    bad = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut off mid-sheet
            dst.writestr(item.filename, data)

    result = import_ledger(bad)  # must not raise

    assert not result.ok
    assert any("Excel" in e for e in result.errors), result.errors


def test_a_file_imported_before_short_phones_were_masked_still_matches_itself(tmp_path, org):
    """A 7-digit landline used to be "masked" whole (3 + 4 characters); its rows' stored fingerprints were
    made that way, and the same file imported again must still add nothing."""
    from intake.models import Consultation
    from ledger.importing.fingerprints import row_fingerprint
    from ledger.importing.parse import parse_workbook

    path = build_ledger(tmp_path / "old.xlsx", {"咨询": [consultation_row(电话="8123456")]})
    assert import_ledger(path).ok
    row = parse_workbook(path).sheets["咨询"][0]
    Consultation.objects.update(import_fingerprint=row_fingerprint("咨询", row.values, legacy=True))
    again = import_ledger(path)
    assert again.ok and again.counts["咨询"]["created"] == 0
    assert Consultation.objects.count() == 1


def test_a_case_row_carries_the_facts_its_figures_count(tmp_path, org, clerk, reviewer):
    """A case that moved from 侦查 to 审判 and changed handler is exported with its stage at acceptance and its
    first assignment's handler beside the type counted for it (reports/DECISIONS.md "Report files"), as the
    workbook's case list shows it: the row imports back to the same figures."""
    from cases import editing
    from cases import services as cases
    from cases.models import Case

    with freeze_time("2025-03-20 10:00:00+08:00"):
        case = f.make_case(category="criminal", stage="investigation", aid_form="criminal_defence", cause="theft",
                           accepted_on=dt.date(2025, 3, 3))
        first, second = org["handlers"]["张伟"], org["handlers"]["王强"]
        cases.case_assign(case=case, handler=first, on=dt.date(2025, 3, 4), by=clerk)
        editing.case_change_stage(case=Case.objects.get(pk=case.pk), to_stage="trial", on=dt.date(2025, 3, 10),
                                  by=clerk)
        cases.case_change_handler(case=Case.objects.get(pk=case.pk), handler=second, on=dt.date(2025, 3, 15),
                                  reason="回避", by=reviewer)
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.handler) == ("trial", second)
    path = export(tmp_path / "案件.xlsx", "案件", Case.objects.filter(pk=case.pk))
    assert cells(path, "诉讼阶段") == ["侦查"]
    assert cells(path, "承办人") == [first.name]
    assert cells(path, "承办机构") == [first.provider.name if first.provider else None]
