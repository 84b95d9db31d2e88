"""领款凭单 as finance pays: one per handler or one per firm (a setting kept on the batch, defaulting to the
center's last choice), issued as printed once the batch is paid, with a reversal noted on a reprint."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from core.models import IssuedDocument
from funding import services
from funding.models import PaymentBatch
from tests.factories import HandlerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_subsidies(ready_case, finance, handler_profile):
    """Two lawyers of one firm and 张伟 (of his own firm): three computed subsidies."""
    firm = ProviderFactory(name="示范县明理律师事务所")
    first, second = HandlerFactory(name="李明", provider=firm), HandlerFactory(name="赵静", provider=firm)
    return [services.subsidy_compute(case=ready_case("pass", handler=h), by=finance)
            for h in (first, second, handler_profile)]


def _vouchers(html: str) -> list[str]:
    return re.findall(r'data-testid="voucher">(.*?)</section>', html, re.S)


def test_one_voucher_per_handler_by_default(three_subsidies, finance, client_for):
    batch = services.batch_create(subsidies=three_subsidies, by=finance)
    assert batch.vouchers_per == PaymentBatch.VouchersPer.HANDLER
    vouchers = _vouchers(client_for("finance").get(f"/funding/batches/{batch.pk}/voucher/").content.decode())
    assert len(vouchers) == 3
    assert any("李明" in v and "示范县明理律师事务所" in v for v in vouchers)


def test_one_voucher_per_firm_adds_up_the_firms_lawyers(three_subsidies, finance, client_for, handler_profile):
    batch = services.batch_create(subsidies=three_subsidies, by=finance, vouchers_per="firm")
    html = client_for("finance").get(f"/funding/batches/{batch.pk}/voucher/").content.decode()
    vouchers = _vouchers(html)
    assert len(vouchers) == 2  # the firm, and 张伟's own firm
    firm = next(v for v in vouchers if "示范县明理律师事务所" in v)
    assert "领款单位" in firm and "承办人：李明" in firm and "承办人：赵静" in firm
    amounts = sorted(s.amount for s in three_subsidies[:2])
    total = f"{sum(amounts):,.2f}"
    assert f"¥{total}" in firm
    # the center's choice is remembered for the next batch
    assert services.last_vouchers_per() == "firm"


def test_an_unknown_voucher_setting_is_refused(three_subsidies, finance):
    with pytest.raises(ValidationError):
        services.batch_create(subsidies=three_subsidies, by=finance, vouchers_per="bank")
    assert not PaymentBatch.objects.exists()


def test_the_new_batch_page_offers_the_setting(three_subsidies, client_for):
    c = client_for("finance")
    page = c.get("/funding/batches/new/").content.decode()
    assert 'data-testid="vouchers-per"' in page
    response = c.post("/funding/batches/new/", {"subsidy": [s.pk for s in three_subsidies], "vouchers_per": "firm"})
    assert response.status_code == 302
    assert PaymentBatch.objects.get().vouchers_per == "firm"


def test_a_paid_batchs_vouchers_are_issued_and_a_reversal_is_noted_on_the_reprint(three_subsidies, finance,
                                                                                  director, client_for):
    batch = services.batch_create(subsidies=three_subsidies, by=finance)
    c = client_for("finance")
    c.get(f"/funding/batches/{batch.pk}/voucher/")
    assert not IssuedDocument.objects.exists()  # a prepared batch's vouchers are a draft
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    issued = c.get(f"/funding/batches/{batch.pk}/voucher/").content.decode()
    assert IssuedDocument.objects.get(document="voucher").number == batch.number
    line = batch.payments.filter(kind="payment", subsidy=three_subsidies[0]).get()
    reversal = services.reversal_request(batch=batch, payments=[line], reason="重复发放", by=finance)
    services.reversal_approve(reversal=reversal, by=director)
    again = c.get(f"/funding/batches/{batch.pk}/voucher/").content.decode()
    mark = re.search(r'data-testid="reprint-mark">(.*?)</div>', again, re.S).group(1)
    assert "重印件" in mark and f"{line.amount:,.2f}" in mark
    assert _vouchers(again) == _vouchers(issued)  # the vouchers as paid; the reversal is a red entry of its own
