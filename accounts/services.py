from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import roles


@transaction.atomic
def roles_sync() -> None:
    """Make sure every role group exists with at least its default capabilities.

    The data migration does this on a new database; this runs again from seed_demo
    (and test set-ups that flush tables) so the roles can never be missing.
    Capabilities an administrator added stay; none are removed.
    """
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perms = {}
    for codename, name in roles.CAPABILITIES:
        perms[codename], _ = Permission.objects.get_or_create(content_type=ct, codename=codename,
                                                              defaults={"name": name})
    for role, caps in roles.ROLE_CAPABILITIES.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.add(*[perms[c] for c in caps])
