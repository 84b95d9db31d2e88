"""The whole life of a case in a real browser, each step by the role that does it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.browser


def _action(pg, label):
    pg.locator("[data-testid=actions]").get_by_text(label, exact=True).click()
    pg.wait_for_load_state("networkidle")


def _submit(pg):
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")


def test_a_case_goes_from_awaiting_to_archived_and_followed_up_in_the_browser(live_server, screenshot, org, tmp_path,
                                                                              page_for):
    case = make_case(accepted_on=timezone.localdate() - timedelta(days=1), opposing_party="某劳务公司",
                     station=org["stations"]["station-a"])
    url = f"{live_server.url}/cases/{case.pk}/"

    # clerk assigns
    pg = page_for("clerk")
    pg.goto(f"{live_server.url}/cases/")
    assert "案件" in pg.content() and case.number in pg.content()
    screenshot(pg, "cases-01-list")
    pg.click(f"text={case.number}")
    assert "待指派" in pg.content()
    _action(pg, "指派承办人")
    assert "建议承办人" in pg.content()
    pg.select_option("select[name=handler]", str(org["handlers"]["张伟"].pk))
    screenshot(pg, "cases-02-assign")
    _submit(pg)
    assert pg.url.rstrip("/") == url.rstrip("/")
    assert "进行中" in pg.content() and "援指字" in pg.content()
    screenshot(pg, "cases-03-assigned")
    pg.goto(f"{url}print/assignment/")
    assert "指派通知书" in pg.content() and "张伟" in pg.content()
    screenshot(pg, "cases-04-print-assignment")
    pg.context.close()

    # handler signs, records work with an attachment, closes and submits the file
    pg = page_for("handler")
    pg.goto(url)
    _action(pg, "登记委托协议")
    _submit(pg)
    _action(pg, "记录办案进展")
    pg.select_option("select[name=kind]", "meeting")
    pg.fill("textarea[name=note]", "会见受援人，了解欠薪情况，收集工资条。")
    note = tmp_path / "会见笔录.pdf"
    note.write_bytes(b"%PDF-1.4 meeting notes")
    pg.set_input_files("input[name=files]", str(note))
    _submit(pg)
    assert "会见受援人" in pg.content() and "会见笔录.pdf" in pg.content()
    _action(pg, "结案")
    pg.select_option("select[name=outcome]", "mediation")
    pg.fill("input[name=amount_recovered]", "36000")
    pg.fill("textarea[name=closing_report]", "经调解，用人单位一次性支付拖欠工资36000元，本案调解结案。")
    judgment = tmp_path / "调解书.pdf"
    judgment.write_bytes(b"%PDF-1.4 mediation")
    pg.set_input_files("input[name=judgment]", str(judgment))
    screenshot(pg, "cases-05-close")
    _submit(pg)
    assert "已结案" in pg.content()
    _action(pg, "提交案卷")
    _submit(pg)
    screenshot(pg, "cases-06-submitted")
    pg.goto(f"{url}print/closing_report/")
    assert "结案报告表" in pg.content() and "36,000.00" in pg.content()
    screenshot(pg, "cases-07-print-closing-report")
    pg.goto(f"{url}print/opinion_form/")
    assert "征询意见表" in pg.content()
    screenshot(pg, "cases-08-print-opinion-form")
    pg.context.close()

    # reviewer reviews the file, grades, follows up
    pg = page_for("reviewer")
    pg.goto(url)
    _action(pg, "结案审查")
    for box in pg.locator("input[type=checkbox]").all():
        box.check()
    pg.check("input[name=result][value=passed]")
    screenshot(pg, "cases-09-archive-review")
    _submit(pg)
    assert "已归档" in pg.content()
    _action(pg, "评定质量等级")
    pg.fill("input[name=score]", "92")
    _submit(pg)
    assert "优秀" in pg.content()
    assert pg.locator("[data-testid=actions]").get_by_text("评定质量等级", exact=True).count() == 0
    pg.click("button:has-text('质量管理')")
    pg.click("text=记录受援人回访")
    pg.select_option("select[name=satisfaction]", "satisfied")
    pg.fill("textarea[name=notes]", "电话回访，受援人对承办律师工作满意。")
    _submit(pg)
    screenshot(pg, "cases-10-followup-saved")
    assert "电话回访，受援人对承办律师工作满意" in pg.content()
    screenshot(pg, "cases-11-archived")
    pg.context.close()

    case.refresh_from_db()
    assert case.status == "archived" and case.grade == "excellent"
    assert case.attachments.count() == 2 and case.followups.count() == 1


def test_a_handler_sees_own_next_steps_on_a_phone_but_not_another_handlers_case(
        live_server, phone_page, login, org, clerk, screenshot):
    from cases.services import case_assign

    today = timezone.localdate()
    mine = make_case(accepted_on=today - timedelta(days=1))
    case_assign(case=mine, handler=org["handlers"]["张伟"], on=today, by=clerk)
    other = make_case(accepted_on=today - timedelta(days=1))
    case_assign(case=other, handler=org["handlers"]["李娜"], on=today, by=clerk)
    login(phone_page, "handler")
    phone_page.goto(f"{live_server.url}/")
    content = phone_page.content()
    assert "我的案件：下一步工作" in content and mine.number in content and "签订委托协议" in content
    assert other.number not in content
    screenshot(phone_page, "cases-12-handler-workbench-phone")
    response = phone_page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert response.status == 404


def test_a_director_handles_a_complaint_from_the_complaint_list(live_server, screenshot, org, reviewer, page_for):
    from cases import services

    case = make_case(accepted_on=timezone.localdate() - timedelta(days=3), station=org["stations"]["station-a"])
    services.complaint_record(case=case, by=reviewer, received_on=timezone.localdate(), complainant="王秀英",
                              content="承办律师两周未回电话")
    pg = page_for("director")
    pg.goto(f"{live_server.url}/cases/")
    pg.get_by_role("link", name="投诉").first.click()
    pg.wait_for_load_state("networkidle")
    table = pg.locator("[data-testid=quality-table]")
    assert "王秀英" in table.inner_text() and "未处理" in table.inner_text()
    screenshot(pg, "cases-complaints-list")
    table.get_by_role("link", name="处理").click()
    pg.wait_for_load_state("networkidle")
    pg.fill("textarea[name=handling]", "约谈承办律师，当日回电并向投诉人致歉")
    _submit(pg)
    assert "/cases/complaints/" in pg.url
    assert "约谈承办律师" in pg.locator("[data-testid=quality-table]").inner_text()
    pg.get_by_role("link", name="未处理").click()
    pg.wait_for_load_state("networkidle")
    assert "王秀英" not in pg.locator("[data-testid=quality-table]").inner_text()
    pg.context.close()


def test_a_director_finds_a_handler_by_typing_in_the_case_filter(live_server, screenshot, org, clerk, page_for):
    """A province's thousands of handlers are not a select: the filter's box finds them by name."""
    from cases.services import case_assign

    today = timezone.localdate()
    mine = make_case(accepted_on=today - timedelta(days=2))
    case_assign(case=mine, handler=org["handlers"]["李娜"], on=today, by=clerk)
    other = make_case(accepted_on=today - timedelta(days=2))
    case_assign(case=other, handler=org["handlers"]["张伟"], on=today, by=clerk)
    pg = page_for("director")
    pg.goto(f"{live_server.url}/cases/")
    pg.click("summary")  # open the filter
    select = pg.locator("select[name=handler]")
    assert select.locator("option").count() == 0  # no 4,000 options in the page
    box = pg.locator("input[data-lookup-box=handler]")
    box.fill("李")
    pg.locator(".lookup-results button", has_text="李娜").first.wait_for()
    screenshot(pg, "cases-13-handler-lookup")
    pg.locator(".lookup-results button", has_text="李娜").first.click()
    assert select.locator("option:checked").inner_text().startswith("李娜")
    box.fill("没有这个人")
    pg.locator(".lookup-results", has_text="没有匹配的名称").wait_for()
    pg.click("form.row button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert f"handler={org['handlers']['李娜'].pk}" in pg.url
    body = pg.content()
    assert mine.number in body and other.number not in body
    # The chosen handler stays in the filter after the page reloads.
    assert pg.locator("select[name=handler] option:checked").inner_text() == "李娜"
    screenshot(pg, "cases-14-filtered-by-handler")
    pg.context.close()
