"""Ship the default deadline rules (DOMAIN.md §5) and the center profile."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from core.deadlines import DEFAULT_RULES

    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for code, name, length, unit, basis in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(code=code, defaults={"name": name, "length": length, "unit": unit,
                                                                "basis": basis})
    CenterProfile = apps.get_model("core", "CenterProfile")
    if not CenterProfile.objects.exists():
        CenterProfile.objects.create()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
