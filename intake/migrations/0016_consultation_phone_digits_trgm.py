# The phone search compares digits (core.search.phone_q): the trigram index holds the digits of the number
# as stored, so 0551-1234567 is found by 05511234567.

import django.contrib.postgres.indexes
from django.db import migrations

import core.search
from core.migration_ops import AddTrigramIndex


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0015_application_overridden_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="consultation",
            name="consultation_phone_trgm",
        ),
        AddTrigramIndex(
            model_name="consultation",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(core.search.PhoneDigits("person_phone"),
                                                        name="gin_trgm_ops"),
                name="consultation_phone_trgm"),
        ),
    ]
