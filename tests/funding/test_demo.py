import datetime as dt
import io
import random

import pytest

from funding import demo
from funding.models import Budget, PaymentBatch, Spending, Subsidy

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_budgets_spending_subsidies_and_paid_batches_once(ready_case):
    today = dt.date.today()
    old = [ready_case("pass", archived_on=today - dt.timedelta(days=100)) for _ in range(2)]
    ready_case("good", archived_on=today - dt.timedelta(days=3))
    out = io.StringIO()
    demo.seed(rng=random.Random(1), stdout=out)
    assert Budget.objects.filter(year=today.year).count() == 5
    assert Budget.objects.filter(year=today.year - 1).count() == 5
    assert Spending.objects.exclude(category="case_subsidy").count() >= 30
    assert Subsidy.objects.count() == 3
    if today.month > 2:
        assert PaymentBatch.objects.filter(status="paid").exists()
        assert set(Subsidy.objects.filter(case__in=old).values_list("status", flat=True)) == {"paid"}
    demo.seed(rng=random.Random(1), stdout=out)
    assert Budget.objects.count() == 10
    assert "already seeded" in out.getvalue()
