"""Case numbers stay unique and gapless when twenty clerks save at once (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connection, connections, transaction

from cases.models import Case
from tests.factories import PersonFactory


@pytest.mark.django_db(transaction=True)
def test_twenty_cases_opened_at_once_get_twenty_consecutive_numbers(org):
    from cases.services import case_open

    people = [PersonFactory() for _ in range(20)]
    barrier = threading.Barrier(20)
    numbers, errors = [], []

    def open_one(person):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                case = case_open(recipient=person, category="civil", accepted_on=dt.date(2025, 6, 1),
                                 cause="labour_pay", stage="first_instance", aid_form="civil_litigation")
            numbers.append((case.seq, case.number))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    seqs = sorted(seq for seq, _n in numbers)
    assert seqs == list(range(1, 21))
    assert len({n for _s, n in numbers}) == 20
    assert all(re.fullmatch(r"（2025）示法援民字第\d+号", n) for _s, n in numbers)
    assert Case.objects.filter(year=2025, category="civil").count() == 20
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_documents_are_numbered_gapless_per_kind_at_once(org):
    from core.numbering import issue_document_number

    barrier = threading.Barrier(10)
    out, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                out.append(issue_document_number(kind="assignment", year=2025))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    seqs = sorted(int(re.search(r"第(\d+)号", n).group(1)) for n in out)
    assert seqs == list(range(1, 11))
    assert all("援指字" in n for n in out)
