"""Submitting (上报) a half-year or annual report becomes the director's own capability (issue: figures a
director can sign)."""

from django.db import migrations


def add_capability(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perm, _ = Permission.objects.get_or_create(content_type=ct, codename="report_submit",
                                               defaults={"name": "Mark a half-year or annual report as submitted (上报)"})
    for group in Group.objects.filter(name="director"):
        group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_alter_capability_options")]

    operations = [migrations.RunPython(add_capability, migrations.RunPython.noop)]
