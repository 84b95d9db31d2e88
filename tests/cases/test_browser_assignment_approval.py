"""Issue 16, item 3 in a real browser: the administrator switches assignment approval on for the center; the clerk
proposes a handler, the reviewer finds it on the workbench and returns it with a reason, the clerk proposes again
and the reviewer approves: the case is assigned, the 指派通知书 issued, the proposer kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.browser


def _submit(pg, selector: str):
    pg.click(selector)
    pg.wait_for_load_state("networkidle")


def test_a_proposed_assignment_is_returned_then_approved(live_server, screenshot, org, page_for):
    from cases.models import Case
    from core.models import CenterProfile

    today = timezone.localdate()
    case = make_case(accepted_on=today - timedelta(days=1), station=org["stations"]["station-a"])
    url = f"{live_server.url}/cases/{case.pk}/"

    # the administrator switches the setting on where the center profile is kept
    pg = page_for("admin")
    pg.goto(f"{live_server.url}/admin/core/centerprofile/{CenterProfile.get().pk}/change/")
    pg.check("input[name=assignment_approval]")
    screenshot(pg, "approval-01-setting")
    _submit(pg, "input[name=_save]")
    assert CenterProfile.get().assignment_approval is True
    pg.context.close()

    # the clerk may only propose
    pg = page_for("clerk")
    pg.goto(url)
    actions = pg.locator("[data-testid=actions]")
    assert actions.get_by_text("指派承办人", exact=True).count() == 0
    actions.get_by_text("提出指派建议", exact=True).click()
    pg.wait_for_load_state("networkidle")
    assert "3日指派期限照常计算" in pg.content()
    pg.select_option("select[name=handler]", str(org["handlers"]["张伟"].pk))
    pg.fill("textarea[name=note]", "张伟律师熟悉劳动争议，目前案件较少。")
    screenshot(pg, "approval-02-propose")
    _submit(pg, "form.card button[type=submit]")
    proposals = pg.locator("[data-testid=proposals]")
    assert "待审批" in proposals.inner_text() and "张伟" in proposals.inner_text()
    assert "批准或退回拟指派的承办人" in pg.locator("[data-testid=next-step]").inner_text()
    pg.context.close()

    # the reviewer finds it on the workbench; returning needs a reason
    pg = page_for("reviewer")
    pg.goto(f"{live_server.url}/")
    assert "待审批的指派" in pg.content() and case.number in pg.content()
    screenshot(pg, "approval-03-reviewer-workbench")
    pg.goto(f"{live_server.url}/cases/?approval=pending")
    assert pg.locator("[data-testid=awaiting-approval]").count() == 1
    pg.goto(url)
    assert "吴窗口建议指派张伟承办本案" in pg.locator("[data-testid=approval-needed]").inner_text()
    screenshot(pg, "approval-03b-reviewer-decides")
    _submit(pg, "[data-testid=return-form] button[type=submit]")
    assert "请填写退回指派建议的理由" in pg.content()
    pg.fill("[data-testid=return-form] textarea[name=reason]", "张伟律师下周出差，请改派李娜律师。")
    _submit(pg, "[data-testid=return-form] button[type=submit]")
    assert "已退回" in pg.locator("[data-testid=proposals]").inner_text()
    screenshot(pg, "approval-04-returned")
    pg.context.close()

    # the clerk sees the returned proposal and proposes again
    pg = page_for("clerk")
    pg.goto(f"{live_server.url}/")
    assert "被退回的指派建议" in pg.content() and "退回（张伟律师下周出差" in pg.content()
    screenshot(pg, "approval-05-clerk-workbench")
    pg.goto(url)
    assert "张伟律师下周出差" in pg.locator("[data-testid=proposals]").inner_text()
    pg.locator("[data-testid=actions]").get_by_text("提出指派建议", exact=True).click()
    pg.wait_for_load_state("networkidle")
    pg.select_option("select[name=handler]", str(org["handlers"]["李娜"].pk))
    _submit(pg, "form.card button[type=submit]")
    pg.context.close()

    # the reviewer approves: assigned today, the assignment notice can be printed, the proposer is kept
    pg = page_for("reviewer")
    pg.goto(url)
    _submit(pg, "[data-testid=approve-form] button[type=submit]")
    assert "已批准：案件已指派" in pg.content()
    row = pg.locator("[data-testid=assignments]").inner_text()
    assert "李娜" in row and f"{today:%Y-%m-%d}" in row and "由吴窗口建议" in row
    assert pg.get_by_text("指派通知书", exact=True).count() >= 1
    screenshot(pg, "approval-06-approved")
    pg.context.close()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.handler == org["handlers"]["李娜"]

    # later the clerk proposes a change of handler (Art. 55); the current handler goes on until the reviewer
    # approves, and the change then takes effect that day with a new assignment notice
    pg = page_for("clerk")
    pg.goto(url)
    actions = pg.locator("[data-testid=actions]")
    assert actions.get_by_text("更换承办人", exact=True).count() == 0
    pg.locator("[data-testid=propose-change]").click()
    pg.wait_for_load_state("networkidle")
    pg.select_option("select[name=handler]", str(org["handlers"]["张伟"].pk))
    pg.fill("textarea[name=reason]", "李娜律师与对方当事人有利害关系，需回避。")
    screenshot(pg, "approval-07-propose-change")
    _submit(pg, "form.card button[type=submit]")
    assert "更换承办人" in pg.locator("[data-testid=change-proposal]").inner_text()
    pg.context.close()
    case.refresh_from_db()
    assert case.handler == org["handlers"]["李娜"]

    pg = page_for("reviewer")
    pg.goto(url)
    assert "需回避" in pg.locator("[data-testid=approval-needed]").inner_text()
    screenshot(pg, "approval-08-change-decides")
    _submit(pg, "[data-testid=approve-form] button[type=submit]")
    rows = pg.locator("[data-testid=assignments]").inner_text()
    assert "张伟" in rows and "需回避" in rows
    screenshot(pg, "approval-09-changed")
    pg.context.close()
    case.refresh_from_db()
    assert case.handler == org["handlers"]["张伟"] and case.status == Case.Status.ASSIGNED
