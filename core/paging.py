"""Pagination that stays fast on a province's data.

A list counts its rows only up to LIST_COUNT_BOUND (10,000): past that it says "10,000+" and never scans the
whole table to count. Pages go as deep as the bound; the last page is always one click away, read from the
other end of the list (`?page=last`: the same order reversed, so an index serves it as fast as the first
page). Everything else is Django's Paginator, so templates use `page_obj` as usual.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext as _

from .counts import cached_totals

LAST = "last"
# A list of at most this many rows is read in one query: whatever its plan, it reads no more rows than this.
ONE_QUERY = 1_000


def bound() -> int:
    return int(getattr(settings, "LIST_COUNT_BOUND", 10_000))


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page=25, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound()

    @cached_property
    def counted(self) -> int:
        """The rows up to the bound + 1, from the shared cache under the list's own SQL while no watched record
        changed (core.counts): a filter joined across a province's cases counted for 240 ms on every view."""
        qs = self.object_list
        if hasattr(qs, "order_by"):
            limited = qs.order_by()[: self.bound + 1]
            # kept under the list's own SQL (which its totals line has asked for already) and the bound
            return int(cached_totals(f"list-count-{self.bound}", qs, limited.count))
        return len(qs)

    @property
    def exact(self) -> bool:
        return self.counted <= self.bound

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.bound)

    @property
    def count_text(self) -> str:
        """"1,234" or "10,000+"."""
        return f"{self.count:,}" if self.exact else f"{self.bound:,}+"

    def page(self, number) -> Page:
        """The page's rows, found in two steps: first the keys of the page alone (the ordering's index, no
        joins: a deep page skips its offset cheaply), then those rows with everything they show; in one query
        when the list has at most ONE_QUERY rows. Past the bound every page is full: the rows go on beyond
        what was counted."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.exact and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom: int, top: int) -> list:
        qs = self.object_list
        if not hasattr(qs, "values_list") or self.counted <= ONE_QUERY:
            return list(qs[bottom:top])
        keys = list(qs.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in by_keys(qs, keys)}
        return [found[key] for key in keys if key in found]

    def last_page(self) -> Page:
        """The list's last rows, read backwards (the number of the page is not known past the bound)."""
        if self.exact:
            return self.page(self.num_pages)
        qs = self.object_list.reverse()
        keys = list(qs.values_list("pk", flat=True)[: self.per_page])
        found = {row.pk: row for row in by_keys(qs, keys)}
        rows = [found[key] for key in reversed(keys) if key in found]
        page = Page(rows, self.num_pages + 1, self)
        page.is_far_end = True
        return page

    def get_page(self, number) -> Page:
        if number == LAST:
            return self.last_page()
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self.page(number)


def by_keys(qs, keys: list):
    """The rows of `keys` with the list's columns (select_related, annotations), without its filters: the filters
    chose the keys already, and a search filter run again would cost as much as choosing them. The joins that
    filters added stay (every chosen row satisfies them); a row met twice through a many-valued join is kept
    once by the caller."""
    rows = qs.all()
    rows.query.where = WhereNode()
    return rows.filter(pk__in=keys).order_by()


def paginate(request, queryset, per_page: int = 25, *, counted: int | None = None) -> Page:
    """The page asked for in ?page= (a number or "last"); a junk or too-deep number gives the nearest page.
    `counted`: the rows already counted up to the bound + 1 by the caller (with a total in the same query)."""
    paginator = BoundedPaginator(queryset, per_page)
    if counted is not None:
        paginator.__dict__["counted"] = counted
    page = paginator.get_page(request.GET.get("page"))
    if not paginator.exact:
        page.note = _("Only the first %(n)s rows are counted; narrow the list with the filters, or go to the "
                      "last page.") % {"n": f"{paginator.bound:,}"}
    return page
