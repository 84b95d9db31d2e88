"""A long list exported from the browser: the clerk is taken to the export's page, watches it run on a real
worker and downloads the file, which holds the list as filtered."""

from __future__ import annotations

import openpyxl
import pytest

from tests.factories import make_case


@pytest.mark.browser
@pytest.mark.celery_worker
def test_a_long_case_list_is_exported_in_the_background_and_downloaded(
        org, celery_worker_process, live_server, page, login, screenshot, settings, tmp_path):
    from ledger.models import ExportJob
    from legalaid.celery import app

    settings.EXPORT_BACKGROUND_ROWS = 3
    for i in range(6):
        make_case(category="civil" if i % 3 else "criminal", stage="first_instance" if i % 3 else "trial",
                  cause="labour_pay" if i % 3 else "theft",
                  aid_form="civil_litigation" if i % 3 else "criminal_defence")
    login(page, "clerk")
    page.goto(f"{live_server.url}/cases/?category=civil")
    app.conf.task_always_eager = False
    try:
        page.click("text=导出Excel")
        page.wait_for_url("**/ledger/exports/*/")
        assert "列表较长，已转入后台导出" in page.content()
        screenshot(page, "export-01-progress")
        page.locator("[data-testid=export-download]").wait_for(timeout=60000)
    finally:
        app.conf.task_always_eager = True
    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows == 4
    assert "共 4 行" in page.locator("[data-testid=export-status]").inner_text()
    screenshot(page, "export-02-done")
    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    info.value.save_as(tmp_path / "cases.xlsx")
    assert info.value.suggested_filename.startswith("案件-")
    rows = list(openpyxl.load_workbook(tmp_path / "cases.xlsx").worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 5 and {r[2] for r in rows[1:]} == {"民事"}
    page.click("text=返回筛选后的列表")
    assert page.url.endswith("/cases/?category=civil")
    page.goto(f"{live_server.url}/ledger/exports/")
    assert job.filename in page.locator("[data-testid=export-list]").inner_text()
    screenshot(page, "export-03-list")
