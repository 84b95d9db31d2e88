"""Two clerks importing the same ledger at the same moment must not add its rows twice."""

import threading

from django.db import connection

from intake.models import Consultation
from ledger.importing import import_ledger
from tests.ledger.builders import build_ledger, consultation_row


def test_the_same_file_imported_twice_at_once_adds_its_rows_once(transactional_db, org, tmp_path):
    path = build_ledger(tmp_path / "same.xlsx", {"咨询": [consultation_row(日期=f"2025-03-0{i % 9 + 1}")
                                                         for i in range(30)]})
    errors = []

    def run():
        try:
            import_ledger(path)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert Consultation.objects.count() == 30
