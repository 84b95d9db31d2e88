"""The administrator role keeps users, stations and configuration in the Django admin (DOMAIN.md §2).

The demo `admin` account is no longer a superuser (a superuser holds every capability: it listed every
applicant with the full numbers and opened every case): it is an administrator with staff access, whose role
carries the admin's model permissions of the configuration and the network, and nothing that holds a person's
data or a case's file. Model permissions are made by post_migrate, after every migration: those needed here
are made now, as post_migrate would name them. Frozen copy of accounts.roles.ROLE_ADMIN_MODELS."""

from django.db import migrations

KEPT = ("view", "add", "change")
ADMINISTRATOR_MODELS = {
    "accounts.user": ("view",),
    "auth.group": KEPT,
    "stations.station": KEPT, "stations.contactpoint": KEPT, "stations.liaison": KEPT, "stations.volunteer": KEPT,
    "core.centerprofile": ("view", "change"), "core.deadlinerule": ("view", "change"),
    "core.calendaryear": KEPT, "core.calendarday": KEPT, "core.vocabularyterm": KEPT,
    "applicants.eligibilitypolicy": KEPT, "applicants.eligibilityitem": KEPT,
    "cases.gradingscale": KEPT,
    "funding.subsidystandard": KEPT, "funding.subsidypolicy": KEPT,
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    perms = []
    for label, actions in ADMINISTRATOR_MODELS.items():
        app_label, model_name = label.split(".")
        verbose = apps.get_model(app_label, model_name)._meta.verbose_name_raw
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        for action in actions:
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=f"{action}_{model_name}",
                                                       defaults={"name": f"Can {action} {verbose}"})
            perms.append(perm)
    for group in Group.objects.filter(name="administrator"):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_vocabulary_manage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stations", "0001_initial"),
        ("core", "0009_vocabulary_terms"),
        ("applicants", "0001_initial"),
        ("cases", "0001_initial"),
        ("funding", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
