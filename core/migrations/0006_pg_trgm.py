"""pg_trgm: trigram indexes let a search box find a part of a name or a number without reading a whole table
(a trusted extension since PostgreSQL 13: the database owner may create it)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0005_issued_documents")]
    operations = [TrigramExtension()]
