"""Each workbench panel of applications opens the list of exactly the applications it counts (STATISTICS.md: "a
count equals the list's total"), and its overdue line the overdue ones among them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

pytestmark = pytest.mark.django_db


def _links(page: str) -> list[tuple[str, str]]:
    return [(m.group(2), m.group(1).replace("&amp;", "&"))
            for m in re.finditer(r'href="([^"]+)" data-testid="(panel-all|panel-overdue)"', page)]


def test_the_window_panel_opens_its_applications_and_its_overdue_line_the_overdue_ones(make_app, client_for):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        late = make_app(received_on=dt.date(2026, 3, 2))
    with freeze_time("2026-03-23 10:00:00+08:00"):
        fresh = make_app(received_on=dt.date(2026, 3, 23))
        c = client_for("clerk")
        links = _links(c.get(reverse("home")).content.decode())
        window = [url for kind, url in links if kind == "panel-all" and "phase=received" in url]
        assert window == ["/intake/applications/?phase=received&phase=incomplete"]
        assert {a.pk for a in c.get(window[0]).context["page_obj"]} == {late.pk, fresh.pk}
        overdue = [url for kind, url in links if kind == "panel-overdue" and "phase=received" in url]
        assert overdue, "the late application's review is overdue on the workbench"
        assert [a.pk for a in c.get(overdue[0]).context["page_obj"]] == [late.pk]


def test_the_phase_filter_takes_several_phases_and_refuses_an_unknown_one(make_app, client_for):
    app = make_app()
    c = client_for("clerk")
    url = reverse("intake:application_list")
    assert [a.pk for a in c.get(url + "?phase=received&phase=draft").context["page_obj"]] == [app.pk]
    assert c.get(url + "?phase=nonsense").status_code == 200
