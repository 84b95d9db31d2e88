"""Adjusting a subsidy becomes its own capability, the director's (DOMAIN.md §2, §7)."""

from django.db import migrations


def add_capability(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perm, _ = Permission.objects.get_or_create(content_type=ct, codename="subsidy_adjust",
                                               defaults={"name": "Adjust computed case subsidies"})
    Permission.objects.filter(content_type=ct, codename="subsidy_manage").update(name="Compute case subsidies")
    for group in Group.objects.filter(name="director"):
        group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles")]

    operations = [migrations.RunPython(add_capability, migrations.RunPython.noop)]
