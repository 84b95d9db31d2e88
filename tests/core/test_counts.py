"""The navigation's to-do counts come from a shared cache, made afresh after any saved change and made
directly when the cache cannot be reached (issue 14: no full count per page view)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import counts
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def badge(client) -> int:
    html = client.get("/cases/").content.decode()
    head = html[html.index("navbar"):html.index("</nav>")]
    import re

    found = re.search(r'href="/cases/">[^<]*(?:<i[^>]*></i>)?[^<]*<span class="badge[^>]*>(\d+)</span>', head)
    return int(found.group(1)) if found else 0


def test_the_badge_is_counted_once_then_read_from_the_cache(org, client_for):
    make_case()
    client = client_for("clerk")
    client.get("/cases/")
    with CaptureQueriesContext(connection) as first:
        client.get("/cases/")
    todo = [q for q in first.captured_queries if "cases_case" in q["sql"] and "COUNT(*) AS" in q["sql"]]
    assert todo == []  # the second page view counts nothing for the badge


def test_a_saved_change_shows_in_the_badge_at_once(org, client_for, clerk):
    client = client_for("clerk")
    before = badge(client)
    make_case()  # a new case waits for the clerk's assignment
    assert badge(client) == before + 1


def test_without_the_cache_the_count_is_made_directly(org, client_for, monkeypatch):
    make_case()

    class Broken:
        def __getattr__(self, name):
            raise ConnectionError("cache down")

    monkeypatch.setattr(counts, "_cache", lambda: Broken())
    assert counts.cached_count("x", org["users"]["clerk"], lambda: 7) == 7
    response = client_for("clerk").get("/cases/")
    assert response.status_code == 200
    counts.invalidate(sender=type(org["users"]["clerk"]))  # never raises either


def test_settled_figures_are_served_a_while_after_a_change_then_made_afresh(org, settings, monkeypatch):
    """Dashboard figures on a busy province: a change does not recompute them on every view, only once the
    settle window has passed; without a change they last COUNTS_CACHE_SECONDS."""
    from stations.models import Station

    settings.FIGURES_SETTLE_SECONDS, settings.COUNTS_CACHE_SECONDS = 30, 60
    clock = [1000.0]
    monkeypatch.setattr(counts.time, "time", lambda: clock[0])
    made = []

    def make():
        made.append(1)
        return len(made)

    assert counts.cached("figures", "x", make, settle=True) == 1
    clock[0] += 10
    assert counts.cached("figures", "x", make, settle=True) == 1  # unchanged, fresh
    Station.objects.create(name="新站", code="new-a")  # a change: the generation moves
    assert counts.cached("figures", "x", make, settle=True) == 1  # made 10 s ago: still served
    clock[0] += 25
    assert counts.cached("figures", "x", make, settle=True) == 2  # 35 s old after a change: made afresh
    clock[0] += 59
    assert counts.cached("figures", "x", make, settle=True) == 2  # no change since: kept up to 60 s
    clock[0] += 2
    assert counts.cached("figures", "x", make, settle=True) == 3
    settings.FIGURES_SETTLE_SECONDS = 0
    Station.objects.create(name="又一站", code="new-b")
    assert counts.cached("figures", "x", make, settle=True) == 4  # no window: every change counts at once
