"""The county's dashboard and workbench figures are kept warm by a periodic task, and figures served from the
cache after a quiet while say when they were made (issue 14: no page view waits for a province's figures)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import counts
from reports import tasks
from reports.home import warm_figures
from tests.factories import make_case

pytestmark = pytest.mark.django_db


BIG = ('"cases_case"', '"intake_application"', '"intake_consultation"', '"intake_matter"', '"funding_subsidy')


def _figure_queries(ctx) -> list[str]:
    """Aggregates over the tables that grow to millions of rows (a media report count is not one)."""
    return [q["sql"] for q in ctx.captured_queries
            if "FILTER (WHERE" in q["sql"] and any(f"FROM {t}" in q["sql"] for t in BIG)]


def test_the_beat_runs_the_warming_task():
    entry = settings.CELERY_BEAT_SCHEDULE["warm-figures"]
    assert entry["task"] == tasks.warm_figures.name == "reports.warm_figures"
    assert 0 < float(entry["schedule"]) <= 600


def test_a_starting_worker_warms_the_figures_at_once(monkeypatch):
    """A new installation's first dashboard view does not make the figures: the worker made them on start."""
    from celery.signals import worker_ready

    queued = []
    monkeypatch.setattr(tasks.warm_figures, "apply_async", lambda **kwargs: queued.append(kwargs))
    worker_ready.send(sender=None)
    assert queued == [{"retry": False, "countdown": 2}]
    monkeypatch.setattr(tasks.warm_figures, "apply_async", lambda **kwargs: 1 / 0)
    worker_ready.send(sender=None)  # no broker: beat warms them later; the worker starts all the same


def test_once_warmed_the_dashboard_and_the_workbench_count_nothing(org, client_for):
    make_case()
    client = client_for("director")  # signing in saves the user: a change the figures would follow
    finance = client_for("finance")
    # five dashboard figures, the workbench's two, the network's, finance's cases waiting for a subsidy
    assert warm_figures() == 9
    for url in ("/reports/", "/"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert _figure_queries(ctx) == [], url
    with CaptureQueriesContext(connection) as ctx:
        assert finance.get("/").status_code == 200
    assert not [q for q in ctx.captured_queries if 'FROM "cases_case"' in q["sql"] and "COUNT(" in q["sql"]
                and 'FROM "funding_subsidy"' in q["sql"]]  # the cases waiting for their subsidy


def test_a_refresh_under_way_is_not_started_twice(org):
    cache = counts._cache()
    from django.utils import timezone

    from reports.dashboard import _scope, dashboard_period

    today = timezone.localdate()
    key = f"settled:dashboard-values:{_scope(dashboard_period(today.year, today), None)}"
    cache.add(f"refreshing:{key}", 1, 60)
    try:
        assert warm_figures() == 8
    finally:
        cache.delete(f"refreshing:{key}")


def test_figures_kept_from_a_while_ago_are_served_with_their_time_and_made_afresh(org, client_for, settings,
                                                                                 monkeypatch):
    settings.FIGURES_SETTLE_SECONDS = 30
    client = client_for("director")
    warm_figures()
    started = []
    monkeypatch.setattr(counts, "_start", started.append)
    real = counts.time.time
    monkeypatch.setattr(counts.time, "time", lambda: real() + 3600)  # an hour without a view
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/reports/").content.decode()
    assert _figure_queries(ctx) == []  # nothing counted for this page …
    assert started  # … the figures are made beside it
    assert 'data-testid="figures-made-at"' in html and "的数据" in html
