"""Case numbers stay unique and gapless when twenty clerks save at once (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction

from cases.models import Case
from tests.factories import PersonFactory
from tests.helpers import at_once


@pytest.mark.django_db(transaction=True)
def test_twenty_cases_opened_at_once_get_twenty_consecutive_numbers(org):
    from cases.services import case_open

    def open_one(person):
        with transaction.atomic():
            case = case_open(recipient=person, category="civil", accepted_on=dt.date(2025, 6, 1),
                             cause="labour_pay", stage="first_instance", aid_form="civil_litigation")
        return case.seq, case.number

    numbers, errors = at_once(open_one, [(PersonFactory(),) for _ in range(20)])
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

    def issue():
        with transaction.atomic():
            return issue_document_number(kind="assignment", year=2025)

    out, errors = at_once(issue, [()] * 10)
    assert not errors
    seqs = sorted(int(re.search(r"第(\d+)号", n).group(1)) for n in out)
    assert seqs == list(range(1, 11))
    assert all("援指字" in n for n in out)
