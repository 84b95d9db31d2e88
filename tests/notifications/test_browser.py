"""In a real browser: a handler logs in, sees the bell's count, opens the inbox, follows a notification to its
case, and finds it read; on a phone the bell stays in the top bar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.browser


def test_a_handler_follows_a_notification_from_the_bell_to_the_case(live_server, page, login, screenshot, org,
                                                                    clerk, handler):
    from cases import services
    from notifications.digest import digests_send

    today = timezone.localdate()
    late = make_case(accepted_on=today - timedelta(days=20))
    services.case_assign(case=late, handler=org["handlers"]["张伟"], on=today - timedelta(days=19), by=clerk)
    case = make_case(accepted_on=today)
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=today, by=clerk)
    digests_send(today=today)  # the morning digest: the late case's agreement is overdue

    login(page, "handler")
    bell = page.locator("[data-testid=notification-bell]")
    assert bell.locator("[data-testid=notification-count]").inner_text() == "3"
    screenshot(page, "notifications-01-bell")

    bell.click()
    page.wait_for_load_state("networkidle")
    items = page.locator("[data-testid=notification]")
    assert items.count() == 3
    assert page.locator("[data-testid=notification][data-unread='1']").count() == 3
    assert "提醒：1 项" in items.nth(0).inner_text() and "已逾期" in items.nth(0).inner_text()
    screenshot(page, "notifications-02-inbox")

    page.get_by_role("link", name=f"案件 {case.number}").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert bell.locator("[data-testid=notification-count]").inner_text() == "2"
    screenshot(page, "notifications-03-case-opened")

    bell.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=notification][data-unread='1']").count() == 2
    page.locator("[data-testid=filter-unread]").click()
    page.wait_for_load_state("networkidle")
    assert f"案件 {case.number}" not in page.locator("[data-testid=notification-list]").inner_text()
    page.locator("[data-testid=read-all]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=no-notifications]").inner_text() == "没有未读通知。"
    assert page.locator("[data-testid=notification-count]").count() == 0
    screenshot(page, "notifications-04-all-read")


def test_on_a_phone_the_bell_and_the_channel_choice_work(live_server, phone_page, login, screenshot, org, clerk,
                                                          handler):
    from cases import services

    today = timezone.localdate()
    case = make_case(accepted_on=today)
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=today, by=clerk)

    login(phone_page, "handler")
    bell = phone_page.locator("[data-testid=notification-bell]")
    assert bell.is_visible() and bell.locator("[data-testid=notification-count]").inner_text() == "1"
    bell.click()
    phone_page.wait_for_load_state("networkidle")
    screenshot(phone_page, "notifications-05-phone-inbox")

    phone_page.get_by_role("link", name="接收方式").click()
    phone_page.wait_for_load_state("networkidle")
    phone_page.check("input[name=sms]")
    phone_page.fill("input[name=phone]", "1391234")
    phone_page.get_by_role("button", name="保存").click()
    phone_page.wait_for_load_state("networkidle")
    assert "请填写以1开头的11位手机号码。" in phone_page.content()
    phone_page.fill("input[name=phone]", "13912345678")
    phone_page.get_by_role("button", name="保存").click()
    phone_page.wait_for_load_state("networkidle")
    assert "通知接收方式已保存。" in phone_page.content()
    assert phone_page.input_value("input[name=phone]") == "13912345678"
    screenshot(phone_page, "notifications-06-phone-channels")
