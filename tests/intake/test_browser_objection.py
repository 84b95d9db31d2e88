"""Issue 16, item 6 in a real browser: an objection to a refusal, its 5-day clock (Art. 49) on the
application page, and the reviewer recording the justice bureau's decision there."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_a_reviewer_records_the_outcome_of_an_objection_on_the_application_page(
        org, live_server, browser, login, screenshot, clerk, reviewer):
    from intake import services
    from intake.models import Application

    from .conftest import tick_all

    today = timezone.localdate()
    app = services.application_receive(application=Application(
        applicant=PersonFactory(name="赵志强", declared_groups=["migrant_worker"]), received_on=today,
        category="civil", cause="labour_pay"), by=clerk)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    services.application_refuse(application=app, by=reviewer, reasons="申请事项不属于法律援助范围")

    # the clerk records the objection at the window
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  timezone_id="Asia/Shanghai")
    pg = context.new_page()
    login(pg, "clerk")
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    pg.get_by_role("link", name="登记异议").click()
    pg.fill("textarea[name=grounds]", "申请人认为其属于农民工追索劳动报酬，应当给予法律援助")
    pg.get_by_role("button", name="保存").click()
    pg.wait_for_load_state("networkidle")
    objection = pg.locator("[data-testid=objection]")
    assert "待决定" in objection.inner_text() and "审查期限" in objection.inner_text()
    assert pg.locator("[data-testid=objection-decide-form]").count() == 0  # a clerk does not decide
    assert pg.get_by_role("link", name="登记异议").count() == 0  # one objection waits at a time
    context.close()

    due = app.objections.get().due_on
    # the reviewer sees the due date on the workbench and on the page, and records the decision
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  timezone_id="Asia/Shanghai")
    pg = context.new_page()
    login(pg, "reviewer")
    assert "待审查的异议" in pg.content() and app.number in pg.content()
    screenshot(pg, "objection-01-reviewer-workbench")
    pg.goto(f"{live_server.url}/intake/applications/{app.pk}/")
    assert f"{due:%Y-%m-%d}" in pg.locator("[data-testid=objection-due]").inner_text()
    screenshot(pg, "objection-02-pending-with-due-date")
    form = pg.locator("[data-testid=objection-decide-form]")
    form.locator("select[name=outcome]").select_option("overturned")
    form.locator("textarea[name=note]").fill("县司法局责令中心改正，重新作出决定")
    form.get_by_role("button", name="登记结果").click()
    pg.wait_for_load_state("networkidle")
    assert "异议结果已登记" in pg.content()
    text = pg.locator("[data-testid=objection]").inner_text()
    assert "责令改正" in text and "郑审查" in text and "县司法局责令中心改正" in text
    assert pg.locator("[data-testid=objection-decide-form]").count() == 0
    assert pg.locator("[data-testid=actions]").get_by_text("给予法律援助").count() == 1
    screenshot(pg, "objection-03-outcome-recorded")
    context.close()

    obj = app.objections.get()
    assert (obj.outcome, obj.decided_by, obj.decided_on) == ("overturned", reviewer, today)
