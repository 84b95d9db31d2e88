"""The data migrations of issue 12 fill rows that existed before them: payment lines for subsidies paid before
lines existed (so past periods keep their figures), and the entry time of spending entered before the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding import services
from funding.models import Spending, Subsidy, SubsidyPayment

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE_LINES = ("funding", "0003_payment_lines_and_reversals")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_paid_subsidies_get_their_payment_lines_and_spending_its_entry_time(ready_case, finance):
    # archived and graded before the payment date: a payment is not dated before its subsidy existed
    subsidies = [services.subsidy_compute(case=ready_case("pass", accepted_on=dt.date(2026, 3, 2)), by=finance)
                 for _ in range(2)]
    batch = services.batch_create(subsidies=subsidies, by=finance)
    services.batch_pay(batch=batch, paid_on=dt.date(2026, 3, 5), by=finance)
    manual = services.spending_create(date=dt.date(2026, 3, 6), category="office", amount=Decimal("80"), by=finance)
    entered = manual.created_at
    expected = sorted((s.pk, s.amount) for s in Subsidy.objects.all())

    try:
        old = _migrate([BEFORE_LINES])  # as a database of before the lines: paid subsidies, no lines
        old.get_model("funding", "SubsidyPayment").objects.all().delete()
        assert not old.get_model("funding", "SubsidyPayment").objects.exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    lines = SubsidyPayment.objects.filter(kind="payment")
    assert sorted(lines.values_list("subsidy_id", "amount")) == expected
    assert set(lines.values_list("date", "batch_id")) == {(dt.date(2026, 3, 5), batch.pk)}
    # the entry time came back from the entry's first history row (the column was dropped and added again)
    again = Spending.objects.get(pk=manual.pk)
    assert again.created_at is not None and abs((again.created_at - entered).total_seconds()) < 5
