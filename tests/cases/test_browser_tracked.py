"""Issue 16, item 6 in a real browser: a criminal notice case is terminated, the organ is to be told within
3 days (Art. 48), and the clerk records the notice as sent; the 公函 send date is recorded too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.browser


def test_a_terminated_notice_case_is_notified_to_the_organ_and_leaves_the_to_dos(live_server, screenshot, org, clerk,
                                                                                 page_for):
    from cases import services

    today = timezone.localdate()
    notice = CriminalNoticeFactory(ground="other", received_on=today - timedelta(days=1), organ_name="示范县人民法院")
    case = make_case(category="criminal", source="notice", notice=notice, stage="trial", aid_form="criminal_defence",
                     cause="theft", accepted_on=today - timedelta(days=1), recipient=notice.person,
                     station=org["stations"]["station-a"])
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=today, by=clerk)
    url = f"{live_server.url}/cases/{case.pk}/"

    # the clerk records that the 公函 went to the court today
    pg = page_for("clerk")
    pg.goto(url)
    letter = pg.locator("[data-testid=letter-sent-form]")
    letter.get_by_role("button", name="登记公函已发出").click()
    pg.wait_for_load_state("networkidle")
    assert "已登记法律援助公函发出日期" in pg.content()
    assert f"已于{today:%Y-%m-%d}发出" in pg.locator("[data-testid=assignments]").inner_text()
    pg.context.close()

    # the reviewer terminates: the notice to the organ is due within 3 days
    pg = page_for("reviewer")
    pg.goto(url)
    pg.locator("[data-testid=actions]").get_by_text("终止法律援助", exact=True).click()
    pg.wait_for_load_state("networkidle")
    pg.select_option("select[name=reason]", "own_counsel")
    pg.fill("textarea[name=note]", "被告人家属已自行委托辩护律师。")
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")
    alert = pg.locator("[data-testid=termination-notice]")
    assert "应在3日内将终止决定通知办案机关" in alert.inner_text()
    assert "将终止决定通知办案机关" in pg.locator("[data-testid=next-step]").inner_text()
    screenshot(pg, "tracked-01-terminated-notice-due")
    pg.context.close()

    # the clerk sees it on the workbench, a wrong date is refused, then the notice is recorded
    pg = page_for("clerk")
    pg.goto(f"{live_server.url}/")
    assert "待通知办案机关的终止案件" in pg.content()
    screenshot(pg, "tracked-02-clerk-workbench")
    pg.goto(url)
    form = pg.locator("[data-testid=termination-notice-form]")
    form.locator("input[name=on]").fill(f"{today + timedelta(days=3):%Y-%m-%d}")
    form.locator("select[name=means]").select_option("post")
    form.get_by_role("button", name="登记已通知").click()
    pg.wait_for_load_state("networkidle")
    assert "通知日期不能晚于今天" in pg.content()
    screenshot(pg, "tracked-03-future-date-refused")
    form = pg.locator("[data-testid=termination-notice-form]")
    form.locator("select[name=means]").select_option("post")
    form.get_by_role("button", name="登记已通知").click()
    pg.wait_for_load_state("networkidle")
    done = pg.locator("[data-testid=termination-notice]").inner_text()
    assert "已将终止决定通知办案机关" in done and "邮寄送达" in done
    assert pg.locator("[data-testid=termination-notice-form]").count() == 0
    assert pg.locator("[data-testid=next-step]").count() == 0
    screenshot(pg, "tracked-04-notice-recorded")
    pg.goto(f"{live_server.url}/")
    assert "待通知办案机关的终止案件" not in pg.content()
    pg.goto(f"{live_server.url}/intake/notices/{notice.pk}/")
    assert f"已于{today:%Y-%m-%d}发出" in pg.locator("[data-testid=notice-letter]").inner_text()
    screenshot(pg, "tracked-05-notice-page-letter")
    pg.context.close()

    case.refresh_from_db()
    assert case.termination_notified_on == today and case.termination_notify_means == "post"
