"""Migration cases.0024: every numbered legal-aid letter of an assignment gets the due date a new one gets
(services.assignment_letter_due): the first assignment's by the assignment deadline or on a late assignment's day,
a change of handler's 3 days from the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases import services
from cases.models import Assignment, Case
from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _notice_case(received_on):
    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                   received_on=received_on, ground="other")
    return make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft", accepted_on=received_on,
                     recipient=notice.person)


def test_letters_issued_before_the_due_date_was_kept_get_it(org, clerk, handler_profile, other_handler):
    in_time, late = _notice_case(D(2025, 11, 10)), _notice_case(D(2025, 11, 3))
    services.case_assign(case=in_time, handler=handler_profile, on=D(2025, 11, 11), by=clerk)
    services.case_change_handler(case=Case.objects.get(pk=in_time.pk), handler=other_handler, on=D(2025, 11, 17),
                                 reason="回避", by=clerk)
    services.case_assign(case=late, handler=handler_profile, on=D(2025, 11, 10), by=clerk)
    civil = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=civil, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    expected = dict(Assignment.objects.values_list("pk", "letter_due"))
    assert sorted(d for d in expected.values() if d) == [D(2025, 11, 10), D(2025, 11, 13), D(2025, 11, 20)]
    try:
        _migrate([("cases", "0023_assignment_proposal_change")])
        _migrate([("cases", "0024_assignment_letter_due")])
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert dict(Assignment.objects.values_list("pk", "letter_due")) == expected
