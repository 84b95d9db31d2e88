"""pg_trgm: trigram indexes let a search box find a part of a name or a number without reading a whole table
(a trusted extension since PostgreSQL 13: the database owner may create it). Skipped on a server without it
(`make run`'s embedded PostgreSQL): core.migration_ops."""

from django.db import migrations

from core.migration_ops import TrigramExtensionIfOffered


class Migration(migrations.Migration):
    dependencies = [("core", "0005_issued_documents")]
    operations = [TrigramExtensionIfOffered()]
