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
