"""Click-through: a figure's link opens the list of exactly the records behind it."""

from __future__ import annotations

import pytest

from reports import indicators as ind
from reports.links import indicator_url
from reports.periods import parse_period
from tests.reports import dataset

H1 = parse_period("2025H1")
# Counts whose list is the same set of records (sums, rates and levels link to the records they are built from).
COUNTED = [code for code, _n, unit in ind.INDICATORS if unit == "件"] + [
    "publicity.events", "publicity.media_reports", "publicity.media_reports.city_plus", "quality.discussions"]
# No list filters these exactly: no "has a hearing / follow-up" filter, and "open / overdue at the end
# date" is only available as today's status.
NOT_EXACT = {"cases.overdue_at_end", "cases.open_at_end",
             "quality.hearings", "followups.total", "matters.drafting", "subsidy.paid.cases",
             }


@pytest.fixture
def data(org, station_a):
    return dataset.build(station_a)


def test_every_figure_has_a_link(org):
    assert [code for code in ind.CODES if indicator_url(code, H1) is None] == []


def test_the_list_behind_a_count_holds_exactly_that_many_records(client_for, data):
    c = client_for("director")
    values = ind.compute(H1)
    wrong = {}
    for code in COUNTED:
        if code in NOT_EXACT:
            continue
        response = c.get(indicator_url(code, H1))
        assert response.status_code == 200, code
        count = response.context["page_obj"].paginator.count
        if count != values[code]:
            wrong[code] = (values[code], count)
    assert wrong == {}
