"""Two clerks importing the same ledger at the same moment must not add its rows twice."""

from intake.models import Consultation
from ledger.importing import import_ledger
from tests.helpers import at_once
from tests.ledger.builders import build_ledger, consultation_row


def test_the_same_file_imported_twice_at_once_adds_its_rows_once(transactional_db, org, tmp_path):
    path = build_ledger(tmp_path / "same.xlsx", {"咨询": [consultation_row(日期=f"2025-03-0{i % 9 + 1}")
                                                         for i in range(30)]})
    _results, errors = at_once(import_ledger, [(path,)] * 2)
    assert errors == []
    assert Consultation.objects.count() == 30
