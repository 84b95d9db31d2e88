"""Views of publicity: events (with photos) and media reports. Another station's record → 404."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import capability_required, get_visible, require
from core.flow import act, edit, submit
from core.paging import paginate

from . import selectors, services
from .filters import EventFilter, MediaFilter
from .forms import EventForm, MediaReportForm


def _export(request, sheet: str, qs, filename: str):
    from core.exports import export_response

    return export_response(sheet, qs, filename=filename, request=request)


def _events_crumb() -> list:
    return [(_("Publicity events"), reverse("publicity:event_list"))]


def _media_crumb() -> list:
    return [(_("Media reports"), reverse("publicity:media_list"))]


def _form_page(request, *, form, title, breadcrumbs, cancel_url, history_object=None):
    if (request.method == "POST" and "photos" in form.fields and request.FILES.getlist("photos")
            and "photos" not in form.errors):
        # A browser never keeps a chosen file across a reload: say so rather than lose the photos silently.
        form.add_error("photos", _("The photos you chose were not saved because of the errors above: "
                                   "choose them again before saving."))
    return render(request, "publicity/form.html", {
        "form": form, "title": title, "breadcrumbs": breadcrumbs + [(title, None)], "cancel_url": cancel_url,
        "history_object": history_object,
    })


def _create(request, form, create, *, done, title, crumbs, listed: str, detail: str):
    """The page of a new record: `create(data)` is the service; saved → `done` and the record's page (the URL
    name `detail`), else the form again, whose cancel leads to the list (`listed`)."""
    created = submit(request, form, create, done=done, to=lambda record: reverse(detail, args=[record.pk]))
    return created or _form_page(request, form=form, title=title, breadcrumbs=crumbs,
                                 cancel_url=reverse(listed))


def _edit(request, record, form, update, *, title, crumbs, detail: str):
    """The edit page of a record: `update(data)` is the service; saved → back to its page (the URL name
    `detail`), else the form again, with the record's history."""
    return edit(request, form, update, detail=detail, pk=record.pk, page=lambda url: _form_page(
        request, form=form, title=title, cancel_url=url, breadcrumbs=crumbs + [(str(record), url)],
        history_object=record))


def _event_data(cleaned: dict) -> dict:
    """The service's arguments from an event form: the photos apart from the event's fields."""
    data = dict(cleaned)
    return {"data": data, "photos": data.pop("photos", [])}


# --- Events -------------------------------------------------------------------

@capability_required("publicity_log")
def event_list(request):
    filterset = EventFilter(request.GET or None, queryset=selectors.event_list(request.user), user=request.user)
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "宣传活动", qs.order_by("date", "pk"), f"宣传活动-{timezone.localdate():%Y%m%d}.xlsx")
    page = paginate(request, qs)
    return render(request, "publicity/event_list.html", {
        "filter": filterset, "page_obj": page, "events": page.object_list,
        "totals": selectors.event_totals(qs), "breadcrumbs": [(_("Publicity events"), None)],
    })


@capability_required("publicity_log")
def event_detail(request, pk):
    event = selectors.event_for_detail(request.user, pk)
    return render(request, "publicity/event_detail.html", {
        "event": event, "breadcrumbs": _events_crumb() + [(event.title, None)],
    })


@capability_required("publicity_log")
def event_create(request):
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    return _create(request, form, lambda data: services.event_create(**_event_data(data), by=request.user),
                   done=_("Event recorded."), title=_("Record a publicity event"), crumbs=_events_crumb(),
                   listed="publicity:event_list", detail="publicity:event_detail")


@capability_required("publicity_log")
def event_edit(request, pk):
    event = get_visible(selectors.events_visible_to(request.user), pk=pk)
    form = EventForm(request.POST or None, request.FILES or None, instance=event, user=request.user)
    return _edit(request, event, form,
                 lambda data: services.event_update(event=event, **_event_data(data), by=request.user),
                 title=_("Edit publicity event"), crumbs=_events_crumb(), detail="publicity:event_detail")


@capability_required("publicity_log")
def event_photo(request, pk):
    """A photo of an event the user may see, never from a public media URL."""
    photo = get_visible(selectors.photos_visible_to(request.user), pk=pk)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404
    content_type = mimetypes.guess_type(photo.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def photo_remove(request, pk):
    require(request.user, "publicity_log")
    photo = get_visible(selectors.photos_visible_to(request.user), pk=pk)
    return act(request, lambda: services.photo_remove(photo=photo, by=request.user), done=_("Photo removed."),
               to="publicity:event_detail", args=(photo.event_id,))


# --- Media reports ------------------------------------------------------------

@capability_required("publicity_log")
def media_list(request):
    filterset = MediaFilter(request.GET or None, queryset=selectors.media_visible_to(request.user))
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "媒体报道", qs.order_by("date", "pk"), f"媒体报道-{timezone.localdate():%Y%m%d}.xlsx")
    page = paginate(request, qs)
    return render(request, "publicity/media_list.html", {
        "filter": filterset, "page_obj": page, "reports": page.object_list, "total": page.paginator.count,
        "breadcrumbs": [(_("Media reports"), None)],
    })


@capability_required("publicity_log")
def media_detail(request, pk):
    report = get_visible(selectors.media_visible_to(request.user), pk=pk)
    return render(request, "publicity/media_detail.html", {
        "report": report, "breadcrumbs": _media_crumb() + [(str(report), None)],
    })


@capability_required("publicity_log")
def media_create(request):
    form = MediaReportForm(request.POST or None, user=request.user,
                           events=selectors.events_visible_to(request.user))
    return _create(request, form, lambda data: services.media_create(data=data, by=request.user),
                   done=_("Media report recorded."), title=_("Record a media report"), crumbs=_media_crumb(),
                   listed="publicity:media_list", detail="publicity:media_detail")


@capability_required("publicity_log")
def media_edit(request, pk):
    report = get_visible(selectors.media_visible_to(request.user), pk=pk)
    form = MediaReportForm(request.POST or None, instance=report, user=request.user,
                           events=selectors.events_visible_to(request.user))
    return _edit(request, report, form,
                 lambda data: services.media_update(report=report, data=data, by=request.user),
                 title=_("Edit media report"), crumbs=_media_crumb(), detail="publicity:media_detail")
