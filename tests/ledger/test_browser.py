"""A director moves a county's multi-year ledger in through the browser: upload → preview → confirm."""

from __future__ import annotations

import pytest

from cases.models import Case

from .builders import build_ledger, consultation_row, multi_year_ledger

pytestmark = pytest.mark.browser


def test_a_director_uploads_a_multi_year_ledger_sees_the_preview_confirms_and_sees_the_counts(
        live_server, page, login, screenshot, org, tmp_path):
    path = multi_year_ledger(tmp_path / "示范县法律援助台账2023-2025.xlsx")
    login(page, "director")
    page.goto(f"{live_server.url}/ledger/")
    assert "导入台账" in page.content()
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=station]", label="城关镇法律援助工作站")
    screenshot(page, "ledger-01-upload")
    page.get_by_role("button", name="校验文件").click()
    page.wait_for_load_state("networkidle")
    body = page.content()
    assert "全部校验通过" in body and "确认导入" in body
    counts = page.locator("#ledger-counts")
    assert "案件" in counts.inner_text() and "咨询" in counts.inner_text()
    screenshot(page, "ledger-02-preview")
    assert not Case.objects.exists()

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert "导入完成" in page.content()
    assert "已导入" in page.locator(".badge").first.inner_text()
    screenshot(page, "ledger-03-done")
    assert sorted(set(Case.objects.values_list("year", flat=True))) == [2023, 2024, 2025]

    # The dashboard now shows a past year from the ledger.
    page.goto(f"{live_server.url}/reports/?year=2024")
    assert page.title() and "2024" in page.content()
    screenshot(page, "ledger-04-dashboard-2024")


def test_a_clerk_sees_every_error_of_a_bad_ledger_and_cannot_confirm(live_server, page, login, screenshot, org,
                                                                    tmp_path):
    path = build_ledger(tmp_path / "有错误的台账.xlsx", {"咨询": [consultation_row(**{"方式": "微信"}),
                                                                   consultation_row(**{"日期": "2024年2月30日"})]})
    login(page, "clerk")
    page.goto(f"{live_server.url}/ledger/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="校验文件").click()
    page.wait_for_load_state("networkidle")
    errors = page.locator("#ledger-errors").inner_text()
    assert "咨询!2: 方式: 无效的取值「微信」" in errors and "咨询!3: 日期: 不是有效的日期「2024年2月30日」" in errors
    assert "不会导入任何数据" in page.content() and "确认导入" not in page.content()
    screenshot(page, "ledger-05-errors")
