"""A director sets up a station in the browser: creates it, adds a contact point with its village
legal adviser and a liaison, then deactivates it."""

import pytest

from stations.models import Station


@pytest.mark.browser
def test_director_creates_a_station_adds_a_contact_point_and_liaison_then_deactivates_it(
    org, live_server, page, login, screenshot
):
    login(page, "director")
    page.goto(f"{live_server.url}/stations/")
    assert "工作站" in page.title()
    page.get_by_role("link", name="新建工作站").click()
    page.fill("#id_name", "河口镇法律援助工作站")
    page.fill("#id_code", "station-c")
    page.select_option("#id_kind", "township")
    page.fill("#id_township", "河口镇")
    page.fill("#id_address", "河口镇人民路8号")
    page.fill("#id_opened_on", "2026-03-01")
    screenshot(page, "stations-1-create-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "已新建工作站“河口镇法律援助工作站”" in page.content()

    page.get_by_role("link", name="新增联系点").click()
    page.fill("#id_name", "河口村联系点")
    page.fill("#id_village", "河口村")
    page.select_option("#id_legal_adviser", label="张伟")
    page.fill("#id_adviser_from", "2026-01-01")
    page.fill("#id_adviser_until", "2025-12-31")
    page.get_by_role("button", name="保存").click()
    assert "合同截止日期不能早于起始日期" in page.content()
    screenshot(page, "stations-2-contact-point-error")
    page.fill("#id_adviser_until", "2026-12-31")
    page.get_by_role("button", name="保存").click()
    assert "已新增联系点“河口村联系点”" in page.content()

    page.get_by_role("link", name="新增联络员").click()
    page.select_option("#id_contact_point", label="河口村联系点")
    page.fill("#id_name", "周海燕")
    page.fill("#id_phone", "13812345678")
    page.get_by_role("button", name="保存").click()
    liaisons = page.get_by_test_id("liaison-table")
    assert "周海燕" in liaisons.inner_text() and "河口村联系点" in liaisons.inner_text()
    points = page.get_by_test_id("point-table").inner_text()
    assert "张伟" in points and "2026-01-01" in points
    screenshot(page, "stations-3-station-page")

    page.get_by_test_id("station-deactivate").click()
    page.fill("#id_reason", "乡镇区划调整")
    page.get_by_role("button", name="停用").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "stations-4-deactivated")
    assert "已停用" in page.get_by_test_id("inactive-badge").inner_text()
    screenshot(page, "stations-4-deactivated")
    station = Station.objects.get(code="station-c")
    assert station.active is False and station.closed_on is not None
    page.goto(f"{live_server.url}/stations/")
    assert "已停用" in page.get_by_test_id("station-table").inner_text()
