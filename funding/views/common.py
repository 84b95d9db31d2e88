"""What every page of the money side shares: the paging, the breadcrumb, the year asked for."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.paging import paginate

PAGE = 25


def page(request, qs):
    return paginate(request, qs, PAGE)


def money_crumb():
    return (_("Funding"), reverse("funding:overview"))


def year_asked(request) -> int:
    from core.params import query_year

    return query_year(request)
