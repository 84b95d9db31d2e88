"""Reads for user management: the accounts a director or administrator manages."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from . import roles
from .models import User

ACTIVE_CHOICES = ("active", "inactive", "all")
CENTER = "center"


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.can("user_manage")


def users_for_management(by, *, q: str = "", role: str = "", station: str = "", active: str = "active") -> QuerySet:
    """Accounts filtered as the users list asks; stations and roles fetched with them (no query per row)."""
    if not can_manage_users(by):
        raise PermissionDenied
    from django.contrib.auth.models import Group

    qs = (User.objects.select_related("station")
          .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
          .order_by("-is_active", "username"))
    if active == "active":
        qs = qs.filter(is_active=True)
    elif active == "inactive":
        qs = qs.filter(is_active=False)
    q = q.strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q)
                       | Q(email__icontains=q))
    if role in roles.ROLE_LABELS:
        qs = qs.filter(groups__name=role)
    if station == CENTER:
        qs = qs.filter(station__isnull=True)
    elif station.isascii() and station.isdigit():
        qs = qs.filter(station_id=int(station))
    return qs


def user_for_management(by, pk: int) -> User:
    from core.access import get_visible

    if not can_manage_users(by):
        raise PermissionDenied
    return get_visible(User.objects.select_related("station"), pk=pk)


def role_labels(users: Iterable[User]) -> None:
    """Give each user of a list `roles_text` from their prefetched groups."""
    for user in users:
        user.roles_text = "、".join(str(roles.ROLE_LABELS.get(g.name, g.name)) for g in user.groups.all())


def station_choices() -> list[tuple[str, str]]:
    from stations.models import Station

    return [(str(pk), name) for pk, name in Station.objects.filter(active=True).order_by("name")
            .values_list("pk", "name")]
