"""What the station views share: the form page, the crumbs, the deactivate/reactivate pages, and the edit,
deactivate and reactivate views of each kind of record a manager keeps (`Managed`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import get_visible, require
from core.flow import submit

from .. import selectors, services
from ..forms import CloseForm, ConfirmForm


def can_view(user) -> None:
    if not selectors.can_view_stations(user):
        raise PermissionDenied


def finder(capability: str, visible: Callable) -> Callable:
    """`find(request, pk)`: the record `pk` among `visible(user)` for a user with `capability` (403 without
    it, 404 out of their sight)."""

    def find(request, pk):
        require(request.user, capability)
        return get_visible(visible(request.user), pk=pk)

    return find


def form_page(request, *, form, title, breadcrumbs, cancel_url, submit=None, extra=None, multipart=False):
    context = {"form": form, "title": title, "breadcrumbs": breadcrumbs + [(title, None)],
               "cancel_url": cancel_url, "submit_label": submit or _("Save"), "multipart": multipart}
    context.update(extra or {})
    return render(request, "stations/form.html", context)


def stations_crumb(user) -> list:
    if user.can("station_manage") and user.is_center:
        return [(_("Stations"), reverse("stations:station_list"))]
    return []


def close_page(request, *, obj, action, title, detail_url, crumbs):
    """Deactivate `obj` with a date and a reason: `action(closed_on=, reason=)` is the service call."""
    form = CloseForm(request.POST or None)
    closed = submit(request, form, lambda data: action(closed_on=data["closed_on"], reason=data["reason"]),
                    done=_("%(name)s deactivated.") % {"name": obj}, to=detail_url)
    if closed:
        return closed
    return form_page(request, form=form, title=title, breadcrumbs=crumbs, cancel_url=detail_url,
                     submit=_("Deactivate"), extra={"danger": True, "object": obj, "warning": _closing_with(obj)})


def _closing_with(obj) -> str:
    n = services.closing_with(obj)
    if n["points"]:
        return _("Its %(points)s active contact points and %(liaisons)s liaisons are deactivated with it, on the "
                 "same date.") % n
    if n["liaisons"]:
        return _("Its %(liaisons)s active liaisons are deactivated with it, on the same date.") % n
    return ""


def reopen_page(request, *, obj, action, title, detail_url, crumbs):
    """Ask, then reactivate `obj`: `action()` is the service call; its refusal is shown above the question."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    reopened = submit(request, form, lambda data: action(), done=_("%(name)s reactivated.") % {"name": obj},
                      to=detail_url)
    if reopened:
        return reopened
    return render(request, "stations/confirm.html", {
        "title": title, "object": obj, "errors": form.non_field_errors(), "cancel_url": detail_url,
        "submit_label": _("Reactivate"), "breadcrumbs": crumbs + [(title, None)],
    })


@dataclass(frozen=True)
class Managed:
    """One kind of record of the network that its manager edits, deactivates and reactivates (a station, a
    contact point, a liaison, a volunteer, a duty shift): its views are made here, so that they behave alike.

    `find(request, pk)` is the record the user may change (403 without the capability, 404 out of
    sight). It is shown on the page `detail` (a URL name) of `shown(record)` (itself unless said), under
    `crumbs(user, shown)`. `key` is the keyword its services take it by; `titles` are the edit, deactivate
    and reactivate pages' titles (lazy); `form_kwargs(request, record)`, more arguments of its form;
    `history` shows its history when edited.
    """

    find: Callable
    detail: str
    key: str
    form_class: type
    titles: tuple
    crumbs: Callable
    shown: Callable | None = None
    form_kwargs: Callable | None = None
    history: bool = False

    def _shown(self, record):
        return self.shown(record) if self.shown else record

    def _page(self, request, record) -> tuple[str, list]:
        """The URL of the page the record is shown on and the crumbs down to it."""
        shown = self._shown(record)
        url = reverse(self.detail, args=[shown.pk])
        return url, self.crumbs(request.user, shown) + [(str(shown), url)]

    def edit_view(self, update, *, done=None):
        """The edit page: `update(<key>=record, data=, by=)` is the service; saved → `done` ("Changes saved."
        unless said; a callable of the saved record and the edited one) and to the page of the record the
        service saved (a volunteer who moved station is recorded anew: services.volunteer_update)."""

        @login_required
        def view(request, pk):
            record = self.find(request, pk)
            more = self.form_kwargs(request, record) if self.form_kwargs else {}
            form = self.form_class(request.POST or None, instance=record, **more)

            def page(url):
                crumbs = self._page(request, record)[1]
                return form_page(request, form=form, title=self.titles[0], cancel_url=url, breadcrumbs=crumbs,
                                 extra={"history_object": record} if self.history else None)

            saved = submit(request, form, lambda data: update(**{self.key: record}, data=data, by=request.user),
                           done=lambda result: done(result, record) if callable(done) else done or _(
                               "Changes saved."),
                           to=lambda result: reverse(self.detail, args=[self._shown(result).pk]))
            return saved or page(reverse(self.detail, args=[self._shown(record).pk]))

        return view

    def views(self, update, deactivate, reactivate, *, done=None):
        """The edit, deactivate and reactivate views: `deactivate(<key>=record, closed_on=, reason=, by=)`
        and `reactivate(<key>=record, by=)` are the services; `done`, the edit's message (edit_view)."""

        @login_required
        def close(request, pk):
            record = self.find(request, pk)
            url, crumbs = self._page(request, record)
            return close_page(request, obj=record, title=self.titles[1], detail_url=url, crumbs=crumbs,
                              action=lambda closed_on, reason: deactivate(
                                  **{self.key: record}, closed_on=closed_on, reason=reason, by=request.user))

        @login_required
        def reopen(request, pk):
            record = self.find(request, pk)
            url, crumbs = self._page(request, record)
            return reopen_page(request, obj=record, title=self.titles[2], detail_url=url, crumbs=crumbs,
                               action=lambda: reactivate(**{self.key: record}, by=request.user))

        return self.edit_view(update, done=done), close, reopen
