"""Migration cases.0021: reviews recorded before it get the dates of the submission they reviewed from the case's
history, and an archived case gets back the archive_due its archiving cleared (reports/DECISIONS.md, Cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases import rules, services
from cases.models import ArchiveReview, Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = ("cases", "0020_stage_letter")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_reviews_recorded_before_the_dates_were_kept_get_them_from_the_case_history(org, clerk, reviewer,
                                                                                    handler_profile):
    from core.periods import parse_period
    from reports import indicators as ind

    case = make_case(accepted_on=dt.date(2025, 12, 1))
    services.case_assign(case=case, handler=handler_profile, on=dt.date(2025, 12, 2), by=clerk)
    case.refresh_from_db()
    services.case_close(case=case, closed_on=dt.date(2026, 1, 5), outcome="mediation", closing_report="调解结案。",
                        by=clerk)
    case.refresh_from_db()
    services.case_submit_file(case=case, submitted_on=dt.date(2026, 1, 10), by=clerk)
    case.refresh_from_db()
    first = {"file_due": case.file_due, "submitted_on": case.file_submitted_on, "archive_due": case.archive_due}
    services.case_archive_review(case=case, result="returned", checklist={}, on=dt.date(2026, 4, 15), by=reviewer,
                                 reasons="缺少征询意见表")
    case.refresh_from_db()
    services.case_submit_file(case=case, submitted_on=dt.date(2026, 4, 20), by=clerk)
    case.refresh_from_db()
    archive_due = case.archive_due
    services.case_archive_review(case=case, result="passed", checklist={c: True for c, _l in rules.archive_items(case)},
                                 on=dt.date(2026, 4, 25), by=reviewer)
    # as recorded before the migration: no dates on the reviews, archiving cleared archive_due
    ArchiveReview.objects.update(file_due=None, submitted_on=None, archive_due=None)
    Case.objects.filter(pk=case.pk).update(archive_due=None)
    q1 = parse_period("2026-01-01:2026-03-31")
    assert ind.compute_all(q1)["cases.overdue_at_end"] == 0

    try:
        _migrate([BEFORE])
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    returned = ArchiveReview.objects.get(result="returned")
    assert {"file_due": returned.file_due, "submitted_on": returned.submitted_on,
            "archive_due": returned.archive_due} == first
    assert ArchiveReview.objects.get(result="passed").submitted_on == dt.date(2026, 4, 20)
    assert Case.objects.get(pk=case.pk).archive_due == archive_due
    assert ind.compute_all(q1)["cases.overdue_at_end"] == 1
