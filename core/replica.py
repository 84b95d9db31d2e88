"""Reads that may come from a PostgreSQL streaming replica (DATABASE_REPLICA_URL): reports, dashboards, figure
lists and exports, the heavy reads that do not need the very last write.

Only code inside `reading_replica()` reads from it, and only when the `replica` alias is configured and
READ_FROM_REPLICA is on; everything else, and every write, uses the primary. A replica lags by a moment, so
pages that show what the user has just changed never read from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

ALIAS = "replica"
_reading = ContextVar("reading_replica", default=False)


def read_alias() -> str:
    """The alias heavy reads use just now."""
    if _reading.get() and ALIAS in settings.DATABASES and getattr(settings, "READ_FROM_REPLICA", True):
        return ALIAS
    return DEFAULT_DB_ALIAS


@contextmanager
def reading_replica() -> Iterator[str]:
    token = _reading.set(True)
    try:
        yield read_alias()
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads inside `reading_replica()` go to the replica; every write goes to the primary (a record read
    from the replica is saved to the primary too); migrations run on the primary only."""

    def db_for_read(self, model, **hints):
        alias = read_alias()
        return alias if alias != DEFAULT_DB_ALIAS else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
