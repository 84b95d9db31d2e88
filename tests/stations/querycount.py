"""Lists must cost the same number of queries whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str) -> int:
    """The page's queries with the navigation's counts made afresh (core.counts caches them between page
    views and clears them on writes: a measure after writes would otherwise count them and one before not)."""
    from django.core.cache import caches

    caches["shared"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
