"""Pages of the funding app: forms refuse bad money, lists keep a fixed query count, exports reopen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from funding import services
from funding.models import Budget, BudgetYearLock, Spending, Subsidy
from tests.factories import BudgetFactory, SpendingFactory
from tests.helpers import queries_for

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount,message", [("-5", "金额不能为负数"), ("abc", "请输入以元为单位的金额"),
                                            ("1e400", "is-invalid"), ("", "is-invalid")])
def test_the_spending_form_refuses_bad_money_and_saves_nothing(client_for, amount, message):
    response = client_for("finance").post("/funding/spending/new/", {
        "date": dt.date.today().isoformat(), "category": "office", "amount": amount, "description": "x"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Spending.objects.exists()


def test_the_budget_form_refuses_a_negative_amount(client_for):
    response = client_for("finance").post("/funding/budgets/new/", {"year": 2026, "source": "county",
                                                                    "amount": "-100"})
    assert "金额不能为负数" in response.content.decode()
    assert not Budget.objects.exists()


def test_a_spending_entry_in_a_closed_year_is_refused_on_the_form(client_for):
    BudgetYearLock.objects.create(year=2025, locked_on=dt.date(2026, 1, 15))
    response = client_for("finance").post("/funding/spending/new/", {
        "date": "2025-12-20", "category": "office", "amount": "100", "description": "打印纸"})
    assert response.status_code == 200
    assert "2025 预算年度已结账" in response.content.decode()
    assert not Spending.objects.exists()


def test_finance_records_and_edits_spending_with_history(client_for):
    client = client_for("finance")
    response = client.post("/funding/spending/new/", {"date": "2026-03-02", "category": "training",
                                                      "amount": "2,000.50".replace(",", ""), "description": "培训"})
    entry = Spending.objects.get()
    assert response.status_code == 302 and entry.amount == D("2000.50")
    client.post(f"/funding/spending/{entry.pk}/edit/", {"date": "2026-03-02", "category": "training",
                                                        "amount": "1800", "description": "培训",
                                                        "reason": "按发票更正"})
    entry.refresh_from_db()
    assert entry.amount == D("1800.00")
    page = client.get(f"/funding/spending/{entry.pk}/").content.decode()
    assert "按发票更正" in page and "钱会计" in page


def test_a_subsidy_posting_cannot_be_edited_by_hand(client_for, ready_case, finance):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    batch = services.batch_create(subsidies=[subsidy], by=finance)
    posting = services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    response = client_for("finance").post(f"/funding/spending/{posting.pk}/edit/", {
        "date": dt.date.today().isoformat(), "category": "office", "amount": "1", "description": ""})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.amount == D("1200.00") and posting.category == "case_subsidy"


def test_paying_twice_through_the_page_shows_the_refusal(client_for, ready_case, finance):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    batch = services.batch_create(subsidies=[subsidy], by=finance)
    client = client_for("finance")
    client.post(f"/funding/batches/{batch.pk}/pay/", {"paid_on": dt.date.today().isoformat()})
    response = client.post(f"/funding/batches/{batch.pk}/pay/", {"paid_on": dt.date.today().isoformat()},
                           follow=True)
    assert "不能重复发放" in response.content.decode()
    assert Spending.objects.count() == 1


def test_the_director_adjusts_a_subsidy_with_a_reason(client_for, ready_case, finance):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    client = client_for("director")
    response = client.post(f"/funding/subsidies/{subsidy.pk}/adjust/", {"amount": "-1", "reason": "x"})
    assert "金额不能为负数" in response.content.decode()
    client.post(f"/funding/subsidies/{subsidy.pk}/adjust/", {"amount": "1100", "reason": "部分工作由他人完成"})
    subsidy.refresh_from_db()
    assert subsidy.amount == D("1100.00") and subsidy.adjustment_reason == "部分工作由他人完成"


def test_compute_all_computes_every_waiting_case(client_for, ready_case):
    cases = [ready_case("pass"), ready_case("good"), ready_case(status="terminated", substantive_work=True)]
    page = client_for("finance").get("/funding/subsidies/pending/").content.decode()
    assert all(c.number in page for c in cases)
    client_for("finance").post("/funding/subsidies/pending/")
    assert Subsidy.objects.count() == 3


def test_the_overview_shows_the_indicators_of_the_year(client_for, ready_case, finance):
    year = dt.date.today().year
    BudgetFactory(year=year, source="county", amount=D("60000"))
    BudgetFactory(year=year, source="central", amount=D("40000"))
    BudgetFactory(year=year - 1, source="county", amount=D("999999"))
    SpendingFactory(date=dt.date(year, 1, 10), category="publicity", amount=D("1000"))
    subsidies = [services.subsidy_compute(case=ready_case(g), by=finance) for g in ("pass", "excellent")]
    batch = services.batch_create(subsidies=subsidies, by=finance)
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    response = client_for("director").get(f"/funding/?year={year}")
    v = response.context["values"]
    assert v["funding.budget"] == D("100000") and v["funding.budget.central"] == D("40000")
    assert v["funding.spent"] == D("3800") and v["funding.spent.subsidy"] == D("2800")
    assert v["funding.spent.publicity"] == D("1000")
    assert v["rate.funding_used"] == 3.8 and v["rate.subsidy_share"] == 73.7  # one decimal, as every rate
    assert v["subsidy.paid.total"] == D("2800") and v["subsidy.paid.cases"] == 2
    assert v["subsidy.average"] == D("1400.00")
    html = response.content.decode()
    assert "经费使用率" in html and "办案补贴占比" in html and "spending-data" in html


def test_rates_are_empty_when_the_denominator_is_zero(client_for):
    v = client_for("finance").get("/funding/?year=2031").context["values"]
    assert v["rate.funding_used"] is None and v["rate.subsidy_share"] is None and v["subsidy.average"] is None


def _many(ready_case, finance, n=3):
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance) for _ in range(n)]
    batch = services.batch_create(subsidies=subsidies[:-1], by=finance)
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    for i in range(n):
        SpendingFactory(amount=D(100 + i))
        BudgetFactory(year=2020 + i, amount=D(1000 + i))


@pytest.mark.parametrize("url", ["/funding/subsidies/", "/funding/batches/", "/funding/spending/",
                                 "/funding/budgets/", "/funding/subsidies/pending/", "/funding/batches/new/",
                                 "/funding/"])
def test_lists_use_a_fixed_number_of_queries(client_for, ready_case, finance, url):
    client = client_for("finance")
    _many(ready_case, finance, 2)
    few = queries_for(client, url)
    assert few <= 20
    _many(ready_case, finance, 6)
    assert queries_for(client, url) <= few


def test_lists_filter_with_the_contract_parameters(client_for):
    SpendingFactory(date=dt.date(2026, 2, 1), category="office", amount=D("10"))
    SpendingFactory(date=dt.date(2026, 3, 1), category="publicity", amount=D("20"))
    SpendingFactory(date=dt.date(2026, 4, 1), category="office", amount=D("40"))
    response = client_for("finance").get("/funding/spending/?date_from=2026-02-15&date_to=2026-12-31&category=office")
    assert [s.amount for s in response.context["page_obj"]] == [D("40.00")]
    assert response.context["totals"]["t"] == D("40.00")
    BudgetFactory(year=2025, source="county")
    BudgetFactory(year=2026, source="central")
    response = client_for("finance").get("/funding/budgets/?year=2026&source=central")
    assert [b.source for b in response.context["page_obj"]] == ["central"]


def test_budget_and_spending_lists_export_to_excel(client_for):
    BudgetFactory(year=2026, source="county", amount=D("500000"))
    SpendingFactory(date=dt.date(2026, 5, 4), category="publicity", amount=D("3000"), description="=cmd")
    client = client_for("finance")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/funding/budgets/?export=xlsx").streaming_content)))
    ws = book["经费预算"]
    assert [c.value for c in ws[1]] == ["年度", "来源", "金额"]
    assert [c.value for c in ws[2]] == [2026, "县级财政", 500000]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(
        client.get("/funding/spending/?export=xlsx&category=publicity").streaming_content)))
    ws = book["经费支出"]
    assert [c.value for c in ws[1]] == ["日期", "类别", "金额", "说明"]
    assert ws[2][1].value == "宣传" and ws[2][2].value == 3000 and ws[2][3].value == "'=cmd"


def test_the_quarterly_public_list_masks_recipients(client_for, ready_case, finance, handler_profile):
    from tests.factories import PersonFactory

    case = ready_case("pass", recipient=PersonFactory(name="王小红"))
    subsidy = services.subsidy_compute(case=case, by=finance)
    batch = services.batch_create(subsidies=[subsidy], by=finance)
    day = dt.date.today()
    services.batch_pay(batch=batch, paid_on=day, by=finance)
    quarter = (day.month - 1) // 3 + 1
    response = client_for("finance").get(f"/funding/public-list/?year={day.year}&quarter={quarter}")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert f"{day.year}年第{quarter}季度法律援助办案补贴公示" in ws["A1"].value  # a title, as posted
    assert [c.value for c in ws[3]] == ["案号", "受援人", "承办人", "承办机构", "补贴金额（元）", "发放日期"]
    row = [c.value for c in ws[4]]
    assert row[:5] == [case.number, "王**", "张伟", "县法律援助中心", 1200]
    assert row[5].date() == day
    assert [c.value for c in ws[5]][:5] == ["合计 1 件", None, None, None, 1200]


def test_the_voucher_prints_each_payee_with_the_amount_in_capitals(client_for, ready_case, finance,
                                                                  other_handler):
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance),
                 services.subsidy_compute(case=ready_case("excellent"), by=finance),
                 services.subsidy_compute(case=ready_case("good", handler=other_handler), by=finance)]
    batch = services.batch_create(subsidies=subsidies, by=finance)
    html = client_for("finance").get(f"/funding/batches/{batch.pk}/voucher/").content.decode()
    assert html.count('data-testid="voucher"') == 2
    assert "贰仟捌佰元整" in html and "壹仟肆佰元整" in html and "补贴领款凭单" in html


def test_filters_accept_repeated_values_and_show_the_chosen_one(client_for):
    SpendingFactory(category="office", amount=D("10"))
    SpendingFactory(category="publicity", amount=D("20"))
    SpendingFactory(category="training", amount=D("40"))
    response = client_for("finance").get("/funding/spending/?category=office&category=publicity")
    assert response.context["totals"]["t"] == D("30.00")
    response = client_for("finance").get("/funding/spending/?category=training")
    assert '<option value="training" selected>' in response.content.decode()


def test_the_shipped_standards_are_shown_to_finance_and_editable_in_admin_with_history(client_for, subsidy_defaults):
    from funding.models import SubsidyStandard

    year = dt.date.today().year
    page = client_for("finance").get(f"/funding/standards/?year={year}").content.decode()
    assert "一审" in page and "1,200.00" in page and "1,600.00" in page and "不合格发放比例" in page
    assert SubsidyStandard.objects.filter(year=year - 1).count() == SubsidyStandard.objects.filter(year=year).count()
    criminal = SubsidyStandard.objects.get(year=year, category="criminal", scope="trial")
    assert (criminal.amount_pass, criminal.amount_good, criminal.amount_excellent) == (D(1500), D(1700), D(1900))
    admin = client_for("admin")
    assert admin.get("/admin/funding/subsidystandard/").status_code == 200
    assert admin.get(f"/admin/funding/subsidystandard/{criminal.pk}/history/").status_code == 200
    assert admin.get("/admin/funding/subsidypolicy/").status_code == 200


def test_the_batch_list_shows_each_batch_s_count_and_total_with_fixed_queries(client_for, ready_case, finance):
    """Totals are summed for the page's batches only (funding.selectors.with_totals)."""
    client = client_for("finance")
    first = services.batch_create(subsidies=[services.subsidy_compute(case=ready_case("pass"), by=finance)
                                             for _ in range(2)], by=finance)
    before = queries_for(client, "/funding/batches/")
    second = services.batch_create(subsidies=[services.subsidy_compute(case=ready_case("pass"), by=finance)],
                                   by=finance)
    empty = services.batch_create(subsidies=[services.subsidy_compute(case=ready_case("pass"), by=finance)],
                                  by=finance)
    services.batch_remove_subsidy(batch=empty, subsidy=empty.subsidies.get(), by=finance)
    assert queries_for(client, "/funding/batches/") == before
    rows = {b.pk: (b.count, b.total) for b in client.get("/funding/batches/").context["page_obj"]}
    expected = {b.pk: (b.subsidies.count(), sum((s.amount for s in b.subsidies.all()), Decimal("0")) or None)
                for b in (first, second, empty)}
    assert rows == expected and rows[empty.pk] == (0, None)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as again:  # no change since: the totals from the shared cache
        client.get("/funding/batches/")
    assert [q for q in again.captured_queries if 'SUM("funding_subsidy"."amount") AS "total"' in q["sql"]] == []
    services.batch_remove_subsidy(batch=second, subsidy=second.subsidies.get(), by=finance)
    rows = {b.pk: (b.count, b.total) for b in client.get("/funding/batches/").context["page_obj"]}
    assert rows[second.pk] == (0, None)  # a saved change: made afresh at once
