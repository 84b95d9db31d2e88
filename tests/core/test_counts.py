"""The navigation's to-do counts come from a shared cache, made afresh after any saved change and made
directly when the cache cannot be reached (issue 14: no full count per page view)."""

from __future__ import annotations

import uuid

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
    settle window has passed, and then beside the page (which gets the value it had); without a change they
    last COUNTS_CACHE_SECONDS."""
    from stations.models import Station

    settings.FIGURES_SETTLE_SECONDS, settings.COUNTS_CACHE_SECONDS = 30, 60
    clock = [1000.0]
    monkeypatch.setattr(counts.time, "time", lambda: clock[0])
    refreshes = []
    monkeypatch.setattr(counts, "_start", refreshes.append)  # run by hand below, as the thread would
    made = []

    def make():
        made.append(1)
        return len(made)

    assert counts.cached("figures", "x", make, settle=True) == 1  # nothing yet: made for this page
    clock[0] += 10
    assert counts.cached("figures", "x", make, settle=True) == 1  # unchanged, fresh
    Station.objects.create(name="新站", code="new-a")  # a change: the generation moves
    assert counts.cached("figures", "x", make, settle=True) == 1  # made 10 s ago: still served
    assert refreshes == []
    clock[0] += 25
    assert counts.cached("figures", "x", make, settle=True) == 1  # 35 s old after a change: served, and …
    assert counts.cached("figures", "x", make, settle=True) == 1  # … one refresh started, not two
    assert len(refreshes) == 1 and made == [1]
    refreshes.pop()()
    assert counts.cached("figures", "x", make, settle=True) == 2  # the refreshed value
    clock[0] += 59
    assert counts.cached("figures", "x", make, settle=True) == 2  # no change since: kept up to 60 s
    clock[0] += 2
    assert counts.cached("figures", "x", make, settle=True) == 2
    refreshes.pop()()
    assert counts.cached("figures", "x", make, settle=True) == 3
    clock[0] += 3600  # not viewed for an hour: the kept value at once, made afresh beside the page
    assert counts.cached("figures", "x", make, settle=True) == 3
    refreshes.pop()()
    assert counts.cached("figures", "x", make, settle=True) == 4
    assert counts.settled_at("figures", "x") == clock[0]
    clock[0] += settings.FIGURES_KEEP_SECONDS + 1  # gone from the cache: PostgreSQL's copy, made afresh beside
    assert counts.cached("figures", "x", make, settle=True) == 4 and len(refreshes) == 1
    refreshes.pop()()
    assert counts.cached("figures", "x", make, settle=True) == 5
    settings.FIGURES_SETTLE_SECONDS = 0
    Station.objects.create(name="又一站", code="new-b")
    assert counts.cached("figures", "x", make, settle=True) == 6  # no window: every change counts at once
    counts._cache().clear()
    assert counts.cached("figures", "x", make, settle=True) == 7  # … and no copy served in its place


def test_a_new_redis_serves_the_copy_kept_in_postgresql_and_makes_it_afresh_beside(org, settings, monkeypatch):
    """A flushed or new Redis (issue 14): the figures' last value comes from core.KeptFigures in one query,
    the page does not make them; the refresh beside it writes both the cache and the copy."""
    from core.models import KeptFigures

    settings.FIGURES_SETTLE_SECONDS, settings.COUNTS_CACHE_SECONDS = 30, 60
    refreshes = []
    monkeypatch.setattr(counts, "_start", refreshes.append)
    made = []

    def make():
        made.append(1)
        return {"cases": len(made), "amount": "12.50"}

    assert counts.cached("figures", "k", make, settle=True) == {"cases": 1, "amount": "12.50"}
    assert KeptFigures.objects.get(key="settled:figures:k").made_at is not None
    counts._cache().clear()  # a new Redis, a minute later
    later = counts.time.time() + 60
    monkeypatch.setattr(counts.time, "time", lambda: later)
    with CaptureQueriesContext(connection) as ctx:
        value = counts.cached("figures", "k", make, settle=True)
    assert value == {"cases": 1, "amount": "12.50"} and made == [1]  # the copy, not made for the page
    assert [q for q in ctx.captured_queries if "core_keptfigures" in q["sql"]] != []
    assert len(refreshes) == 1 and counts.settled_at("figures", "k") is not None
    refreshes.pop()()
    assert counts.cached("figures", "k", make, settle=True)["cases"] == 2
    counts._cache().clear()
    assert counts.cached("figures", "k", make, settle=True)["cases"] == 2  # the refreshed copy
    assert KeptFigures.objects.filter(key__startswith="settled:figures:").count() == 1


def test_redis_stopped_serves_the_figures_copy_and_makes_it_afresh_once_per_window(org, settings, monkeypatch):
    """A stopped Redis: a province's dashboard is not made on every view. Its copy in PostgreSQL is served (with
    its time), made afresh beside the page at most once per settle window in each process."""
    from core.models import KeptFigures

    settings.FIGURES_SETTLE_SECONDS = 30
    clock = [5000.0]
    monkeypatch.setattr(counts.time, "time", lambda: clock[0])
    monkeypatch.setattr(counts, "_uncached_refreshes", {})
    refreshes = []
    monkeypatch.setattr(counts, "_start", refreshes.append)

    class Broken:
        def __getattr__(self, name):
            raise ConnectionError("cache down")

    monkeypatch.setattr(counts, "_cache", lambda: Broken())
    made = []

    def make():
        made.append(1)
        return len(made)

    assert counts.cached("figures", "r", make, settle=True) == 1  # no copy yet: made for the page, and kept
    assert KeptFigures.objects.filter(key="settled:figures:r").exists()
    clock[0] += 40
    assert counts.cached("figures", "r", make, settle=True) == 1  # the copy; one refresh beside the page
    assert counts.cached("figures", "r", make, settle=True) == 1 and len(refreshes) == 1 and made == [1]
    refreshes.pop()()  # the thread: writes the copy (the cache is still down)
    assert counts.cached("figures", "r", make, settle=True) == 2 and refreshes == []
    assert counts.settled_at("figures", "r") == clock[0]  # the page can say when its figures were made
    clock[0] += 31
    assert counts.cached("figures", "r", make, settle=True) == 2 and len(refreshes) == 1
    assert counts.cached("counted", "u", lambda: 7) == 7  # a plain count: made directly, as before
    settings.FIGURES_SETTLE_SECONDS = 0  # no window: made for the page, never an old copy
    assert counts.cached("figures", "r", make, settle=True) == 3


def test_a_failing_making_is_not_made_twice(org, monkeypatch):
    calls = []

    def make():
        calls.append(1)
        raise ValueError("bad figure")

    with pytest.raises(ValueError):
        counts.cached("figures", "f", make, settle=True)
    with pytest.raises(ValueError):
        counts.cached("count", "f", make)
    assert len(calls) == 2


def test_an_unreadable_copy_makes_the_figures_for_the_page(org, settings, monkeypatch):
    from core.models import KeptFigures

    settings.FIGURES_SETTLE_SECONDS = 30
    monkeypatch.setattr(counts, "_start", lambda run: None)
    KeptFigures.objects.create(key="settled:figures:z", value=b"not a pickle", made_at="2026-01-01T00:00Z")
    assert counts.cached("figures", "z", lambda: 9, settle=True) == 9
    assert counts.cached("figures", "z", lambda: 10, settle=True) == 9  # the page's value, cached and kept


def test_a_refresh_in_its_thread_stores_the_value_and_frees_the_lock(org, settings, monkeypatch):
    """The real thread: it makes the value with the page's language and lets the next refresh start."""
    from django.utils import translation

    from stations.models import Station

    settings.FIGURES_SETTLE_SECONDS, settings.COUNTS_CACHE_SECONDS = 1, 60
    scope = uuid.uuid4().hex  # the thread commits its copy (core.KeptFigures): a key of this run alone
    # … and the page's copy, written in this test's transaction, would hold the thread's write until the test
    # ends (the copy has its own test above)
    monkeypatch.setattr(counts, "_keep_copy", lambda *args: None)
    seen = []

    def make():
        seen.append(translation.get_language())
        return len(seen)

    with translation.override("en"):
        assert counts.cached("lang", scope, make, settle=True) == 1
        Station.objects.create(name="新站", code="new-c")
        counts._cache().set(f"settled:lang:{scope}", (0, 0.0, 1), 120)  # made long ago, before the change
        started = []
        original = counts._start

        def start(run):
            original(run)
            started.append(1)

        counts._start = start
        try:
            assert counts.cached("lang", scope, make, settle=True) == 1
        finally:
            counts._start = original
    import time

    for _ in range(100):
        if counts._cache().get(f"refreshing:settled:lang:{scope}") is None and len(seen) == 2:
            break
        time.sleep(0.05)
    assert started == [1] and seen == ["en", "en"]
    assert counts._cache().get(f"settled:lang:{scope}")[2] == 2


def test_the_kept_menu_html_follows_the_role_the_page_and_the_language(org, client_for):
    """base.html keeps the menu's HTML under everything it shows (core.context_processors.shell's nav_key)."""
    import re

    def menu(client, path="/cases/"):
        html = client.get(path).content.decode()
        return html[html.index('data-testid="main-nav"'):html.index('data-testid="user-menu"')]

    director, staff = client_for("director"), client_for("staff_a")
    assert menu(director) != menu(staff)
    assert 'href="/funding/' in menu(director) and 'href="/funding/' not in menu(staff)
    active = re.findall(r'dropdown-item active" href="([^"]+)"', menu(director, "/cases/"))
    assert active == ["/cases/"]
    assert "/cases/" not in re.findall(r'dropdown-item active" href="([^"]+)"', menu(director, "/intake/notices/"))
    zh = menu(director)
    director.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert menu(director) != zh


def test_the_generation_moves_again_when_the_transaction_commits(org):
    """A page that counted between a save and its commit kept the old rows under the new generation: the
    commit moves the generation once more (once per transaction, however many records it saved)."""
    from django.db import connection

    from stations.models import Station

    cache = counts._cache()
    before = counts._generation(cache)
    Station.objects.create(name="甲站", code="gen-a")
    Station.objects.create(name="乙站", code="gen-b")
    saved = counts._generation(cache)
    assert saved >= before + 2  # at once, for each save (and its history row)
    after_commit = [func for _sids, func, _robust in connection.run_on_commit if func is counts._bump]
    assert len(after_commit) == 1  # this test's transaction: one bump waits for its commit
    after_commit[0]()
    assert counts._generation(cache) == saved + 1
