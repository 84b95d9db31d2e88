"""The spending list's rows are kept as written (core.versions) under one change number moved by every write
to the entries or to the batches they name."""

from django.db import migrations

from core import versions

GROUP = "funding_spending"
TABLES = ("funding_spending", "funding_paymentbatch")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0011_data_version"),
        ("funding", "0010_payment_payee_firm"),
    ]

    operations = [
        *(migrations.RunSQL(versions.watch_sql(t, GROUP), versions.unwatch_sql(t)) for t in TABLES),
        migrations.RunSQL(
            f"INSERT INTO core_dataversion (\"table\", version) VALUES ('{GROUP}', nextval('{versions.SEQUENCE}')) "
            "ON CONFLICT DO NOTHING",
            migrations.RunSQL.noop),
    ]
