"""Click-through: every figure opens the list of exactly the records it counts (reports/drilldown.py).

A count equals its list's total, a 人次 or money figure its list's sum row, a total the sum of its parts'
lists, and a rate names its parts and shows its numerator's list."""

from __future__ import annotations

import pytest

from core.indicators import CENTER, Measure, Ratio, Total
from reports import indicators as ind
from reports.links import indicator_url
from reports.periods import parse_period
from tests.helpers import queries_for
from tests.reports import dataset

H1 = parse_period("2025H1", today=parse_period("2025").end)


def test_every_figure_has_a_link(org):
    assert [code for code in ind.CODES if indicator_url(code, H1) is None] == []


def _listed(section) -> object:
    return section.sum_value if section.measure.sum_field else section.total


def check_every_figure_equals_its_list(client, p, station=None) -> dict:
    """{code: (figure, what its list adds up to)} for every indicator whose list disagrees."""
    values = ind.compute_all(p, None if station is None else station)
    wrong = {}
    for code in ind.CODES:
        response = client.get(indicator_url(code, p, station))
        assert response.status_code == 200, code
        ctx = response.context
        item = ind.REGISTRY[code]
        assert ctx["value"] == values[code], code
        sections = ctx["sections"]
        if isinstance(item, Measure):
            if ctx.get("county_only"):
                assert values[code] is None, code
                continue
            got = _listed(sections[0])
        elif isinstance(item, Total):
            got = sum(_listed(s) for s in sections)
        else:
            assert isinstance(item, Ratio)
            assert [part["code"] for part in ctx["parts"]] == item.parts, code
            assert {part["code"]: part["value"] for part in ctx["parts"]} == {c: values[c] for c in item.parts}
            num = ind.REGISTRY[item.numerator]
            if sections:
                assert _listed(sections[0]) == values[num.code], code
            continue
        if got != values[code]:
            wrong[code] = (values[code], got)
    return wrong


def test_every_figure_equals_its_list_for_the_county(client_for, data):
    c = client_for("director")
    assert check_every_figure_equals_its_list(c, H1) == {}
    html = c.get(indicator_url("cases.accepted", H1)).content.decode()
    assert 'data-code="cases.accepted">6<' in html
    assert "合计 6 条" in html


def test_every_figure_equals_its_list_for_a_station_and_for_the_center(client_for, data, station_a):
    c = client_for("director")
    assert check_every_figure_equals_its_list(c, H1, station_a) == {}
    assert check_every_figure_equals_its_list(c, H1, CENTER) == {}


def test_a_sum_figure_shows_its_sum_row_and_a_total_shows_its_parts(client_for, data):
    c = client_for("director")
    values = ind.compute(H1)
    response = c.get(indicator_url("consultations.total", H1))
    assert response.context["sections"][0].footer[3] == str(values["consultations.total"])
    response = c.get(indicator_url("services.total", H1))
    parts = {p["code"]: p["value"] for p in response.context["parts"]}
    assert sum(parts.values()) == values["services.total"]
    assert [s.measure.code for s in response.context["sections"]] == list(ind.REGISTRY["services.total"].parts)
    html = response.content.decode()
    assert "这个数字是下列数字之和" in html or "sum of the figures below" in html


def test_a_rate_names_its_parts_and_opens_its_numerators_list(client_for, data):
    c = client_for("director")
    response = c.get(indicator_url("rate.closure", H1))
    assert [p["code"] for p in response.context["parts"]] == ["cases.closed", "cases.accepted"]
    assert response.context["sections"][0].measure.code == "cases.closed"


def test_station_staff_get_their_own_stations_list_whatever_they_ask(client_for, data, station_a, station_b):
    c = client_for("staff_a")
    url = indicator_url("cases.accepted", H1, station_b)
    response = c.get(url)
    assert response.status_code == 200
    assert response.context["station"] == station_a
    assert response.context["value"] == ind.compute(H1, station_a)["cases.accepted"]


@pytest.mark.parametrize("query", ["period=2999", "period=abc", "period=1980", "period=2025&as_of=zzz",
                                   "period=2025-13-01:2025-12-31", "page=-1&period=2025H1", "station=999999"])
def test_bad_parameters_get_a_clear_answer_not_a_500(client_for, data, query):
    response = client_for("director").get(f"/reports/figures/cases.accepted/?{query}")
    assert response.status_code in (200, 400, 404)
    if response.status_code == 400:
        assert response.context["error"]


def test_an_unknown_indicator_is_404_and_others_may_not_look(client_for, data, outsider, handler):
    from django.test import Client

    assert client_for("director").get("/reports/figures/no.such/?period=2025").status_code == 404
    c = Client()
    c.force_login(outsider)
    assert c.get(indicator_url("cases.accepted", H1)).status_code == 403
    assert client_for("handler").get(indicator_url("cases.accepted", H1)).status_code == 403
    assert client_for("anonymous").get(indicator_url("cases.accepted", H1)).status_code == 302


def test_the_figure_page_has_a_fixed_number_of_queries(client_for, data):
    c = client_for("director")
    few = queries_for(c, indicator_url("services.total", H1))
    assert few <= 40
    dataset.case(accepted_on=dataset.D(2025, 2, 2))
    dataset.case(accepted_on=dataset.D(2025, 2, 3))
    assert queries_for(c, indicator_url("services.total", H1)) == few


def test_finance_sees_the_figures_lists_without_peoples_names(client_for, data):
    """Finance has the dashboard but does not work with people: the lists keep their totals, not the names."""
    director = client_for("director").get(indicator_url("cases.accepted", H1)).context
    finance = client_for("finance").get(indicator_url("cases.accepted", H1)).context
    assert finance["sections"][0].total == director["sections"][0].total == 6
    names = {row["cells"][3]["text"] for row in finance["sections"][0].rows}
    assert names == {"—"} and all(row["url"] is None for row in finance["sections"][0].rows)
    assert {row["cells"][3]["text"] for row in director["sections"][0].rows} != {"—"}
