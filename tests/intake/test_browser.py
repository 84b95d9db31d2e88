"""End to end in Chromium, in Chinese: a walk-in from consultation to a granted application with its
decision printed, and a criminal notice from receipt to awaiting assignment."""

import pytest

from tests.factories import resident_id
from tests.helpers import fill_form


@pytest.fixture
def policies(transactional_db):
    """Transactional tests flush the data migration's default policy: seed it again."""
    import importlib

    from django.apps import apps

    importlib.import_module("applicants.migrations.0002_default_eligibility_policy").seed(apps, None)


@pytest.mark.browser
def test_a_clerk_takes_a_walk_in_from_consultation_to_a_granted_application(
    org, policies, live_server, page, login, screenshot
):
    login(page, "clerk")
    page.goto(f"{live_server.url}/intake/consultations/new/")
    assert "登记咨询" in page.content()
    fill_form(page, channel="visit", topic="labour_pay", summary="在工地打工被拖欠工资三个月，共一万二千元",
              answer="可申请劳动仲裁，并可申请法律援助")
    page.locator("summary", has_text="咨询人").click()
    fill_form(page, person_name="王建军", person_phone="13912345678")
    screenshot(page, "intake-01-consultation-form")
    page.get_by_role("button", name="保存").first.click()
    assert "咨询已登记" in page.content()

    page.get_by_role("link", name="引导申请").click()
    assert "先查找是否已有记录" in page.content()
    assert page.input_value("#id_name") == "王建军"
    fill_form(page, id_number=resident_id(77, born=__import__("datetime").date(1980, 4, 2)), hukou="rural",
              household_income="2400", household_size="3")
    page.check("input[name=declared_groups][value=migrant_worker]")
    screenshot(page, "intake-02-person-form")
    page.get_by_role("button", name="保存").click()

    assert "收件" in page.content() and "王建军" in page.content()
    fill_form(page, cause="labour_pay", opposing_party="某建筑劳务公司", amount_involved="12000")
    screenshot(page, "intake-03-application-form")
    page.get_by_role("button", name="收件").click()
    assert "申请已收件" in page.content()
    assert page.get_by_test_id("app-status").inner_text() == "已收件"
    assert "天" in page.get_by_test_id("review-due").inner_text()

    for box in page.locator("[data-testid=materials-form] input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="保存材料清单").click()
    page.get_by_role("button", name="提交审查").click()
    assert page.get_by_test_id("app-status").inner_text() == "审查中"
    assert "农民工追索劳动报酬，免予核查经济困难状况" in page.get_by_test_id("eligibility").inner_text()
    screenshot(page, "intake-04-application-under-review")
    detail_url = page.url

    page.context.clear_cookies()
    login(page, "reviewer")
    assert "待审查决定的申请" in page.content()
    page.goto(detail_url)
    page.get_by_role("link", name="给予法律援助").click()
    page.get_by_role("button", name="给予法律援助").click()
    assert "已决定给予法律援助" in page.content()
    assert page.get_by_test_id("app-status").inner_text() == "给予援助"
    assert "法援民字" in page.get_by_test_id("case-number").inner_text()
    screenshot(page, "intake-05-granted")

    page.get_by_test_id("print-decision").click()
    body = page.content()
    assert "给予法律援助决定书" in body and "援决字第" in body and "王建军" in body
    assert "农民工追索劳动报酬" in body
    page.emulate_media(media="print")
    screenshot(page, "intake-06-decision-print")


@pytest.mark.browser
def test_a_criminal_notice_goes_from_receipt_to_awaiting_assignment(org, live_server, page, login, screenshot):
    login(page, "clerk")
    page.goto(f"{live_server.url}/intake/notices/new/")
    fill_form(page, organ="court", organ_name="示范县人民法院", notice_number="（2025）示刑通字第15号",
              p_name="李小军", p_id_number=resident_id(88, born=__import__("datetime").date(2009, 3, 1)),
              ground="minor", stage="trial", cause="theft")
    screenshot(page, "intake-07-notice-form")
    page.get_by_role("button", name="登记并立案").click()
    assert "通知辩护已登记" in page.content()
    assert "法援刑字" in page.get_by_test_id("notice-case").inner_text()
    assert "未成年人案件" in page.content()
    screenshot(page, "intake-08-notice-awaiting")
    page.goto(f"{live_server.url}/")
    assert "待指派的通知辩护" in page.content() and "李小军" in page.content()


@pytest.mark.browser
def test_station_staff_log_a_consultation_on_a_phone(org, live_server, phone_page, login, screenshot):
    login(phone_page, "staff_a")
    phone_page.goto(f"{live_server.url}/intake/consultations/new/")
    fill_form(phone_page, channel="phone", topic="support", summary="子女不支付赡养费")
    screenshot(phone_page, "intake-09-phone-consultation")
    phone_page.get_by_role("button", name="保存").first.click()
    assert "咨询已登记" in phone_page.content() and "城关镇" in phone_page.content()
