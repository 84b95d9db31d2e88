"""Migration operations for what a PostgreSQL server may lack.

pg_trgm is a contrib extension: Debian's and most distributions' PostgreSQL carry it, the embedded server of
`make run` (the pgserver wheel) does not. The search boxes work without it (the same `LIKE` conditions, read
without an index), so an installation whose server lacks it still migrates: the extension and its trigram
indexes are made where the server offers it, and skipped, with a warning, where it does not. Installing the
extension later and running `python manage.py trigram_indexes` makes the missing indexes.
"""

from __future__ import annotations

import logging

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

logger = logging.getLogger(__name__)

TRIGRAM_OPCLASS = "gin_trgm_ops"


def _one(connection, sql: str, params=()) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def trigram_offered(connection) -> bool:
    """The server has pg_trgm to install."""
    return _one(connection, "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")


def trigram_installed(connection) -> bool:
    """This database has pg_trgm (its operator class for GIN indexes)."""
    return _one(connection, "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")


class TrigramExtensionIfOffered(TrigramExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql" and not trigram_offered(schema_editor.connection):
            logger.warning("pg_trgm is not available on this PostgreSQL server: search boxes read without "
                           "trigram indexes")
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)


class AddTrigramIndex(migrations.AddIndex):
    """AddIndex of a GIN trigram index, made only where the database has pg_trgm."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not trigram_installed(schema_editor.connection):
            logger.warning("pg_trgm is not installed: index %s not made", self.index.name)
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    # backwards: RemoveIndex's DROP INDEX IF EXISTS, whether the index was made or not
