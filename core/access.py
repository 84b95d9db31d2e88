"""The one place that decides what a user may see and do (DOMAIN.md §2).

Default deny. Center staff whose role sees the whole center get every row; station
staff get their station's rows only; anyone else gets nothing. A row outside what a
user may see answers 404, so its existence does not leak; a missing capability to
act answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def require(user, capability: str) -> None:
    if not user.is_authenticated or not user.can(capability):
        raise PermissionDenied


def station_scope(qs: QuerySet, user, *, capability: str, station_field: str = "station") -> QuerySet:
    """Rows of `qs` the user may see: all for center staff with `capability`, own station's for station staff."""
    if not user.is_authenticated or not user.is_active or not user.can(capability):
        return qs.none()
    if user.is_center:
        return qs
    return qs.filter(**{station_field: user.station_id})


def in_station_scope(obj: Model, user, *, capability: str, station_field: str = "station") -> bool:
    """Whether `station_scope` would include this one row, without a query."""
    if not user.is_authenticated or not user.is_active or not user.can(capability):
        return False
    return user.is_center or getattr(obj, f"{station_field}_id") == user.station_id


def get_visible(qs: QuerySet, **lookup) -> Model:
    """The record the user may see, else 404 — also for a malformed key ("abc" posted as an id), which names
    no record (a form field or a query parameter as much as a URL)."""
    from django.core.exceptions import ValidationError

    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        raise Http404 from None



def capability_required(capability: str):
    """A view for users with `capability`: anonymous → the login page; signed in without it → 403."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
