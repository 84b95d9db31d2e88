"""Finance takes archived cases to a paid batch in a real browser and sees the funding page move."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.factories import BudgetFactory

pytestmark = pytest.mark.browser


def test_finance_computes_batches_prints_and_pays_subsidies_and_sees_the_indicators_move(
        live_server, page, login, screenshot, ready_case, other_handler):
    year = timezone.localdate().year
    BudgetFactory(year=year, source="county", amount="100000.00")
    cases = [ready_case("pass"), ready_case("excellent", is_mass=True, recipient_count=4),
             ready_case("good", handler=other_handler)]
    login(page, "finance")
    assert "待核算" in page.content() or "办案补贴" in page.content()
    screenshot(page, "funding-01-workbench")

    page.goto(f"{live_server.url}/funding/")
    assert page.locator("[data-code='funding.spent'] td").nth(1).inner_text() == "0.00"
    assert page.locator("[data-code='rate.funding_used'] td").nth(1).inner_text() == "0.0"

    # compute all waiting cases
    page.goto(f"{live_server.url}/funding/subsidies/pending/")
    for case in cases:
        assert case.number in page.content()
    screenshot(page, "funding-02-pending")
    page.click("[data-testid=compute-all]")
    page.wait_for_load_state("networkidle")
    assert "已核算 3 笔补贴" in page.content()

    # the calculation of the group case, line by line
    page.goto(f"{live_server.url}/funding/subsidies/")
    page.click(f"text={cases[1].number}")
    calc = page.locator("[data-testid=calculation]").inner_text()
    assert "民事·一审 优秀 基础补贴 1,600.00 元" in calc
    assert "群体性案件增加受援人 3 人 × 100.00 元 = 300.00 元（上限 1,000.00 元）" in calc
    assert "合计 1,900.00 元" in calc
    screenshot(page, "funding-03-subsidy")

    # a batch of all three
    page.goto(f"{live_server.url}/funding/batches/new/")
    assert "4,500.00" in page.content()
    screenshot(page, "funding-04-batch-new")
    page.click("[data-testid=create-batch]")
    page.wait_for_load_state("networkidle")
    assert "援补贴字第1号" in page.content() and "待发放" in page.content()
    batch_url = page.url
    screenshot(page, "funding-05-batch")

    # vouchers: one per payee, amount in capitals
    page.goto(page.locator("[data-testid=voucher]").get_attribute("href").join([live_server.url, ""]))
    assert page.locator("section[data-testid=voucher]").count() == 2
    assert "叁仟壹佰元整" in page.content() and "壹仟肆佰元整" in page.content()
    screenshot(page, "funding-06-voucher")

    # mark paid
    page.goto(batch_url)
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=pay-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已标记为已发放" in page.content()
    assert re.search("已发放", page.locator("[data-testid=batch-status]").inner_text())
    assert page.locator("[data-testid=pay-form]").count() == 0
    screenshot(page, "funding-07-paid")

    # the funding page moved
    page.goto(f"{live_server.url}/funding/")
    assert page.locator("[data-code='funding.spent'] td").nth(1).inner_text() == "4,500.00"
    assert page.locator("[data-code='subsidy.paid.cases'] td").nth(1).inner_text() == "3"
    assert page.locator("[data-code='rate.funding_used'] td").nth(1).inner_text() == "4.5"
    assert page.locator("[data-code='rate.subsidy_share'] td").nth(1).inner_text() == "100.0"
    page.wait_for_function("document.getElementById('spending-chart').width > 0")
    screenshot(page, "funding-08-overview")


def test_finance_reverses_one_line_with_the_directors_approval_and_pays_it_again_in_a_new_batch(
        live_server, page, login, screenshot, ready_case, other_handler, finance):
    from funding import services

    ours = services.subsidy_compute(case=ready_case("pass"), by=finance)
    wrong = services.subsidy_compute(case=ready_case("good", handler=other_handler), by=finance)
    batch = services.batch_create(subsidies=[ours, wrong], by=finance)
    services.batch_pay(batch=batch, paid_on=timezone.localdate(), by=finance)
    batch_url = f"{live_server.url}/funding/batches/{batch.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())

    # finance prints the vouchers of the paid batch: they are issued as printed
    login(page, "finance")
    page.goto(f"{batch_url}voucher/")
    assert page.locator("[data-testid=voucher]").count() == 2 and page.locator("[data-testid=reprint-mark]").count() == 0

    # finance asks to reverse the second payee's line, with a reason
    page.goto(batch_url)
    page.click("[data-testid=reverse-request] button[type=submit]")  # no line ticked, no reason: refused
    assert page.locator("[data-testid=batch-record]").inner_text().count("冲销") == 0
    page.check(f"[data-testid='reverse-{wrong.case.number}']")
    page.fill("#id_reason", "承办人系法援中心律师，不应领取办案补贴")
    screenshot(page, "funding-reversal-01-ask")
    page.click("[data-testid=reverse-request] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已提交冲销申请" in page.content()
    assert "待主任批准" in page.locator("[data-testid=batch-record]").inner_text()
    assert page.locator("[data-testid=approve-reversal]").count() == 0  # finance cannot approve
    screenshot(page, "funding-reversal-02-asked")

    # the director approves on the batch page: the reversal is executed
    page.context.clear_cookies()
    login(page, "director")
    page.goto(batch_url)
    page.click("[data-testid=approve-reversal]")
    page.wait_for_load_state("networkidle")
    assert "已冲销" in page.content()
    record = page.locator("[data-testid=batch-record]").inner_text()
    assert "已批准并冲销" in record and "承办人系法援中心律师" in record and "-1,400.00" in record
    assert re.search("已发放", page.locator("[data-testid=batch-status]").inner_text())  # one line still paid
    screenshot(page, "funding-reversal-03-approved")

    # a reprint of the vouchers is the vouchers as paid, marked as a reprint with the reversal noted beside
    page.goto(f"{batch_url}voucher/")
    mark = page.locator("[data-testid=reprint-mark]").inner_text()
    assert "重印件" in mark and "1,400.00" in mark
    assert page.locator("[data-testid=voucher]").count() == 2 and page.locator("[data-testid=reversed-line]").count() == 0
    screenshot(page, "funding-reversal-04-voucher")

    # finance pays the corrected subsidy in a new batch
    page.context.clear_cookies()
    login(page, "finance")
    page.goto(f"{live_server.url}/funding/batches/new/")
    assert wrong.case.number in page.content()
    page.click("[data-testid=create-batch]")
    page.wait_for_load_state("networkidle")
    assert "援补贴字第2号" in page.content()
    page.click("[data-testid=pay-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert re.search("已发放", page.locator("[data-testid=batch-status]").inner_text())
    screenshot(page, "funding-reversal-05-paid-again")

    # the spending list shows the payment, the reversal and the new payment; the figures net them
    page.goto(f"{live_server.url}/funding/spending/")
    assert "-1,400.00" in page.content()
    screenshot(page, "funding-reversal-06-spending")
    page.goto(f"{live_server.url}/funding/")
    assert page.locator("[data-code='subsidy.paid.cases'] td").nth(1).inner_text() == "2"
    assert page.locator("[data-code='subsidy.paid.total'] td").nth(1).inner_text() == "2,600.00"
