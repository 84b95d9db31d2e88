"""Station staff log a publicity event from a phone-sized browser."""

from pathlib import Path

import pytest

from publicity.models import Event
from stations.models import Volunteer

PNG = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
    "0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef"
    "0000000049454e44ae426082")


@pytest.mark.browser
def test_station_staff_log_a_publicity_event_from_a_phone(org, live_server, phone_page, login, screenshot,
                                                         tmp_path: Path):
    station = org["stations"]["station-a"]
    Volunteer.objects.create(name="林晓雨", station=station)
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page = phone_page
    login(page, "staff_a")
    assert "本站本年概况" in page.content()
    page.get_by_role("link", name="登记宣传活动").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_station").input_value() == str(station.pk)
    page.fill("#id_title", "农民工讨薪法律援助专场")
    page.select_option("#id_form", "worksite")
    page.fill("#id_place", "城南安置房项目工地")
    page.get_by_label("冯城关").check()
    page.get_by_label("张伟").check()
    page.get_by_label("林晓雨").check()
    page.fill("#id_materials", "-20")
    page.fill("#id_onsite", "35")
    page.fill("#id_audience", "120")
    page.set_input_files("#id_photos", str(photo))
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "确保该值大于或等于0" in page.content()
    assert "所选照片尚未保存" in page.content()
    assert not Event.objects.exists()
    screenshot(page, "publicity-1-phone-error")
    page.fill("#id_materials", "300")
    page.set_input_files("#id_photos", str(photo))
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "宣传活动已登记" in page.content()
    facts = page.get_by_test_id("event-facts").inner_text()
    assert "城关镇法律援助工作站" in facts and "林晓雨" in facts and "300" in facts
    assert page.get_by_test_id("photos").locator("img").evaluate("img => img.naturalWidth") == 1
    screenshot(page, "publicity-2-phone-detail")
    page.goto(f"{live_server.url}/publicity/")
    assert "农民工讨薪法律援助专场" in page.get_by_test_id("event-table").inner_text()
    assert page.locator("[data-total=materials]").inner_text() == "300"
    screenshot(page, "publicity-3-phone-list")
    event = Event.objects.get()
    assert event.station == station and event.photos.count() == 1


@pytest.mark.browser
def test_station_staff_remove_a_wrongly_uploaded_photo_from_a_phone(org, live_server, phone_page, login,
                                                                   screenshot):
    from django.core.files.base import ContentFile

    from publicity.models import EventPhoto
    from tests.factories import EventFactory

    event = EventFactory(station=org["stations"]["station-a"])
    photo = EventPhoto(event=event, caption="错传.png")
    photo.file.save("p.png", ContentFile(PNG), save=True)
    page = phone_page
    login(page, "staff_a")
    page.goto(f"{live_server.url}/publicity/{event.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("remove-photo").click()
    page.wait_for_load_state("networkidle")
    assert "照片已移除" in page.content() and "暂无照片" in page.get_by_test_id("photos").inner_text()
    screenshot(page, "publicity-4-phone-photo-removed")
    photo.refresh_from_db()
    assert photo.removed_at is not None
