"""The handler's type of an imported case is the row's own 承办人类型 (STATISTICS.md: facts as they were)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Assignment, Case
from core.xlsx import SafeWorkbook
from funding.models import Subsidy
from ledger.exporters import write_sheet
from ledger.importing import import_ledger
from stations.models import Handler

from .builders import build_ledger, case_row, rid

pytestmark = pytest.mark.django_db

FIRM = "新桥律师事务所"


def zhang_san_twice(path):
    """张三 of one firm as 执业律师 in row 2 and as 基层法律服务工作者 in row 3 (Excel rows)."""
    return build_ledger(path, {"案件": [
        case_row(**{"案号": "（2024）示法援民字第1号", "证件号码": rid(1), "承办人": "张三", "承办机构": FIRM,
                    "承办人类型": "执业律师", "指派日期": dt.date(2024, 3, 9)}),
        case_row(**{"案号": "（2024）示法援民字第2号", "证件号码": rid(2), "承办人": "张三", "承办机构": FIRM,
                    "承办人类型": "基层法律服务工作者", "指派日期": dt.date(2024, 3, 10)}),
    ]})


def kinds():
    return dict(Case.objects.values_list("number", "handler_kind"))


def assignment_kinds():
    return dict(Assignment.objects.values_list("case__number", "handler_kind"))


FIRST, SECOND = "（2024）示法援民字第1号", "（2024）示法援民字第2号"


def test_each_row_counts_with_its_own_handler_type_and_the_roster_keeps_the_first(tmp_path, org):
    result = import_ledger(zhang_san_twice(tmp_path / "l.xlsx"))
    assert result.ok, result.errors
    assert result.counts["案件"]["created"] == 2
    assert kinds() == {FIRST: "practising_lawyer", SECOND: "grassroots_worker"}
    assert assignment_kinds() == kinds()
    handler = Handler.objects.get(name="张三")
    assert handler.kind == "practising_lawyer" and handler.provider.name == FIRM
    assert set(Case.objects.values_list("handler", flat=True)) == {handler.pk}


def test_two_types_for_one_handler_in_a_file_are_reported_with_rows_and_types(tmp_path, org):
    result = import_ledger(zhang_san_twice(tmp_path / "l.xlsx"))
    assert [w for w in result.warnings if "承办人类型" in w] == [
        f"案件!3: 承办人类型: 承办人「张三」（{FIRM}）的类型不一致：第 2 行为执业律师，第 3 行为基层法律服务工作者；"
        "各行照常导入，每个案件按本行的承办人类型统计，名册中的类型不变"]


def test_the_warning_is_in_the_preview_of_a_dry_run(tmp_path, org):
    result = import_ledger(zhang_san_twice(tmp_path / "l.xlsx"), dry_run=True)
    assert any(w.startswith("案件!3: 承办人类型: 承办人「张三」") for w in result.warnings)
    assert not Case.objects.exists()


def test_a_row_type_other_than_the_rosters_counts_for_its_case_and_the_roster_is_not_changed(tmp_path, org,
                                                                                               handler_profile):
    path = build_ledger(tmp_path / "l.xlsx", {"案件": [
        case_row(**{"证件号码": rid(3), "承办人": handler_profile.name, "承办人类型": "基层法律服务工作者",
                    "指派日期": dt.date(2024, 3, 9)}),
        case_row(**{"证件号码": rid(4), "承办人": handler_profile.name, "指派日期": dt.date(2024, 3, 9)}),
    ]})
    before = handler_profile.kind
    assert before != "grassroots_worker"
    result = import_ledger(path)
    assert result.ok, result.errors
    with_type, without = Case.objects.order_by("pk")
    assert (with_type.handler, with_type.handler_kind) == (handler_profile, "grassroots_worker")
    assert (without.handler, without.handler_kind) == (handler_profile, before)
    handler_profile.refresh_from_db()
    assert handler_profile.kind == before
    firm = f"（{handler_profile.provider.name}）" if handler_profile.provider_id else ""
    from core.choices import HANDLER_KIND

    assert [w for w in result.warnings if "承办人类型" in w] == [
        f"案件!2: 承办人类型: 承办人「{handler_profile.name}」{firm}的类型不一致：名册中为{HANDLER_KIND.zh[before]}，"
        "第 2 行为基层法律服务工作者；各行照常导入，每个案件按本行的承办人类型统计，名册中的类型不变"]


def test_one_type_for_a_new_handler_gives_no_warning_and_rows_without_a_type_take_it(tmp_path, org):
    path = build_ledger(tmp_path / "l.xlsx", {"案件": [
        case_row(**{"证件号码": rid(5), "承办人": "李四", "承办机构": FIRM, "指派日期": dt.date(2024, 3, 9)}),
        case_row(**{"证件号码": rid(6), "承办人": "李四", "承办机构": FIRM, "承办人类型": "基层法律服务工作者"}),
    ]})
    result = import_ledger(path)
    assert result.ok and not [w for w in result.warnings if "承办人类型" in w]
    assert Handler.objects.get(name="李四").kind == "grassroots_worker"
    assert set(Case.objects.values_list("handler_kind", flat=True)) == {"grassroots_worker"}


def test_editing_the_handler_later_leaves_the_imported_cases_types_unchanged(tmp_path, org):
    import_ledger(zhang_san_twice(tmp_path / "l.xlsx"))
    handler = Handler.objects.get(name="张三")
    handler.kind = "other"
    handler.save()
    assert kinds() == {FIRST: "practising_lawyer", SECOND: "grassroots_worker"}
    assert assignment_kinds() == kinds()


def export_cases(path):
    book = SafeWorkbook()
    write_sheet(book, "案件", Case.objects.order_by("number"), full=True)
    book.save(path)
    return path


def test_an_export_imports_back_into_an_empty_ledger_with_the_same_types(tmp_path, org):
    import_ledger(zhang_san_twice(tmp_path / "l.xlsx"))
    handler = Handler.objects.get(name="张三")
    handler.kind = "other"  # a later roster edit: the export still writes the types at assignment
    handler.save()
    path = export_cases(tmp_path / "export.xlsx")
    Subsidy.objects.all().delete()
    Assignment.objects.all().delete()
    Case.objects.all().delete()
    result = import_ledger(path)
    assert result.ok, result.errors
    assert result.counts["案件"]["created"] == 2
    assert kinds() == {FIRST: "practising_lawyer", SECOND: "grassroots_worker"}
    assert assignment_kinds() == kinds()
    assert Handler.objects.get(name="张三").kind == "other"


def test_the_export_falls_back_to_the_rosters_type_when_a_case_has_none(tmp_path, org, handler_profile):
    from core.choices import HANDLER_KIND
    from ledger.exporters import COLUMNS, rows
    from tests import factories as f

    case = f.make_case(accepted_on=dt.date(2025, 4, 10))
    Case.objects.filter(pk=case.pk).update(handler=handler_profile, handler_kind="")
    row = dict(zip(COLUMNS["案件"], next(rows("案件", Case.objects.filter(pk=case.pk))), strict=True))
    assert row["承办人类型"] == HANDLER_KIND.zh[handler_profile.kind]
