"""Reverse, never delete (红字冲销): a paid batch or one payee's line is reversed by finance with the director's
approval and a reason; payment lines keep past periods as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from core.periods import Period
from funding import services
from funding.indicators import REGISTRY
from funding.models import BatchReversal, PaymentBatch, Spending, Subsidy, SubsidyPayment
from funding.selectors import finally_paid
from tests.factories import HandlerFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_batch(ready_case, finance, org):
    """A batch of three subsidies paid today: two for 张伟, one for a second payee."""
    other = HandlerFactory()
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance) for _ in range(2)]
    subsidies.append(services.subsidy_compute(case=ready_case("good", handler=other), by=finance))
    batch = services.batch_create(subsidies=subsidies, by=finance)
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    return batch, subsidies, other


def _lines(batch, handler=None):
    qs = batch.payments.filter(kind="payment")
    return list(qs.filter(subsidy__handler=handler) if handler else qs)


def test_paying_a_batch_writes_one_payment_line_per_subsidy(paid_batch):
    batch, subsidies, _ = paid_batch
    lines = _lines(batch)
    assert sorted(p.subsidy_id for p in lines) == sorted(s.pk for s in subsidies)
    assert all(p.amount == Subsidy.objects.get(pk=p.subsidy_id).amount and p.case_count == 1 for p in lines)


def test_reversing_a_whole_batch_posts_a_negative_entry_and_makes_the_subsidies_payable(paid_batch, finance,
                                                                                         director):
    batch, subsidies, _ = paid_batch
    posted = batch.spending.get()
    reversal = services.reversal_request(batch=batch, payments=_lines(batch), reason="重复发放", by=finance)
    assert Spending.objects.count() == 1  # asking changes nothing yet
    spending = services.reversal_approve(reversal=reversal, by=director)
    assert spending.amount == -posted.amount and spending.reverses == posted and spending.batch == batch
    assert spending.category == "case_subsidy" and spending.date == dt.date.today()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.REVERSED
    assert set(Subsidy.objects.values_list("status", "batch", "paid_on")) == {("computed", None, None)}
    reversals = SubsidyPayment.objects.filter(kind="reversal")
    assert reversals.count() == 3 and all(r.approved_by == director and r.by == finance for r in reversals)
    assert sum(p.amount for p in SubsidyPayment.objects.all()) == 0
    reversal.refresh_from_db()
    assert reversal.status == BatchReversal.Status.APPROVED and reversal.spending == spending


def test_reversing_one_payees_line_leaves_the_batch_paid_with_the_rest(paid_batch, finance, director):
    batch, subsidies, other = paid_batch
    line = _lines(batch, other)
    reversal = services.reversal_request(batch=batch, payments=line, reason="承办人有误", by=finance)
    spending = services.reversal_approve(reversal=reversal, by=director)
    assert spending.amount == -line[0].amount
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
    assert Subsidy.objects.get(pk=subsidies[2].pk).status == "computed"
    assert Subsidy.objects.filter(status="paid").count() == 2


def test_a_reversal_is_refused_without_a_reason(paid_batch, finance):
    batch, _, _ = paid_batch
    with pytest.raises(ValidationError, match="冲销原因"):
        services.reversal_request(batch=batch, payments=_lines(batch), reason="  ", by=finance)
    assert not BatchReversal.objects.exists()


def test_a_reversal_does_nothing_until_the_director_approves(paid_batch, finance, director):
    batch, _, _ = paid_batch
    reversal = services.reversal_request(batch=batch, payments=_lines(batch), reason="金额有误", by=finance)
    assert not SubsidyPayment.objects.filter(kind="reversal").exists()
    with pytest.raises(PermissionDenied):
        services.reversal_approve(reversal=reversal, by=finance)
    assert Spending.objects.count() == 1 and Subsidy.objects.filter(status="paid").count() == 3
    services.reversal_decline(reversal=reversal, by=director)
    with pytest.raises(ValidationError):
        services.reversal_approve(reversal=reversal, by=director)
    assert Spending.objects.count() == 1


def test_the_director_cannot_approve_a_reversal_they_asked_for(paid_batch, director):
    batch, _, _ = paid_batch
    reversal = services.reversal_request(batch=batch, payments=_lines(batch), reason="金额有误", by=director)
    with pytest.raises(ValidationError):
        services.reversal_approve(reversal=reversal, by=director)


def test_a_line_cannot_be_reversed_twice(paid_batch, finance, director):
    batch, _, other = paid_batch
    line = _lines(batch, other)
    first = services.reversal_request(batch=batch, payments=line, reason="承办人有误", by=finance)
    with pytest.raises(ValidationError, match="等待"):
        services.reversal_request(batch=batch, payments=line, reason="再来一次", by=finance)
    services.reversal_approve(reversal=first, by=director)
    with pytest.raises(ValidationError, match="已冲销"):
        services.reversal_request(batch=batch, payments=line, reason="再来一次", by=finance)
    with pytest.raises(ValidationError):
        services.reversal_approve(reversal=first, by=director)
    assert SubsidyPayment.objects.filter(kind="reversal").count() == 1
    # …and the database says so too: one reversal line per payment line.
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyPayment.objects.create(subsidy=line[0].subsidy, batch=batch, kind="reversal", amount=-line[0].amount,
                                      case_count=-1, date=dt.date.today(), reverses=line[0])


def test_an_unpaid_batch_cannot_be_reversed(ready_case, finance):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    batch = services.batch_create(subsidies=[subsidy], by=finance)
    with pytest.raises(ValidationError, match="已发放"):
        services.reversal_request(batch=batch, payments=[], reason="金额有误", by=finance)


def test_only_a_reversing_entry_may_be_negative(finance):
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(date=dt.date.today(), category="office", amount=D("-5"))


def test_a_reversed_subsidy_goes_into_a_new_batch_and_is_paid_again(paid_batch, finance, director):
    batch, subsidies, other = paid_batch
    reversal = services.reversal_request(batch=batch, payments=_lines(batch, other), reason="金额有误", by=finance)
    services.reversal_approve(reversal=reversal, by=director)
    subsidy = Subsidy.objects.get(pk=subsidies[2].pk)
    services.subsidy_adjust(subsidy=subsidy, amount=D("1000"), reason="按合格标准", by=director)
    again = services.batch_create(subsidies=[subsidy], by=finance)
    assert again != batch
    services.batch_pay(batch=again, paid_on=dt.date.today(), by=finance)
    subsidy.refresh_from_db()
    assert subsidy.status == "paid" and subsidy.batch == again
    assert [(p.kind, p.amount) for p in subsidy.payments.order_by("pk")] == [
        ("payment", D("1400.00")), ("reversal", D("-1400.00")), ("payment", D("1000.00"))]
    # The public list shows what was finally paid: the corrected payment, not the reversed one.
    today = dt.date.today()
    listed = {(p.subsidy_id, p.amount) for p in finally_paid(today, today + dt.timedelta(days=1))}
    assert (subsidy.pk, D("1000.00")) in listed and (subsidy.pk, D("1400.00")) not in listed


def _figures(start, end):
    p = Period(f"{start}:{end}", start, end, "range")
    return REGISTRY.evaluate(p, codes=["subsidy.paid.total", "subsidy.paid.cases", "funding.spent",
                                       "funding.spent.subsidy"])


def test_a_reversal_counts_in_the_month_it_happens_and_january_does_not_move(ready_case, finance, director):
    with freeze_time("2026-01-20"):
        subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance) for _ in range(2)]
        batch = services.batch_create(subsidies=subsidies, by=finance)
        services.batch_pay(batch=batch, paid_on=dt.date(2026, 1, 20), by=finance)
    jan = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    feb = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    before = _figures(*jan)
    assert before["subsidy.paid.total"] == D("2400.00") and before["subsidy.paid.cases"] == 2
    with freeze_time("2026-02-10"):
        reversal = services.reversal_request(batch=batch, payments=_lines(batch)[:1], reason="重复", by=finance)
        services.reversal_approve(reversal=reversal, by=director)
    assert _figures(*jan) == before
    after = _figures(*feb)
    assert after["subsidy.paid.total"] == D("-1200.00") and after["subsidy.paid.cases"] == -1
    assert after["funding.spent"] == D("-1200.00") and after["funding.spent.subsidy"] == D("-1200.00")
    q1 = _figures(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q1["subsidy.paid.total"] == D("1200.00") and q1["subsidy.paid.cases"] == 1


def test_a_subsidy_figures_list_sums_to_the_figure(paid_batch, finance, director):
    from reports.drilldown import section
    from reports.indicators import REGISTRY as ALL

    batch, _, other = paid_batch
    reversal = services.reversal_request(batch=batch, payments=_lines(batch, other), reason="金额有误", by=finance)
    services.reversal_approve(reversal=reversal, by=director)
    today = dt.date.today()
    p = Period(f"{today}:{today}", today, today, "range")
    values = ALL.evaluate(p)
    for code in ("subsidy.paid.total", "subsidy.paid.cases"):
        s = section(ALL[code], p, None)
        assert s.value == values[code] and s.total == 4
    assert values["subsidy.paid.cases"] == 2


def test_a_wrong_manual_entry_is_corrected_by_a_correcting_entry(finance):
    wrong = services.spending_create(date=dt.date.today(), category="office", amount=D("500"), by=finance)
    with pytest.raises(ValidationError):
        services.spending_correct(spending=wrong, reason="", by=finance)
    fix = services.spending_correct(spending=wrong, reason="录入错误", by=finance)
    assert fix.amount == D("-500.00") and fix.reverses == wrong and fix.category == "office"
    with pytest.raises(ValidationError):
        services.spending_correct(spending=wrong, reason="再次", by=finance)
    with pytest.raises(ValidationError):
        services.spending_update(spending=wrong, date=wrong.date, category="office", amount=D("1"),
                                 description="", by=finance)


def test_a_batch_posting_is_neither_edited_nor_corrected_by_hand(paid_batch, finance):
    batch, _, _ = paid_batch
    posted = batch.spending.get()
    with pytest.raises(ValidationError):
        services.spending_correct(spending=posted, reason="错", by=finance)
    with pytest.raises(ValidationError):
        services.spending_update(spending=posted, date=posted.date, category="office", amount=D("1"),
                                 description="", by=finance)


def test_the_director_sees_reversals_awaiting_approval_on_the_workbench(paid_batch, finance, client_for):
    batch, _, _ = paid_batch
    assert 'data-testid="panel-reversals"' not in client_for("director").get("/").content.decode()
    services.reversal_request(batch=batch, payments=_lines(batch), reason="金额有误", by=finance)
    home = client_for("director").get("/").content.decode()
    assert 'data-testid="panel-reversals"' in home and batch.number in home and "金额有误" in home
    assert 'data-testid="panel-reversals"' not in client_for("finance").get("/").content.decode()


def test_a_manual_entry_is_edited_only_on_the_day_it_was_entered(finance, client_for):
    with freeze_time("2026-11-30 09:00:00+08:00"):
        entry = services.spending_create(date=dt.date(2026, 11, 30), category="office", amount=D("500"),
                                         by=finance)
        services.spending_update(spending=entry, date=entry.date, category="office", amount=D("450"),
                                 description="打印纸", reason="金额录错", by=finance)  # a slip, the same day
        page = client_for("finance").get(f"/funding/spending/{entry.pk}/").content.decode()
        assert f"/funding/spending/{entry.pk}/edit/" in page
    with freeze_time("2026-12-01 00:30:00+08:00"):  # the next Beijing day (still 11-30 in UTC)
        with pytest.raises(ValidationError):
            services.spending_update(spending=entry, date=entry.date, category="office", amount=D("400"),
                                     description="", by=finance)
        c = client_for("finance")
        page = c.get(f"/funding/spending/{entry.pk}/").content.decode()
        assert f"/funding/spending/{entry.pk}/edit/" not in page and f"/funding/spending/{entry.pk}/correct/" in page
        response = c.post(f"/funding/spending/{entry.pk}/edit/", {"date": "2026-11-30", "category": "office",
                                                                  "amount": "400", "reason": "x"})
        assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == D("450.00")
