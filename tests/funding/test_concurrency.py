"""A batch is paid once even when two people press 支付 at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from funding import services
from funding.models import Spending, Subsidy


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payments_of_one_batch_post_one_spending_entry(ready_case, finance, director):
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance) for _ in range(3)]
    batch = services.batch_create(subsidies=subsidies, by=finance)
    barrier = threading.Barrier(4)
    paid, refused, errors = [], [], []

    def pay(user):
        try:
            barrier.wait(timeout=30)
            paid.append(services.batch_pay(batch=batch, paid_on=dt.date.today(), by=user))
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(u,)) for u in (finance, director, finance, director)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(paid) == 1 and len(refused) == 3
    assert all("不能重复发放" in " ".join(e.messages) for e in refused)
    assert Spending.objects.filter(batch=batch).count() == 1
    assert Spending.objects.get(batch=batch).amount == sum(s.amount for s in subsidies)
    assert set(Subsidy.objects.values_list("status", flat=True)) == {"paid"}
