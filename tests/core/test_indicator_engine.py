"""The indicator engine's query shape (core/indicators.py): the WHERE of a family's query is the fewest
conditions that hold every counted row, subqueries stay out of it, and the figures do not move."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from cases.models import Case, FollowUp, HearingAttendance
from core.indicators import Measure, any_of, subqueries_of
from reports import indicators as ind
from reports.periods import parse_period
from tests.reports import dataset

Y = Q(accepted_on__gte=date(2025, 1, 1), accepted_on__lte=date(2025, 12, 31))
CLOSED = Q(closed_on__gte=date(2025, 1, 1), closed_on__lte=date(2025, 12, 31))


def test_a_condition_inside_another_is_left_out_of_the_where():
    got = any_of([Y, Y & Q(category="criminal"), Y & Q(category="civil"), CLOSED & Q(category="civil"), CLOSED])
    assert got == Y | CLOSED


def test_an_or_is_read_branch_by_branch_and_each_branch_can_be_absorbed():
    open_ = Q(closed_on__isnull=True)
    overdue = (open_ & Q(assign_due__lt=date(2025, 12, 31))) | (CLOSED & Q(file_submitted_on__isnull=True))
    assert any_of([open_, overdue, CLOSED]) == open_ | CLOSED


def test_an_empty_condition_reads_the_whole_family():
    assert any_of([Y, Q()]) == Q()


def test_a_term_naming_a_subquery_is_left_out_and_the_rest_kept():
    names = {"has_followup"}
    assert any_of([CLOSED & Q(has_followup=True)], names) == CLOSED
    # a negated or or-ed subquery term cannot be split off: the whole family is read (never fewer rows)
    assert any_of([~Q(has_followup=True)], names) == Q()
    assert any_of([CLOSED & (Q(has_followup=True) | Q(is_mass=True))], names) == CLOSED
    # an Exists written straight into a condition is a subquery too
    assert any_of([CLOSED & Q(Exists(FollowUp.objects.filter(case=OuterRef("pk"))))], {"*"}) == CLOSED


def test_subqueries_of_names_the_exists_aliases_of_a_family():
    qs = Case.objects.alias(followed=Exists(FollowUp.objects.filter(case=OuterRef("pk"))))
    assert subqueries_of(qs) == {"*", "followed"}


@pytest.mark.django_db
def test_each_family_is_one_query_without_a_subquery_per_row(org):
    """PostgreSQL aggregates a family in parallel only when no condition runs a subquery per row (EXISTS):
    follow-ups and hearings are columns kept on the case, a late agreement and a paused review are read
    once per query (found_in)."""
    p = parse_period("2025")
    closed = dataset.case(accepted_on=date(2025, 2, 1), status="closed", closed_on=date(2025, 3, 1),
                          is_litigation=True)
    FollowUp.objects.create(case=closed, date=date(2025, 3, 5), satisfaction="satisfied")
    HearingAttendance.objects.create(case=closed, date=date(2025, 2, 20), attendee="周主任")
    dataset.case(accepted_on=date(2025, 2, 2), status="closed", closed_on=date(2025, 3, 2))
    with CaptureQueriesContext(connection) as ctx:
        values = ind.compute(p)
    sql = [q["sql"] for q in ctx.captured_queries]
    families = {fam.key for fam in (m.family for m in ind.REGISTRY if isinstance(m, Measure))}
    assert len(sql) == len(families)
    assert not [q for q in sql if "EXISTS" in q]
    assert any("= ANY(ARRAY(SELECT" in q and 'FROM "cases_assignment"' in q for q in sql)
    assert any("= ANY(ARRAY(SELECT" in q and 'FROM "intake_supplementnotice"' in q for q in sql)
    assert values["cases.closed"] == 2
    assert values["followups.total"] == 1
    assert values["quality.hearings"] == 1
