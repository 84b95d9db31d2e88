"""Web import of Excel ledgers: upload, preview, confirm, done (capability ledger_import)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.access import get_visible, require
from core.models import AccessLog
from core.paging import paginate
from core.xlsx import XLSX_MIME

from . import exports
from .forms import LedgerUploadForm
from .models import ExportJob, LedgerImport
from .services import ledger_confirm, ledger_retry, ledger_upload

CAP = "ledger_import"

# Where to look after an import: (label, URL name), shown when the URL exists.
AFTER_IMPORT = [
    (_("Dashboard"), "home"),
    (_("Statistics"), "reports:dashboard"),
    ("案件", "cases:case_list"),
    ("咨询", "intake:consultation_list"),
    ("宣传活动", "publicity:event_list"),
    ("媒体报道", "publicity:media_list"),
    ("值班与代书", "intake:matter_list"),
    ("经费预算", "funding:budget_list"),
    ("经费支出", "funding:spending_list"),
    ("困难群体", "applicants:registry_list"),
]


def _links(counts: dict | None = None) -> list[tuple[str, str]]:
    links = []
    for label, name in AFTER_IMPORT:
        if counts is not None and label in {"案件", "咨询", "宣传活动", "媒体报道", "值班与代书", "经费预算",
                                             "经费支出", "困难群体"} and label not in counts:
            continue
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return links


def _imports():
    return LedgerImport.objects.select_related("created_by", "station")


def import_upload(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require(request.user, CAP)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imp = ledger_upload(file=form.cleaned_data["file"], station=form.cleaned_data["station"],
                                by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("ledger:import_detail", pk=imp.pk)
    recent = _imports()[:10]
    return render(request, "ledger/upload.html", {
        "form": form, "recent": recent,
        "breadcrumbs": [(_("Import ledger"), None)],
    })


def _get(request, pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return None, redirect_to_login(request.get_full_path())
    require(request.user, CAP)
    return get_visible(_imports(), pk=pk), None


def _context(imp):
    from .importing import ledger_sheets

    counts = imp.counts or {}  # jsonb reorders keys: show the sheets in the ledger's order
    sheets = [(sheet, counts[sheet]) for sheet in ledger_sheets() if sheet in counts]
    return {
        "imp": imp, "sheets": sheets,
        "total_rows": sum(c.get("rows", 0) for _s, c in sheets),
        "total_created": sum(c.get("created", 0) for _s, c in sheets),
        "total_matched": sum(c.get("matched", 0) for _s, c in sheets),
        "busy": imp.status in {LedgerImport.Status.VALIDATING, LedgerImport.Status.IMPORTING,
                               LedgerImport.Status.UPLOADED},
        "links": _links(imp.counts) if imp.status == LedgerImport.Status.DONE else [],
    }


def import_detail(request, pk):
    imp, response = _get(request, pk)
    if response:
        return response
    ctx = _context(imp)
    ctx["breadcrumbs"] = [(_("Import ledger"), reverse("ledger:import_upload")), (imp.original_name, None)]
    return render(request, "ledger/detail.html", ctx)


def import_progress(request, pk):
    """htmx polling: the status block; when the work is finished, the whole page reloads."""
    imp, response = _get(request, pk)
    if response:
        return response
    ctx = _context(imp)
    result = render(request, "ledger/_progress.html", ctx)
    if not ctx["busy"]:
        result["HX-Refresh"] = "true"
    return result


def _step(request, pk, service):
    """A button of the import's page: `service(imp=, by=)`, its refusal as one message, back to the page."""
    imp, response = _get(request, pk)
    if response:
        return response
    try:
        service(imp=imp, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ledger:import_detail", pk=imp.pk)


@require_POST
def import_confirm(request, pk):
    return _step(request, pk, ledger_confirm)


@require_POST
def import_retry(request, pk):
    return _step(request, pk, ledger_retry)


# --- large exports (ledger.exports) --------------------------------------------------------------------

def _my_exports(request):
    """The user's own exports, while the user may still see what each holds (exports.exports_visible_to):
    another's, or one asked with a wider scope than the user's now, answers 404."""
    return exports.exports_visible_to(request.user)


@login_required
def export_list(request):
    """The user's own exports of the last weeks (each holds only what they could see when asking; those asked
    with a wider scope than the user's now are left out)."""
    page = paginate(request, _my_exports(request))
    return render(request, "ledger/export_list.html", {
        "page_obj": page, "keep_days": getattr(settings, "EXPORT_FILES_KEEP_DAYS", 7),
        "breadcrumbs": [(_("My exports"), None)],
    })


@login_required
def export_detail(request, pk):
    job = exports.expire_file(get_object_or_404(_my_exports(request), pk=pk))
    return render(request, "ledger/export_detail.html", {
        "job": job, "keep_days": getattr(settings, "EXPORT_FILES_KEEP_DAYS", 7),
        "breadcrumbs": [(_("My exports"), reverse("ledger:export_list")), (job.filename, None)],
    })


@login_required
def export_status(request, pk):
    """htmx polling: the status block; when the file is built, the whole page reloads."""
    job = get_object_or_404(_my_exports(request), pk=pk)
    response = render(request, "ledger/_export_status.html", {"job": job})
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        response["HX-Refresh"] = "true"
    return response


@login_required
def export_download(request, pk):
    job = exports.expire_file(get_object_or_404(_my_exports(request), pk=pk))
    if job.file_removed_at:  # the page says when and why
        return redirect("ledger:export_detail", pk=job.pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    try:
        fh = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    AccessLog.objects.create(user=request.user, action="download", object_type="ledger.ExportJob",
                             object_id=str(job.pk), detail=job.filename[:200])
    response = FileResponse(fh, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def export_retry(request, pk):
    job = get_object_or_404(_my_exports(request), pk=pk)
    try:
        exports.export_retry(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ledger:export_detail", pk=job.pk)
