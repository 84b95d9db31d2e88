"""Permission table of the funding app: finance and the director only (the administrator keeps users, stations and
configuration: DOMAIN.md §2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from funding import services
from tests.factories import BudgetFactory, SpendingFactory
from tests.permission_table import check, expect

MONEY = expect(403, director=200, finance=200)
MONEY_POST = expect(403, director=302, finance=302)
DIRECTOR_ONLY = expect(403, director=200)
DIRECTOR_POST = expect(403, director=302)
MONEY_REDIRECT = expect(403, director=302, finance=302)


@pytest.fixture
def records(ready_case, finance, director):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    paid = services.subsidy_compute(case=ready_case("good"), by=finance)
    batch = services.batch_create(subsidies=[paid], by=finance)
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    # A declined reversal: approving or declining it again is refused with a message, nothing changes.
    reversal = services.reversal_request(batch=batch, payments=list(batch.payments.all()), reason="金额有误",
                                         by=finance)
    services.reversal_decline(reversal=reversal, by=director)
    return {
        "reversal": reversal, "payment": batch.payments.get(),
        "subsidy": subsidy, "paid": paid, "batch": batch, "case": ready_case("excellent"),
        "budget": BudgetFactory(year=2026, amount=Decimal("100000")),
        "spending": SpendingFactory(),
    }


# Every funding URL: (URL name, method, path, expected); `{key}` in a path is the pk of that record of `records`.
TABLE = [
    ("funding:overview", "GET", "/funding/", MONEY),
    ("funding:standards", "GET", "/funding/standards/", MONEY),
    ("funding:subsidy_list", "GET", "/funding/subsidies/", MONEY),
    ("funding:subsidy_pending", "GET", "/funding/subsidies/pending/", MONEY),
    ("funding:subsidy_detail", "GET", "/funding/subsidies/{subsidy}/", MONEY),
    ("funding:subsidy_adjust", "GET", "/funding/subsidies/{subsidy}/adjust/", DIRECTOR_ONLY),
    ("funding:subsidy_compute", "POST", "/funding/cases/{case}/compute/", MONEY_POST),
    ("funding:batch_list", "GET", "/funding/batches/", MONEY),
    ("funding:batch_create", "GET", "/funding/batches/new/", MONEY),
    ("funding:batch_detail", "GET", "/funding/batches/{batch}/", MONEY),
    ("funding:batch_voucher", "GET", "/funding/batches/{batch}/voucher/", MONEY),
    # A paid batch: paying again and removing are refused with a message (302 back to the batch).
    ("funding:batch_pay", "POST", "/funding/batches/{batch}/pay/", MONEY_POST),
    ("funding:batch_remove", "POST", "/funding/batches/{batch}/remove/{paid}/", MONEY_POST),
    # Asking without lines or reason is refused with a message; the director decides on a declined reversal
    # only to be told it was already declined.
    ("funding:batch_reverse", "POST", "/funding/batches/{batch}/reverse/", MONEY_POST),
    ("funding:reversal_approve", "POST", "/funding/batches/{batch}/reversals/{reversal}/approve/", DIRECTOR_POST),
    ("funding:reversal_decline", "POST", "/funding/batches/{batch}/reversals/{reversal}/decline/", DIRECTOR_POST),
    ("funding:payment_detail", "GET", "/funding/payments/{payment}/", MONEY_REDIRECT),
    ("funding:duty_subsidy", "GET", "/funding/duty/", MONEY),
    ("funding:public_list", "GET", "/funding/public-list/", MONEY),
    ("funding:budget_list", "GET", "/funding/budgets/", MONEY),
    ("funding:budget_create", "GET", "/funding/budgets/new/", MONEY),
    ("funding:budget_detail", "GET", "/funding/budgets/{budget}/", MONEY),
    ("funding:budget_edit", "GET", "/funding/budgets/{budget}/edit/", MONEY),
    ("funding:spending_list", "GET", "/funding/spending/", MONEY),
    ("funding:spending_create", "GET", "/funding/spending/new/", MONEY),
    ("funding:spending_detail", "GET", "/funding/spending/{spending}/", MONEY),
    ("funding:spending_edit", "GET", "/funding/spending/{spending}/edit/", MONEY),
    ("funding:spending_correct", "GET", "/funding/spending/{spending}/correct/", MONEY),
]


def table(r):
    """TABLE with the records' primary keys in its paths."""
    pks = {key: record.pk for key, record in r.items()}
    return [(name, method, path.format(**pks), expected) for name, method, path, expected in TABLE]


def test_every_funding_url_answers_each_persona_as_the_table_says(client_for, records):
    problems = []
    for _name, method, path, expected in table(records):
        problems += check(client_for, method, path, expected, data={"paid_on": dt.date.today().isoformat()})
    assert problems == []


def test_the_table_names_every_funding_url(records):
    from django.urls import get_resolver

    names = {f"funding:{n}" for n in get_resolver().namespace_dict["funding"][1].reverse_dict if isinstance(n, str)}
    assert names == {row[0] for row in table(records)}


def test_the_permission_table_did_not_pay_or_change_anything(client_for, records):
    check(client_for, "POST", f"/funding/batches/{records['batch'].pk}/pay/", MONEY_POST,
          data={"paid_on": dt.date.today().isoformat()})
    assert records["batch"].spending.count() == 1
    records["paid"].refresh_from_db()
    assert records["paid"].status == "paid"


def test_the_permission_table_reversed_nothing(client_for, records):
    b, r = records["batch"].pk, records["reversal"].pk
    check(client_for, "POST", f"/funding/batches/{b}/reversals/{r}/approve/", DIRECTOR_POST)
    check(client_for, "POST", f"/funding/batches/{b}/reverse/", MONEY_POST, data={"reason": "x"})
    assert records["batch"].spending.count() == 1 and records["batch"].reversals.count() == 1
    records["paid"].refresh_from_db()
    assert records["paid"].status == "paid"
