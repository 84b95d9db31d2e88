"""A paid line keeps the firm it paid (SubsidyPayment.payee_firm): the batch, its vouchers and the Art. 58 public
list name that firm whatever firm the lawyer joins later; lines paid before the field existed are filled from
the roster's history (funding 0010)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.utils import timezone

from funding import services
from funding.models import SubsidyPayment
from tests.factories import HandlerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def _paid(ready_case, finance, lawyer):
    subsidy = services.subsidy_compute(case=ready_case("pass", handler=lawyer), by=finance)
    batch = services.batch_create(subsidies=[subsidy], by=finance, vouchers_per="firm")
    services.batch_pay(batch=batch, paid_on=timezone.localdate(), by=finance)
    return batch


def test_a_paid_line_names_the_firm_paid_after_the_lawyer_moves(ready_case, finance, client_for):
    first, second = ProviderFactory(name="甲律师事务所"), ProviderFactory(name="乙律师事务所")
    lawyer = HandlerFactory(name="周律师", provider=first)
    batch = _paid(ready_case, finance, lawyer)
    assert batch.payments.get().payee_firm == first
    lawyer.provider = second
    lawyer.save()
    page = client_for("finance").get(f"/funding/batches/{batch.pk}/").content.decode()
    assert "甲律师事务所" in page and "乙律师事务所" not in page


def test_the_migration_fills_the_firm_paid_from_the_roster_history(ready_case, finance):
    first, second = ProviderFactory(name="甲律师事务所"), ProviderFactory(name="乙律师事务所")
    lawyer = HandlerFactory(name="周律师", provider=first)
    _paid(ready_case, finance, lawyer)
    lawyer.provider = second
    lawyer.save()  # a history row after the payment
    SubsidyPayment.objects.update(payee_firm=None)
    fill = importlib.import_module("funding.migrations.0010_payment_payee_firm").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert SubsidyPayment.objects.get().payee_firm == first
