"""Views of publicity: events (with photos) and media reports. Another station's record → 404."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_visible, require
from core.paging import paginate
from stations.viewutils import form_errors_from

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


# --- Events -------------------------------------------------------------------

@login_required
def event_list(request):
    require(request.user, "publicity_log")
    filterset = EventFilter(request.GET or None, queryset=selectors.event_list(request.user), user=request.user)
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "宣传活动", qs.order_by("date", "pk"), f"宣传活动-{timezone.localdate():%Y%m%d}.xlsx")
    page = paginate(request, qs)
    return render(request, "publicity/event_list.html", {
        "filter": filterset, "page_obj": page, "events": page.object_list,
        "totals": selectors.event_totals(qs), "breadcrumbs": [(_("Publicity events"), None)],
    })


@login_required
def event_detail(request, pk):
    require(request.user, "publicity_log")
    event = selectors.event_for_detail(request.user, pk)
    return render(request, "publicity/event_detail.html", {
        "event": event, "breadcrumbs": _events_crumb() + [(event.title, None)],
    })


@login_required
def event_create(request):
    require(request.user, "publicity_log")
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos", [])
        try:
            event = services.event_create(data=data, photos=photos, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Event recorded."))
            return redirect("publicity:event_detail", pk=event.pk)
    return _form_page(request, form=form, title=_("Record a publicity event"), breadcrumbs=_events_crumb(),
                      cancel_url=reverse("publicity:event_list"))


@login_required
def event_edit(request, pk):
    require(request.user, "publicity_log")
    event = get_visible(selectors.events_visible_to(request.user), pk=pk)
    form = EventForm(request.POST or None, request.FILES or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos", [])
        try:
            services.event_update(event=event, data=data, photos=photos, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("publicity:event_detail", pk=event.pk)
    detail = reverse("publicity:event_detail", args=[event.pk])
    return _form_page(request, form=form, title=_("Edit publicity event"), cancel_url=detail,
                      breadcrumbs=_events_crumb() + [(event.title, detail)], history_object=event)


@login_required
def event_photo(request, pk):
    """A photo of an event the user may see, never from a public media URL."""
    require(request.user, "publicity_log")
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
    try:
        services.photo_remove(photo=photo, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Photo removed."))
    return redirect("publicity:event_detail", pk=photo.event_id)


# --- Media reports ------------------------------------------------------------

@login_required
def media_list(request):
    require(request.user, "publicity_log")
    filterset = MediaFilter(request.GET or None, queryset=selectors.media_visible_to(request.user))
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "媒体报道", qs.order_by("date", "pk"), f"媒体报道-{timezone.localdate():%Y%m%d}.xlsx")
    page = paginate(request, qs)
    return render(request, "publicity/media_list.html", {
        "filter": filterset, "page_obj": page, "reports": page.object_list, "total": page.paginator.count,
        "breadcrumbs": [(_("Media reports"), None)],
    })


@login_required
def media_detail(request, pk):
    require(request.user, "publicity_log")
    report = get_visible(selectors.media_visible_to(request.user), pk=pk)
    return render(request, "publicity/media_detail.html", {
        "report": report, "breadcrumbs": _media_crumb() + [(str(report), None)],
    })


@login_required
def media_create(request):
    require(request.user, "publicity_log")
    form = MediaReportForm(request.POST or None, user=request.user,
                           events=selectors.events_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.media_create(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Media report recorded."))
            return redirect("publicity:media_detail", pk=report.pk)
    return _form_page(request, form=form, title=_("Record a media report"), breadcrumbs=_media_crumb(),
                      cancel_url=reverse("publicity:media_list"))


@login_required
def media_edit(request, pk):
    require(request.user, "publicity_log")
    report = get_visible(selectors.media_visible_to(request.user), pk=pk)
    form = MediaReportForm(request.POST or None, instance=report, user=request.user,
                           events=selectors.events_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.media_update(report=report, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("publicity:media_detail", pk=report.pk)
    detail = reverse("publicity:media_detail", args=[report.pk])
    return _form_page(request, form=form, title=_("Edit media report"), cancel_url=detail,
                      breadcrumbs=_media_crumb() + [(str(report), detail)], history_object=report)
