"""Selects of thousands (handlers, stations) are chosen by type-ahead: a list page reads none of them unless
some are chosen, and then only those (core.filters.ByName, LookupMultipleChoiceFilter); list rows read a
vocabulary's label without building every choice (the `label` filter)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from cases.filters import CaseFilter
from cases.models import Case
from core.filters import picker
from stations.models import Handler, Station
from tests import factories as f

pytestmark = pytest.mark.django_db


def _tables(ctx) -> str:
    return " ".join(q["sql"] for q in ctx.captured_queries)


def test_junk_keys_in_the_lookup_filters_are_a_message_not_an_error(client_for):
    client = client_for("director")
    for query in ("handler=%C2%B2", "station=%EF%BC%91%EF%BC%92", "handler=" + "9" * 40, "station=center&station=x"):
        response = client.get(f"/cases/?{query}")
        assert response.status_code == 200, query
        assert "is-invalid" in response.content.decode(), query


def test_the_case_list_reads_no_handler_or_station_unless_one_is_chosen(client_for):
    client = client_for("director")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/cases/?status=closed").content.decode()
    assert 'FROM "stations_handler"' not in _tables(ctx) and 'FROM "stations_station"' not in _tables(ctx)
    assert 'name="handler"' in html  # the type-ahead select is there, empty


def test_a_chosen_handler_and_station_are_read_by_key_and_shown(client_for, org, station_a):
    handler = Handler.objects.order_by("pk").first()
    client = client_for("director")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/cases/?handler={handler.pk}&station={station_a.pk}&station=center").content.decode()
    sql = [q["sql"] for q in ctx.captured_queries if 'FROM "stations_handler"' in q["sql"]
           and '"stations_handler"."name"' in q["sql"] and "IN (" in q["sql"]]
    assert sql, "the chosen handler is read by its key"
    assert f'<option value="{handler.pk}" selected>{handler.name}</option>' in html
    assert f'<option value="{station_a.pk}" selected>{station_a.name}</option>' in html


def test_an_unknown_key_is_refused_like_any_choice(org):
    missing = (Handler.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    for junk in (str(missing), "²", "１２", "9" * 30, "-1", " 1"):
        bad = CaseFilter({"handler": [junk]}, queryset=Case.objects.all())
        assert not bad.is_valid() and "handler" in bad.errors, junk
    good = CaseFilter({"station": ["center", str(Station.objects.order_by("pk").first().pk)]},
                      queryset=Case.objects.all())
    assert good.is_valid(), good.errors


def test_pick_returns_the_extra_and_the_rows_of_the_keys_only(org, station_a, station_b):
    stations = picker(CaseFilter().form.fields["station"].choices)
    picked = stations.pick(["center", str(station_b.pk), "nonsense"])
    assert [v for v, _label in picked] == ["center", str(station_b.pk)]
    assert picked[1][1] == station_b.name
    assert stations.pick([]) == []
    assert {v for v, _label in stations()} >= {"center", str(station_a.pk), str(station_b.pk)}


def test_label_is_the_display_of_the_field(org):
    case = f.make_case(accepted_on=dt.date(2025, 4, 10))
    Case.objects.filter(pk=case.pk).update(cause="labour_pay", stage="first_instance", outcome="mediation")
    case.refresh_from_db()
    template = Template('{% load legalaid %}{{ c|label:"cause" }}|{{ c|label:"stage" }}|{{ c|label:"outcome" }}|'
                       '{{ c|label:"category" }}|{{ c|label:"role" }}')
    expected = "|".join(str(getattr(case, f"get_{n}_display")())
                        for n in ("cause", "stage", "outcome", "category", "role"))
    assert template.render(Context({"c": case})) == expected
    assert "劳动" in expected or "labour" in expected.lower()
