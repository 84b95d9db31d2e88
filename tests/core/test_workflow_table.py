"""core.workflow: a guard written once as a Q decides one row in Python exactly as it filters in SQL, and the
table's refusals are a 403 for who and a message for when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.workflow import WORKFLOW, pending_proposal_exists
from core.workflow import Phase, Step, Workflow, matches
from tests.factories import make_case

pytestmark = pytest.mark.django_db

QS = [
    Q(status="awaiting"), ~Q(status="awaiting"), Q(status__in=["closed", "archived"]),
    Q(assign_due__lt=dt.date(2025, 11, 6)), Q(assign_due__lte=dt.date(2025, 11, 6)),
    Q(assign_due__gt=dt.date(2025, 11, 6)), Q(assign_due__gte=dt.date(2025, 11, 6)),
    Q(assign_due__range=(dt.date(2025, 11, 1), dt.date(2025, 11, 6))), Q(handler__isnull=True),
    Q(closed_on__isnull=True) | Q(grade="A"), Q(station__isnull=False, category="civil") & ~Q(green_channel=True),
    Q(recipient__name="张三"),
]


def test_each_lookup_decides_a_row_as_sql_filters_it(org):
    cases = [make_case(accepted_on=dt.date(2025, 11, d), station=org["stations"]["station-a"] if d % 2 else None,
                       green_channel=d % 3 == 0) for d in range(1, 7)]
    rows = list(Case.objects.filter(pk__in=[c.pk for c in cases]))
    for q in QS:
        assert ({c.pk for c in rows if matches(c, q)}
                == set(Case.objects.filter(pk__in=[c.pk for c in cases]).filter(q).values_list("pk", flat=True))), q


def test_an_exists_is_decided_only_when_the_plain_lookups_leave_it_open(org):
    case = make_case(accepted_on=dt.date(2025, 11, 3))
    case.status = "closed"  # not awaiting: the status decides, no query for the proposals
    with CaptureQueriesContext(connection) as queries:
        assert not matches(case, Q(pending_proposal_exists(), status="awaiting"))
    assert len(queries) == 0
    case.status = "awaiting"
    with CaptureQueriesContext(connection) as queries:
        assert not matches(case, Q(pending_proposal_exists(), status="awaiting"))
    assert len(queries) == 1
    case.awaiting_approval = True  # annotated by a list: no query either
    with CaptureQueriesContext(connection) as queries:
        assert matches(case, Q(pending_proposal_exists(), status="awaiting"))
    assert len(queries) == 0


def test_who_is_a_refusal_and_when_is_a_message(org, clerk, staff_a):
    case = make_case(accepted_on=dt.date(2025, 11, 3))
    with pytest.raises(PermissionDenied):
        WORKFLOW.authorize(staff_a, case, "terminate")
    WORKFLOW.authorize(org["users"]["reviewer"], case, "terminate")
    with pytest.raises(ValidationError, match="结案|案件"):
        WORKFLOW.check(case, "close")
    case.status = "closed"
    case.file_submitted_on = dt.date(2025, 11, 20)
    with pytest.raises(ValidationError) as refused:
        WORKFLOW.check(case, "submit_file")
    assert str(WORKFLOW["submit_file"].blocked) in refused.value.messages[0]


def test_a_table_refuses_a_phase_naming_an_unknown_step_and_two_steps_with_one_action():
    with pytest.raises(ValueError):
        Workflow("x", "status", Case.Status, [Step("a", "A")], [Phase("p", "P", Q(), step="b")])
    with pytest.raises(ValueError):
        Workflow("x", "status", Case.Status, [Step("a", "A"), Step("a", "B")])
