"""In Chromium, in Chinese (issue 16): station staff on a phone go from their home to a saved consultation
in one tap and one save, offered only their own station; a clerk's 新申请 starts from finding the applicant."""

from __future__ import annotations

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_station_staff_on_a_phone_go_from_home_to_a_saved_consultation(
        org, live_server, phone_page, login, screenshot):
    pg = phone_page
    login(pg, "staff_a")
    assert pg.url.rstrip("/") == live_server.url
    shortcut = pg.get_by_test_id("phone-new-consultation")
    assert shortcut.is_visible() and shortcut.inner_text().strip() == "登记咨询"
    assert pg.get_by_test_id("station-new-consultation").is_visible()
    screenshot(pg, "station-phone-01-home")

    shortcut.click()
    pg.wait_for_load_state("networkidle")
    assert pg.url == f"{live_server.url}/intake/consultations/new/"
    station = pg.locator("#id_station option")
    assert station.count() == 1 and station.first.inner_text() == "城关镇法律援助工作站"
    assert pg.locator("#id_station").input_value() == str(org["stations"]["station-a"].pk)
    pg.select_option("#id_channel", "visit")
    pg.select_option("#id_topic", "labour_pay")
    pg.fill("#id_summary", "在镇上工地打工被拖欠工资两个月")
    screenshot(pg, "station-phone-02-form")
    pg.get_by_role("button", name="保存").first.click()
    pg.wait_for_load_state("networkidle")
    assert "咨询已登记" in pg.content() and "城关镇法律援助工作站" in pg.content()
    screenshot(pg, "station-phone-03-saved")

    pg.goto(f"{live_server.url}/")
    pg.get_by_test_id("station-new-consultation").click()
    pg.wait_for_load_state("networkidle")
    assert pg.url == f"{live_server.url}/intake/consultations/new/"


def test_station_staff_see_the_button_on_their_home_on_a_desktop_too(org, live_server, page, login, screenshot):
    login(page, "staff_b")
    assert page.get_by_test_id("station-new-consultation").is_visible()
    assert not page.get_by_test_id("phone-new-consultation").is_visible()  # the menu is open on a desktop
    screenshot(page, "station-desktop-home")


def test_a_clerks_new_application_starts_from_finding_the_applicant(org, live_server, page, login, screenshot):
    PersonFactory(name="孙桂兰", phone="13755556666")
    login(page, "clerk")
    page.goto(f"{live_server.url}/intake/applications/")
    page.get_by_role("link", name="新申请").first.click()
    page.wait_for_load_state("networkidle")
    assert "申请从申请人开始" in page.get_by_test_id("application-start-explained").inner_text()
    screenshot(page, "application-start-01-explained")
    page.fill("input[name=q]", "孙桂兰")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "application-start-02-found")
    page.get_by_role("link", name="为此人新建申请").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("application-form").is_visible() and "孙桂兰" in page.content()
    screenshot(page, "application-start-03-form")
