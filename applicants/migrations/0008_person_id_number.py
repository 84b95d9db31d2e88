# The duplicate check of a resident-format number looks it up whatever document type it was saved under
# (applicants.forms.PersonForm, intake.forms.PersonInlineMixin): an index of its own, not the (type, number) one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("applicants", "0007_person_phone_digits_trgm"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(condition=models.Q(models.Q(("id_number", ""), _negated=True),
                                                  ("merged_into__isnull", True)),
                               fields=["id_number"], name="person_id_number"),
        ),
    ]
