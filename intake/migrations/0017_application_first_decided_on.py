# The day of an application's first decision, kept when a refusal overturned on objection is replaced by a
# grant (intake.indicators._open_at_end). Decided applications get it from their history: the earliest decision
# date any version of the row had (a refusal since replaced), else the current one.

from django.db import migrations, models

FILL = """
UPDATE intake_application a
   SET first_decided_on = LEAST(a.decided_on, (SELECT MIN(h.decided_on) FROM intake_historicalapplication h
                                                WHERE h.id = a.id AND h.decided_on IS NOT NULL))
 WHERE a.decided_on IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0016_consultation_phone_digits_trgm'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='first_decided_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first decided on'),
        ),
        migrations.AddField(
            model_name='historicalapplication',
            name='first_decided_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first decided on'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
