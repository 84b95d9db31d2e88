"""core.versions: a table's change number moved by PostgreSQL itself, and the spending list kept under it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import DataVersion
from core.templatetags import kept
from core.versions import data_version
from funding import selectors
from funding.models import PaymentBatch, Spending
from tests.factories import SpendingFactory

pytestmark = pytest.mark.django_db
GROUP = selectors.SPENDING_VERSION


@pytest.fixture(autouse=True)
def _nothing_kept():
    kept.forget_all()
    yield
    kept.forget_all()


def test_every_way_of_writing_moves_the_number_and_reading_does_not(finance):
    from funding import services

    seen = [data_version(GROUP)]
    assert seen[0] is not None, "the migration gave the group its first number"

    def moved():
        now = data_version(GROUP)
        assert now not in seen, "a write moves the number to one never seen"
        seen.append(now)

    entry = services.spending_create(date=dt.date(2026, 3, 2), category="office", amount="120",
                                     description="打印纸", by=finance)
    moved()
    Spending.objects.filter(pk=entry.pk).update(description="复印纸")  # no signal is sent
    moved()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funding_spending SET description = 'A4 纸' WHERE id = %s", [entry.pk])
    moved()
    Spending.objects.bulk_create([Spending(date=dt.date(2026, 3, 3), category="office", amount=Decimal("1"))])
    moved()
    PaymentBatch.objects.filter(pk=-1).update(number="x")  # the batches the entries name: even a statement of none
    moved()
    list(Spending.objects.all()), Spending.objects.count()
    assert data_version(GROUP) == seen[-1], "reading moves nothing"


def test_a_number_seen_inside_a_rolled_back_transaction_is_never_given_again():
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        SpendingFactory(description="撤销的")
        inside = data_version(GROUP)
        raise Undo
    before = data_version(GROUP)
    assert before != inside, "the rollback took the number back"
    SpendingFactory(description="留下的")
    assert data_version(GROUP) not in (inside, before), "a sequence never gives a number twice"


def test_without_a_number_nothing_is_kept():
    DataVersion.objects.filter(table=GROUP).delete()  # as a test's flush leaves it
    assert data_version(GROUP) is None


def test_the_spending_list_shows_every_change_at_once_and_reads_no_row_while_none_was_made(client_for):
    entry = SpendingFactory(date=dt.date(2026, 3, 2), category="office", amount=Decimal("120"), description="打印纸")
    client = client_for("finance")
    first = client.get("/funding/spending/").content.decode()
    assert "打印纸" in first and "120.00" in first
    with CaptureQueriesContext(connection) as again:
        assert client.get("/funding/spending/").content.decode().count("打印纸") == 1
    spending_sql = [q["sql"] for q in again.captured_queries if 'FROM "funding_spending"' in q["sql"]]
    assert spending_sql == [], "the kept piece was shown: no row, count or total read"
    Spending.objects.filter(pk=entry.pk).update(description="复印纸", amount=Decimal("80"))  # past the signals
    after = client.get("/funding/spending/").content.decode()
    assert "复印纸" in after and "打印纸" not in after
    assert "80.00" in after and "120.00" not in after, "the total too"
    assert "复印纸" in client.get("/funding/spending/?page=last").content.decode(), "every page of the list"
    filtered = client.get("/funding/spending/?category=publicity").content.decode()
    assert "复印纸" not in filtered, "another filter is another piece"


def test_the_spending_list_without_a_number_is_written_afresh_each_time(client_for):
    DataVersion.objects.filter(table=GROUP).delete()
    entry = SpendingFactory(description="打印纸")
    DataVersion.objects.filter(table=GROUP).delete()  # the factory's write gave it one again
    client = client_for("finance")
    assert "打印纸" in client.get("/funding/spending/").content.decode()
    Spending.objects.filter(pk=entry.pk).update(description="复印纸")
    DataVersion.objects.filter(table=GROUP).delete()
    assert "复印纸" in client.get("/funding/spending/").content.decode()
