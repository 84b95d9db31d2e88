"""What tests share besides fixtures (those are in tests/conftest.py): the one way to count a page's queries.

Every list test measures its page with `queries_for` (the same number of queries for few rows as for many),
or bounds it with `assert_max_queries`."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _fresh_counts() -> None:
    """Forget the navigation's counts (core.counts caches them between page views and clears them on writes: a
    measure after writes would otherwise count them and one before not)."""
    from django.core.cache import caches

    caches["shared"].clear()


def queries_for(client, url: str, data: dict | None = None, *, status: int = 200) -> int:
    """The number of queries of one GET of the page, its navigation's counts made afresh; the page must answer
    `status`."""
    _fresh_counts()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)


@contextmanager
def assert_max_queries(limit: int, using=connection):
    """`with assert_max_queries(40): …`: the block makes at most `limit` queries (each one listed if not)."""
    with CaptureQueriesContext(using) as ctx:
        yield ctx
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) <= limit, f"{len(sql)} queries, at most {limit} expected:\n" + "\n".join(sql)
