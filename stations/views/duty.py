"""Duty rosters: the week grid, a date range as a list or a spreadsheet, and the shifts."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import capability_required
from core.flow import submit
from core.paging import paginate
from core.params import query_date
from core.xlsx import SafeWorkbook, chunked, workbook_response

from .. import selectors, services
from ..forms import DutyShiftForm
from .pages import Managed, finder, form_page

DUTY_HEADER = ["日期", "地点类型", "地点", "值班律师", "工作站", "备注"]


def _duty_crumb() -> list:
    return [(_("Duty roster"), reverse("stations:duty_list"))]


def _duty_filtered(request):
    qs = selectors.duty_shifts_visible_to(request.user)
    date_from, date_to = query_date(request, "date_from"), query_date(request, "date_to")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if request.GET.get("place_kind"):
        qs = qs.filter(place_kind__in=request.GET.getlist("place_kind"))
    return qs, date_from, date_to


@capability_required("duty_roster_manage")
def duty_list(request):
    try:
        day = query_date(request, "week") or timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    monday = selectors.week_start(day)
    qs, date_from, date_to = _duty_filtered(request)
    if request.GET.get("export") == "xlsx":
        kinds = dict(qs.model.PLACE_KINDS)
        rows = ((s.date, str(kinds.get(s.place_kind, s.place_kind)), s.place, s.handler.name,
                 s.station.name if s.station else "", s.note) for s in chunked(qs.order_by("date", "place")))
        book = SafeWorkbook()
        book.add_sheet("值班表", DUTY_HEADER, rows, widths={0: 12, 2: 24, 3: 12, 4: 24, 5: 30})
        return workbook_response(book, f"值班表-{timezone.localdate():%Y%m%d}.xlsx")
    listed = qs.order_by("-date", "place") if (date_from or date_to) else None
    page = paginate(request, listed) if listed is not None else None
    return render(request, "stations/duty_list.html", {
        "days": selectors.week_grid(request.user, monday),
        "monday": monday, "sunday": monday + dt.timedelta(days=6),
        "prev_week": monday - dt.timedelta(days=7), "next_week": monday + dt.timedelta(days=7),
        "this_week": selectors.week_start(timezone.localdate()),
        "today": timezone.localdate(), "page_obj": page,
        "date_from": date_from, "date_to": date_to,
        "breadcrumbs": [(_("Duty roster"), None)],
    })


_visible_shift = finder("duty_roster_manage", selectors.duty_shifts_visible_to)


@login_required
def duty_detail(request, pk):
    shift = _visible_shift(request, pk)
    return render(request, "stations/duty_detail.html", {
        "shift": shift, "breadcrumbs": _duty_crumb() + [(str(shift), None)],
    })


@capability_required("duty_roster_manage")
def duty_create(request):
    initial = {}
    if query_date(request, "date"):
        initial["date"] = request.GET["date"]
    form = DutyShiftForm(request.POST or None, initial=initial, user=request.user)
    created = submit(request, form, lambda data: services.duty_shift_create(data=data, by=request.user),
                     done=_("Duty shift saved."),
                     to=lambda shift: f"{reverse('stations:duty_list')}?week={shift.date:%Y-%m-%d}")
    if created:
        return created
    return form_page(request, form=form, title=_("New duty shift"), breadcrumbs=_duty_crumb(),
                     cancel_url=reverse("stations:duty_list"))


SHIFT = Managed(_visible_shift, "stations:duty_detail", "shift", DutyShiftForm,
                crumbs=lambda user, _shift: _duty_crumb(),
                form_kwargs=lambda request, _shift: {"user": request.user},
                titles=(gettext_lazy("Edit duty shift"),))
duty_edit = SHIFT.edit_view(services.duty_shift_update, done=gettext_lazy("Duty shift saved."))
