"""Audit: station staff on a phone (DOMAIN.md §2, §3, §5 初审, §8, §10), in Chinese, 390×844.

Station staff log consultations ("in under 30 seconds on a phone", §3), publicity events (§10) and preliminary
intake with its forwarding (§2, §5) from a phone. Each test walks one of those screens in Chromium at a phone's
size, as the station's own user, and names what a phone user cannot do or cannot see there."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import ConsultationFactory, EventFactory, PersonFactory

pytestmark = pytest.mark.browser

MIN_TAP = 32  # px: the smallest button a thumb hits reliably (the audit's yardstick)

PNG = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
    "0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef"
    "0000000049454e44ae426082")

# Any error shown on the page that lies (at least partly) inside the phone's screen as the page opens.
ERRORS_IN_VIEW = """
() => Array.from(document.querySelectorAll('.invalid-feedback, .alert-danger, .alert[role=alert]'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.top < innerHeight && r.bottom > 0; })
  .map(e => e.innerText.trim())
"""
ALL_ERRORS = "() => Array.from(document.querySelectorAll('.invalid-feedback, .alert-danger')).map(e => e.innerText.trim())"


def _preliminary_intake(org):
    """A preliminary intake of station A for a person station A registered, through the real service."""
    from intake.models import Application
    from intake.services import application_receive

    person = PersonFactory(name="赵大山", station=org["stations"]["station-a"])
    return application_receive(application=Application(applicant=person, received_on=timezone.localdate(),
                                                       category="civil", cause="labour_pay"),
                               by=org["users"]["staff_a"])


def test_station_pages_do_not_scroll_sideways_on_a_phone(org, live_server, phone_page, login, screenshot):
    """A page wider than the phone wobbles sideways under the thumb. The consultation's page, the publicity
    forms and pages and the volunteer form put a Bootstrap `.row` (−12 px margins) straight into `main`, whose
    phone padding static/css/app.css cut to 8 px: every one of them is 394 px wide on a 390 px phone."""
    station = org["stations"]["station-a"]
    consultation = ConsultationFactory(station=station, person_name="赵大山")
    event = EventFactory(station=station)
    pg = phone_page
    login(pg, "staff_a")
    wide = {}
    for path in (f"/intake/consultations/{consultation.pk}/", "/publicity/new/", f"/publicity/{event.pk}/",
                 "/publicity/media/new/", "/stations/volunteers/new/"):
        pg.goto(f"{live_server.url}{path}")
        pg.wait_for_load_state("networkidle")
        page_width, screen_width = pg.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if page_width > screen_width:
            wide[path] = page_width
            screenshot(pg, "audit-phone-wide-" + path.strip("/").replace("/", "-"))
    assert wide == {}, f"pages wider than the 390 px phone: {wide}"


@pytest.mark.parametrize("form", ["consultation", "applicant", "application"])
def test_a_form_refused_for_a_field_below_the_fold_says_so_on_the_phones_screen(
        org, live_server, phone_page, login, screenshot, form):
    """Posted with one bad field low on the page, the consultation form (§3), the applicant form and the
    preliminary intake's application form (§5) come back at their top: no summary, focus on their first field,
    the error 1,000 px further down. On the phone it looks like the same empty form again, as if nothing was
    refused. (The publicity form says "请修改以下错误，尚未保存任何内容" at its top.)"""
    pg = phone_page
    login(pg, "staff_a")
    if form == "consultation":
        pg.goto(f"{live_server.url}/intake/consultations/new/")
        pg.select_option("#id_topic", "labour_pay")
        pg.fill("#id_summary", "工资被拖欠三个月")
        pg.locator("details summary").first.click()
        pg.fill("#id_person_name", "赵大山")
        pg.fill("#id_person_phone", "1391234567")  # ten digits: one short
        pg.locator("form[data-testid=consultation-form] button[type=submit]").first.click()
    elif form == "applicant":
        pg.goto(f"{live_server.url}/applicants/new/")
        pg.fill("#id_name", "钱多多")
        pg.fill("#id_phone", "139")
        pg.locator("main form[method=post] button[type=submit]").first.click()
    else:
        person = PersonFactory(name="周一", station=org["stations"]["station-a"])
        pg.goto(f"{live_server.url}/intake/applications/new/?person={person.pk}")
        pg.fill("#id_facts", "在镇上工地打工被拖欠工资")
        pg.locator("#id_green_channel").check()  # not a migrant worker: refused on the green channel
        pg.locator("form[data-testid=application-form] button[type=submit]").click()
    pg.wait_for_load_state("networkidle")
    screenshot(pg, f"audit-phone-error-{form}")
    assert pg.evaluate(ALL_ERRORS), "the form was expected to be refused"
    assert pg.evaluate(ERRORS_IN_VIEW), (
        f"refused, but nothing on the phone's screen says so; the errors are below: {pg.evaluate(ALL_ERRORS)}")


def test_a_refused_material_photo_says_why_on_the_phones_screen(org, live_server, phone_page, login, screenshot,
                                                                tmp_path):
    """A photo the server refuses (here a phone's HEIC picture, which the picker offers under accept="image/*")
    comes back to the materials' section (#material-files, 1,000 px down the page) while the reason is shown
    as a message at the top of the page: the phone shows the section unchanged and never why."""
    app = _preliminary_intake(org)
    pg = phone_page
    login(pg, "staff_a")
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200)
    upload = pg.get_by_test_id("material-upload").first
    upload.get_by_test_id("file-input").set_input_files(str(heic))
    upload.locator("button[type=submit]").click()
    pg.wait_for_load_state("networkidle")
    screenshot(pg, "audit-phone-upload-refused")
    assert "只能上传" in pg.locator("main").inner_text()  # refused, with a reason somewhere on the page
    assert pg.evaluate(ERRORS_IN_VIEW), "the reason for the refusal is off the phone's screen"


def test_remove_buttons_under_photos_are_big_enough_to_tap(org, live_server, phone_page, login, screenshot):
    """The 移除 buttons under a material's scan and under an event's photo are bare links (`btn-link p-0`),
    23 px tall, right under the picture a thumb taps to open."""
    from intake.services import material_files_add
    from publicity.models import EventPhoto

    app = _preliminary_intake(org)
    material_files_add(material=app.materials.first(), by=org["users"]["staff_a"],
                       uploads=[SimpleUploadedFile("申请表.png", PNG, content_type="image/png")])
    event = EventFactory(station=org["stations"]["station-a"])
    photo = EventPhoto(event=event, caption="现场.png")
    photo.file.save("p.png", ContentFile(PNG), save=True)
    pg = phone_page
    login(pg, "staff_a")
    heights = {}
    for path, test_id in ((f"/intake/applications/{app.pk}/", "material-file-remove"),
                          (f"/publicity/{event.pk}/", "remove-photo")):
        pg.goto(f"{live_server.url}{path}")
        pg.wait_for_load_state("networkidle")
        heights[test_id] = pg.get_by_test_id(test_id).first.bounding_box()["height"]
        screenshot(pg, f"audit-phone-{test_id}")
    assert all(h >= MIN_TAP for h in heights.values()), f"button heights (px): {heights}"


def test_the_phone_only_buttons_are_big_enough_to_tap(org, live_server, phone_page, login, screenshot):
    """The two buttons made for phones — 登记咨询 in the top bar (shown below the desktop width only) and 拍照
    beside each material (d-md-none) — are `btn-sm`, 31 px tall."""
    app = _preliminary_intake(org)
    pg = phone_page
    login(pg, "staff_a")
    shortcut = pg.get_by_test_id("phone-new-consultation").bounding_box()["height"]
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    pg.wait_for_load_state("networkidle")
    camera = pg.locator("label:has([data-testid=camera-input])").first.bounding_box()["height"]
    screenshot(pg, "audit-phone-camera-button")
    assert shortcut >= MIN_TAP and camera >= MIN_TAP, f"登记咨询 {shortcut} px, 拍照 {camera} px"


def test_phone_number_fields_open_the_phones_number_keypad(org, live_server, phone_page, login):
    """The consultation form asks for a phone number with inputmode="tel" (the keypad); the applicant form of
    the preliminary intake and the volunteer form ask for theirs in a plain text box, so the phone opens the
    full Chinese keyboard for eleven digits."""
    pg = phone_page
    login(pg, "staff_a")
    plain = {}
    for path in ("/applicants/new/", "/stations/volunteers/new/"):
        pg.goto(f"{live_server.url}{path}")
        kind, mode = pg.locator("#id_phone").evaluate("e => [e.type, e.getAttribute('inputmode')]")
        if kind != "tel" and mode not in ("tel", "numeric"):
            plain[path] = (kind, mode)
    assert plain == {}, f"phone fields without the number keypad: {plain}"
