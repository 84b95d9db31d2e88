"""Money is dated honestly (issue 12): nothing is paid, spent or budgeted after today, on the form, in
the services and in imports; a 0.00 subsidy goes into a batch only by an explicit choice with a reason."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from funding import services
from funding.models import Budget, PaymentBatch, Spending, Subsidy

pytestmark = pytest.mark.django_db


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _batch(ready_case, finance):
    subsidies = [services.subsidy_compute(case=ready_case("pass"), by=finance)]
    return services.batch_create(subsidies=subsidies, by=finance)


def test_a_batch_cannot_be_paid_after_today_and_stays_unpaid(ready_case, finance):
    batch = _batch(ready_case, finance)
    with pytest.raises(ValidationError, match="不能晚于今天|cannot be after today"):
        services.batch_pay(batch=batch, paid_on=tomorrow(), by=finance)
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN and not Spending.objects.exists()
    assert not Subsidy.objects.filter(status="paid").exists()


def test_spending_and_budgets_cannot_be_dated_in_the_future(org, finance):
    with pytest.raises(ValidationError):
        services.spending_create(date=tomorrow(), category="publicity", amount="100", by=finance)
    entry = services.spending_create(date=timezone.localdate(), category="publicity", amount="100", by=finance)
    with pytest.raises(ValidationError):
        services.spending_update(spending=entry, date=tomorrow(), category="publicity", amount="100",
                                 description="", by=finance)
    year = timezone.localdate().year
    services.budget_create(year=year + 1, source="county", amount="1000", by=finance)  # next year's, approved
    with pytest.raises(ValidationError, match=str(year + 1)):
        services.budget_create(year=year + 2, source="county", amount="1000", by=finance)
    assert Budget.objects.count() == 1 and Spending.objects.get().date == timezone.localdate()


def test_the_forms_say_so_on_the_field_and_change_nothing(client_for, ready_case, finance):
    c = client_for("finance")
    response = c.post("/funding/spending/new/", {"date": tomorrow().isoformat(), "category": "publicity",
                                                 "amount": "100", "description": "x"})
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode()
    assert not Spending.objects.exists()
    batch = _batch(ready_case, finance)
    response = c.post(f"/funding/batches/{batch.pk}/pay/", {"paid_on": tomorrow().isoformat()}, follow=True)
    assert "不能晚于今天" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN


def test_the_ledger_refuses_future_money(org, tmp_path):
    path = tmp_path / "money.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "经费支出"
    ws.append(["日期", "类别", "金额"])
    ws.append([tomorrow().isoformat(), "宣传", 100])
    b = wb.create_sheet("经费预算")
    b.append(["年度", "来源", "金额"])
    b.append([timezone.localdate().year + 3, "县级财政", 1000])
    wb.save(path)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_ledger", str(path), stdout=out, stderr=err)
    said = out.getvalue() + err.getvalue()
    assert "经费支出!2: 日期: 不能晚于今天" in said and "经费预算!2: 年度: 预算最多录入到明年" in said
    assert not Spending.objects.exists() and not Budget.objects.exists()


def test_a_zero_subsidy_is_shown_unticked_and_needs_a_reason(client_for, ready_case, finance):
    zero = services.subsidy_compute(case=ready_case("fail"), by=finance)
    paid = services.subsidy_compute(case=ready_case("pass"), by=finance)
    assert zero.amount == Decimal("0.00") and paid.amount > 0
    c = client_for("finance")
    page = c.get("/funding/batches/new/").content.decode()
    assert f'value="{zero.pk}" data-zero="yes" aria-label' in page  # shown, not ticked
    assert f'value="{paid.pk}" data-zero="no" checked' in page
    response = c.post("/funding/batches/new/", {"subsidy": [zero.pk, paid.pk]})
    assert response.status_code == 200 and "0.00" in response.content.decode()
    assert not PaymentBatch.objects.exists()
    with pytest.raises(ValidationError):
        services.batch_create(subsidies=[zero], by=finance)
    batch = services.batch_create(subsidies=[zero, paid], by=finance, zero_reason="不合格案件按规定发放0元，留档")
    zero.refresh_from_db()
    assert zero.batch == batch and zero.history.first().history_change_reason == "不合格案件按规定发放0元，留档"
