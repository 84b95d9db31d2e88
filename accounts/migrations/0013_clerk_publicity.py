"""Publicity is station staff's (for their own station) and the director's, not the intake clerk's
(DOMAIN.md §2, §8, §10): the clerk's role gives up publicity_log."""

from django.db import migrations


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perm = Permission.objects.filter(content_type__app_label="accounts", content_type__model="capability",
                                     codename="publicity_log").first()
    if perm is not None:
        for group in Group.objects.filter(name="intake_clerk"):
            group.permissions.remove(perm)


def give_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perm = Permission.objects.filter(content_type__app_label="accounts", content_type__model="capability",
                                     codename="publicity_log").first()
    if perm is not None:
        for group in Group.objects.filter(name="intake_clerk"):
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0012_administrator_admin_models")]

    operations = [migrations.RunPython(take_back, give_back)]
