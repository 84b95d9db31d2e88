"""List exports: an app's list view hands its filtered, scoped queryset here.

The ledger app (above every list's app) writes the sheet and decides whether a long list is built in the
background; it offers `export_response` from its home.py (core.registry.provided), so the apps below it
never import it.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from .registry import provided


def export_response(sheet: str, queryset, *, filename: str, full: bool = False, request=None) -> HttpResponse:
    """The list as one sheet of the ledger (`full=False` masks ID numbers and phones): ledger.exporters."""
    writer = provided("export_response")
    if writer is None:
        raise ImproperlyConfigured("List exports need the ledger app in INSTALLED_APPS.")
    return writer(sheet, queryset, filename=filename, full=full, request=request)
