"""The director's main flow in a real browser: dashboard, annual report, progress, downloads."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from reports.builder import HEADER_ROW
from tests.reports import dataset


@pytest.mark.browser
@pytest.mark.celery_worker
def test_director_requests_the_annual_report_watches_it_and_downloads_both_files(
        org, celery_worker_process, live_server, page, login, screenshot, tmp_path):
    from legalaid.celery import app
    from reports.models import ReportRun

    dataset.build(org["stations"]["station-a"])
    login(page, "director")
    page.goto(f"{live_server.url}/reports/?year=2025")
    page.wait_for_load_state("networkidle")
    assert "数据看板" in page.content()
    assert page.locator("[data-testid=all-indicators] [data-code='cases.accepted']").inner_text() == "7"
    screenshot(page, "reports-dashboard")

    page.goto(f"{live_server.url}/reports/targets/?year=2025")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=code]", "cases.accepted")
    page.fill("input[name=value]", "10")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    assert "70.0%" in page.locator("[data-testid=targets]").inner_text()  # 7 of 10
    screenshot(page, "reports-targets")

    app.conf.task_always_eager = False
    try:
        page.goto(f"{live_server.url}/reports/runs/")
        assert "统计报告与工作总结" in page.content()
        screenshot(page, "reports-run-list")
        page.fill("input[name=period]", "2025")
        page.click("button[type=submit]:has-text('生成报告')")
        page.wait_for_url("**/reports/runs/*/")
        screenshot(page, "reports-run-progress")
        page.locator("[data-testid=download-xlsx]").wait_for(timeout=60000)
    finally:
        app.conf.task_always_eager = True
    run = ReportRun.objects.get()
    assert run.status == "done" and run.period == "2025"
    assert "已完成" in page.locator("[data-testid=run-status]").inner_text()
    screenshot(page, "reports-run-done")

    with page.expect_download() as info:
        page.click("[data-testid=download-xlsx]")
    info.value.save_as(tmp_path / "annual.xlsx")
    assert info.value.suggested_filename.endswith("2025年法律援助统计.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "annual.xlsx")
    assert wb.sheetnames[0] == "指标"
    values = {r[0]: r[3] for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert values["cases.accepted"] == 7 and values["consultations.total"] == 12
    with page.expect_download() as info:
        page.click("[data-testid=download-docx]")
    info.value.save_as(tmp_path / "annual.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "annual.docx")).paragraphs)
    assert "全年共受理法律援助案件7件" in text


@pytest.mark.browser
def test_station_staff_see_their_stations_dashboard_on_a_phone(org, live_server, phone_page, login, screenshot):
    dataset.build(org["stations"]["station-a"])
    login(phone_page, "staff_a")
    phone_page.goto(f"{live_server.url}/reports/?year=2025")
    phone_page.wait_for_load_state("networkidle")
    assert "城关镇法律援助工作站" in phone_page.locator("h1").inner_text()
    assert phone_page.locator("[data-testid=all-indicators] [data-code='cases.accepted']").inner_text() == "2"
    assert phone_page.locator("[data-testid=station-comparison]").count() == 0
    screenshot(phone_page, "reports-dashboard-phone")


@pytest.mark.browser
def test_director_clicks_a_figure_and_the_list_adds_up_to_it_then_submits_the_report(
        org, live_server, page, login, screenshot):
    from reports.models import ReportRun
    from reports.services import report_run_execute, report_run_request

    dataset.build(org["stations"]["station-a"])
    login(page, "director")
    page.goto(f"{live_server.url}/reports/?year=2025")
    page.wait_for_load_state("networkidle")
    figure = page.locator("[data-testid=all-indicators] [data-code='recipients.total']")
    shown = figure.inner_text()
    figure.click()
    page.wait_for_load_state("networkidle")
    assert "受援人数" in page.locator("h1").inner_text()
    # The list's sum row is the figure that was clicked.
    assert page.locator("[data-testid=list-sum]").inner_text() == shown
    assert shown in page.locator("[data-testid=sum-row]").inner_text().split()
    screenshot(page, "reports-figure-list")

    page.goto(f"{live_server.url}/reports/?year=2025")
    page.locator("[data-testid=all-indicators] [data-code='services.total']").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=figure-parts] li").count() == 4
    assert page.locator("[data-testid=figure-list]").count() == 4
    screenshot(page, "reports-figure-total")

    run = report_run_request(period="2025", station=None, want_docx=True, by=org["users"]["director"])
    report_run_execute(run_id=run.pk)
    page.goto(f"{live_server.url}/reports/runs/{run.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state("networkidle")
    assert "已上报" in page.locator("[data-testid=submission]").inner_text()
    screenshot(page, "reports-submitted")
    assert ReportRun.objects.get(pk=run.pk).submitted_at is not None
