from django.db import migrations


def create_default(apps, schema_editor):
    GradingScale = apps.get_model("cases", "GradingScale")
    if not GradingScale.objects.exists():
        GradingScale.objects.create(excellent_min=90, good_min=80, pass_min=60)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_documents")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
