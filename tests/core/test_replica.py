"""Reports, dashboards, figure lists and exports read from a streaming replica when one is configured
(DATABASE_REPLICA_URL → the `replica` alias, core.replica); every write still goes to the primary.

Here the replica alias mirrors the test database (legalaid/test_settings.py), so the figures must come out the
same while the queries are seen on the replica's connection."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from core.replica import ALIAS, read_alias, reading_replica
from tests.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def replica_on(settings):
    settings.READ_FROM_REPLICA = True
    yield
    connections[ALIAS].close()


def test_only_code_inside_reading_replica_reads_from_it_and_writes_never_do(org, replica_on):
    from cases.models import Case

    case = make_case()
    assert read_alias() == "default"
    with reading_replica() as alias, CaptureQueriesContext(connections[ALIAS]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        assert alias == ALIAS
        loaded = Case.objects.get(pk=case.pk)
        assert loaded._state.db == ALIAS
        loaded.opposing_party = "某公司"
        loaded.save(update_fields=["opposing_party"])  # a record read from the replica is saved to the primary
    assert any("SELECT" in q["sql"] for q in on_replica.captured_queries)
    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in on_replica.captured_queries)
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)


def test_off_by_default_and_without_the_alias(org, settings):
    settings.READ_FROM_REPLICA = False
    with reading_replica() as alias:
        assert alias == "default"


def test_the_dashboard_figure_lists_reports_and_exports_read_from_the_replica(org, director, client_for,
                                                                              replica_on, tmp_path, settings):
    from ledger.models import ExportJob
    from reports.builder import build
    from reports.periods import parse_period

    for _i in range(3):
        make_case()
    client = client_for("director")
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        dashboard = client.get("/reports/")
        listing = client.get("/reports/figures/cases.accepted/")
    assert dashboard.status_code == 200 and listing.status_code == 200
    sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "cases_case" in sql and ("SUM(" in sql.upper() or "COUNT(" in sql.upper())

    with CaptureQueriesContext(connections[ALIAS]) as on_replica, reading_replica():
        data = build(parse_period(str(make_case().accepted_on.year)), None, xlsx_path=tmp_path / "r.xlsx")
    assert data.values["cases.accepted"] == 4
    assert any("REPEATABLE READ" in q["sql"] for q in on_replica.captured_queries)  # the snapshot is there too

    settings.EXPORT_BACKGROUND_ROWS = 1
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        assert client.get("/cases/?export=xlsx").status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows == 4
    assert any("cases_case" in q["sql"] for q in on_replica.captured_queries)
