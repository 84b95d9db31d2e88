"""The materials of an application: the checklist, and the scans and photos of each material, served only
through this app (never from a public media URL)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import capability_required, get_visible
from core.flow import act, act_with

from .. import services
from ..forms import MaterialsForm
from ..selectors import material_files_visible_to, materials_visible_to
from ._common import visible_app

MATERIAL_CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def _files_anchor(application_id: int) -> str:
    return reverse("intake:application_detail", args=[application_id]) + "#material-files"


@capability_required("application_intake")
@require_POST
def application_materials(request, pk):
    received = {int(v) for v in request.POST.getlist("received") if v.isascii() and v.isdigit()}
    app = visible_app(request, pk)
    return act_with(request, MaterialsForm(request.POST), lambda data: services.materials_update(
        application=app, received=received, by=request.user, extra=data.get("extra", "")),
        done=lambda _result: _saved_message(app), to="intake:application_detail", args=(app.pk,))


def _saved_message(app) -> str:
    """Once the last missing material is ticked, say what the clerk still has to press: the review clock
    runs on only from "Materials supplied" (the daily task does it at the notice's date at the latest)."""
    app = type(app).objects.get(pk=app.pk)
    if app.status == app.Status.INCOMPLETE and not services.missing_materials(app):
        return _("Materials checklist saved. Every required material has arrived: press \"Materials supplied\" "
                 "so the review clock runs on.")
    return _("Materials checklist saved.")


@capability_required("application_intake")
@require_POST
def material_files_upload(request, pk):
    """Attach scans or photos (window scanner, station phone camera) to one material; a refused file keeps
    nothing and says why."""
    material = get_visible(materials_visible_to(request.user), pk=pk)
    return act(request, lambda: services.material_files_add(material=material, by=request.user,
                                                            uploads=request.FILES.getlist("files")),
               done=lambda saved: _("%(n)s file(s) attached to “%(material)s”.")
               % {"n": len(saved), "material": material.name},
               to=_files_anchor(material.application_id))


@capability_required("application_intake")
def material_file(request, pk):
    """A material's scan for those who may see the application, never from a public media URL."""
    item = get_visible(material_files_visible_to(request.user), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.material_file_opened(file=item, by=request.user)
    response = FileResponse(handle, content_type=MATERIAL_CONTENT_TYPES[item.kind],
                            as_attachment=request.GET.get("download") == "1", filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@capability_required("application_intake")
@require_POST
def material_file_remove(request, pk):
    item = get_visible(material_files_visible_to(request.user), pk=pk)
    return act(request, lambda: services.material_file_remove(file=item, by=request.user),
               done=_("File removed; it stays on record."), to=_files_anchor(item.material.application_id))
