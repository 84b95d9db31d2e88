"""Install pg_trgm and make the trigram indexes a server without it had skipped (core.migration_ops).

For an installation first migrated on a PostgreSQL without pg_trgm (`make run`'s embedded server) and moved
to one with it: `python manage.py trigram_indexes`. Indexes already there are left alone; run it again and
it makes nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.postgres.indexes import OpClass
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.migration_ops import TRIGRAM_OPCLASS, trigram_installed, trigram_offered


def trigram_indexes():
    """(model, index) of every GIN trigram index the models declare."""
    for model in apps.get_models():
        for index in model._meta.indexes:
            if any(isinstance(e, OpClass) and e.extra.get("name") == TRIGRAM_OPCLASS for e in index.expressions):
                yield model, index


class Command(BaseCommand):
    help = "Install pg_trgm and make the trigram indexes of the search boxes that are missing."

    def handle(self, *args, **options):
        if not trigram_installed(connection):
            if not trigram_offered(connection):
                raise CommandError("This PostgreSQL server has no pg_trgm (install its contrib package).")
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            present = {name for (name,) in cursor.fetchall()}
        made = 0
        with connection.schema_editor() as editor:
            for model, index in trigram_indexes():
                if index.name not in present:
                    editor.add_index(model, index)
                    made += 1
                    self.stdout.write(f"made {index.name}")
        self.stdout.write(f"{made} trigram indexes made")
