"""Excel exports of every list, each sheet as the app whose records it holds defines it (core.sheets).

List views call ``export_response(sheet, queryset, filename=..., full=user.can("applicant_view_full"))``
(through core.exports) with ``?export=xlsx``. Rows are streamed: a server-side cursor (core.xlsx.chunked)
feeds a write-only workbook (core.xlsx.SafeWorkbook, formula-injection safe), read as tuples with their
related columns joined (values_list) where the sheet allows. The eight LEDGER.md sheets' columns are the
import's, so an exported file imports back (with ``full=True``; masked ID numbers and phones are recognised by
the importer and never stored).
"""

from __future__ import annotations

from django.http import HttpResponse

from core.sheets import HEADERS as COLUMNS
from core.sheets import rows, write_sheet
from core.xlsx import SafeWorkbook, workbook_response

__all__ = ["COLUMNS", "export_response", "rows", "write_sheet"]


def export_response(sheet: str, queryset, *, filename: str, full: bool = False, request=None) -> HttpResponse:
    """Stream `queryset` as one sheet of the ledger; `full=False` masks ID numbers and phones.

    Given the request, a list over EXPORT_BACKGROUND_ROWS rows is exported in the background instead
    (ledger.exports): the user is sent to the job's page, which offers the file when it is built."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    if request is not None and request.user.is_authenticated:
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from core import jobs

        from .exports import is_large, request_export

        if is_large(queryset):
            params = request.GET.copy()
            params.pop("export", None)
            back = request.path + (f"?{params.urlencode()}" if params else "")
            job = request_export(sheet=sheet, queryset=queryset, filename=filename, full=full, user=request.user,
                                 list_url=back)
            messages.info(request, _("The list is long; it is exported in the background. The file appears "
                                     "here when it is ready.") if job.queued else jobs.queued_message())
            return redirect("ledger:export_detail", job.pk)
    if full and request is not None and request.user.is_authenticated:
        _log_full_export(user=request.user, sheet=sheet, queryset=queryset, filename=filename)
    book = SafeWorkbook()
    write_sheet(book, sheet, queryset, full=full)
    return workbook_response(book, filename)


def _log_full_export(*, user, sheet: str, queryset, filename: str) -> None:
    """A list with the full ID numbers and phones is the full records of everybody on it: who took it is logged,
    as opening one person's record is (DOMAIN.md §13). A long list, built in the background, is logged when its
    file is downloaded (ledger.views.export_download)."""
    from core.models import AccessLog

    model = getattr(queryset, "model", None)
    AccessLog.objects.create(user=user, action="export", object_type=(model._meta.label if model else sheet)[:50],
                             object_id="", detail=filename[:200])
