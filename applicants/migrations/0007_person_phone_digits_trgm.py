# The phone search compares digits (core.search.phone_q): the trigram index holds the digits of the number
# as stored, so 0551-1234567 is found by 05511234567.

import django.contrib.postgres.indexes
from django.db import migrations

import core.search
from core.migration_ops import AddTrigramIndex


class Migration(migrations.Migration):

    dependencies = [
        ("applicants", "0006_asset_test_help"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_phone_trgm",
        ),
        AddTrigramIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(core.search.PhoneDigits("phone"), name="gin_trgm_ops"),
                name="person_phone_trgm"),
        ),
    ]
