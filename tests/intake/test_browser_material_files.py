"""Issue 16, items 7 and 8 in a real browser, in Chinese: the window attaches a scan, station staff take a photo
on a phone, the reviewer sees both on the application; a reviewer grants against "not eligible" with a reason."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.utils import timezone

from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG picture (a card-coloured rectangle with a darker band), made without an image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    dark = bytes(c // 2 for c in rgb)
    rows = b"".join(b"\x00" + (dark if height // 3 < y < height // 2 else bytes(rgb)) * width
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_the_window_and_a_station_phone_attach_scans_that_the_reviewer_sees(
        org, live_server, browser, phone_page, login, screenshot, clerk, staff_a, private_root):
    from intake import services
    from intake.models import Application, MaterialFile

    today = timezone.localdate()
    app = services.application_receive(application=Application(
        applicant=PersonFactory(name="孙桂兰", declared_groups=["migrant_worker"]), received_on=today,
        category="civil", cause="labour_pay"), by=clerk)

    # the window: a scanned ID card and a PDF contract on the ID material
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  timezone_id="Asia/Shanghai")
    pg = context.new_page()
    login(pg, "clerk")
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    rows = pg.get_by_test_id("material-row")
    id_row = rows.filter(has_text="居民身份证或者其他有效身份证明")
    id_row.get_by_test_id("file-input").set_input_files([
        {"name": "身份证.png", "mimeType": "image/png", "buffer": png(320, 200, (90, 150, 220))},
        {"name": "劳动合同.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    id_row.get_by_role("button", name="上传").click()
    pg.wait_for_load_state("networkidle")
    assert "已为“居民身份证或者其他有效身份证明”上传 2 个文件。" in pg.content()
    assert pg.get_by_test_id("material-file").count() == 2
    # a web page behind a .jpg name: a clear message, nothing kept
    rows.first.get_by_test_id("file-input").set_input_files([
        {"name": "申请表.jpg", "mimeType": "image/jpeg", "buffer": b"<html><body>not a picture</body></html>"}])
    rows.first.get_by_role("button", name="上传").click()
    pg.wait_for_load_state("networkidle")
    assert "申请表.jpg: 文件内容不是 JPG 格式" in pg.content()
    assert MaterialFile.objects.count() == 2
    screenshot(pg, "material-files-01-window-upload-and-refusal")
    context.close()

    # a station's preliminary intake: staff take a photo of the 低保证 with the phone camera
    draft = services.application_receive(application=Application(
        applicant=PersonFactory(name="周建国"), received_on=today, category="civil", cause="labour_pay"),
        by=staff_a)
    ph = phone_page
    login(ph, "staff_a")
    ph.goto(f"{live_server.url}/intake/applications/{draft.pk}/")
    camera = ph.get_by_test_id("material-row").first.get_by_test_id("camera-input")
    assert camera.get_attribute("capture") == "environment"
    assert ph.get_by_test_id("material-row").first.get_by_text("拍照").is_visible()
    camera.set_input_files([{"name": "image.png", "mimeType": "image/png", "buffer": png(240, 320, (220, 90, 90))}])
    ph.wait_for_load_state("networkidle")
    assert "上传 1 个文件" in ph.content()
    assert ph.get_by_test_id("material-file").count() == 1
    screenshot(ph, "material-files-02-station-phone-photo")

    # the reviewer opens the window's application: thumbnail and PDF link, served privately
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  timezone_id="Asia/Shanghai")
    pg = context.new_page()
    login(pg, "reviewer")
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    thumb = pg.get_by_test_id("material-files").locator("img")
    assert thumb.count() == 1
    assert pg.evaluate("img => img.naturalWidth", thumb.element_handle()) == 320  # the picture really loads
    assert pg.get_by_test_id("material-files").get_by_role("link", name="PDF").count() == 1
    pg.get_by_test_id("material-files").scroll_into_view_if_needed()
    screenshot(pg, "material-files-03-reviewer-sees-scans")
    response = pg.request.get(f"{live_server.url}/intake/material-files/{MaterialFile.objects.get(kind='pdf').pk}/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    context.close()


def test_a_reviewer_grants_against_not_eligible_with_a_written_reason(
        org, live_server, page, login, screenshot, clerk, reviewer):
    from intake import services
    from intake.models import Application

    from .conftest import tick_all

    app = services.application_receive(application=Application(
        applicant=PersonFactory(name="钱多多", hukou="urban", household_income=30000, household_size=2),
        received_on=timezone.localdate(), category="civil", cause="traffic"), by=clerk)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)

    login(page, "reviewer")
    page.goto(f"{live_server.url}/intake/applications/{app.pk}/grant/")
    assert page.get_by_test_id("override").is_visible()
    page.get_by_role("button", name="给予法律援助").click()
    page.wait_for_load_state("networkidle")
    assert "请书面说明仍给予法律援助的理由" in page.content()
    app.refresh_from_db()
    assert app.status == "under_review"
    page.fill("textarea[name=override_reason]", "申请人家庭成员患重病，医疗支出巨大，经集体讨论同意给予援助")
    screenshot(page, "override-01-decision-form-with-reason")
    page.get_by_role("button", name="给予法律援助").click()
    page.wait_for_load_state("networkidle")
    note = page.get_by_test_id("override-note")
    assert "不符合条件仍予援助" in note.inner_text() and "经集体讨论同意给予援助" in note.inner_text()
    screenshot(page, "override-02-detail-shows-the-reason")
    page.goto(f"{live_server.url}/")
    count = page.get_by_test_id("against-result-count")
    assert count.inner_text().strip() == "1"
    count.click()
    page.wait_for_load_state("networkidle")
    assert app.number in page.content()
    screenshot(page, "override-03-list-filtered")
    app.refresh_from_db()
    assert app.status == "granted" and app.override_by == reviewer
