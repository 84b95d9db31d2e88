"""工作台 panel: the latest ledger imports, for those who import ledgers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.registry import Panel

from .exporters import export_response  # noqa: F401 - offered to the apps below (core.exports)


def panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or not user.can("ledger_import"):
        return []
    from .models import LedgerImport

    recent = list(LedgerImport.objects.select_related("created_by")[:5])
    return [Panel(_("Ledger imports"), "ledger/panel_imports.html", {"recent": recent}, order=90,
                  width="col-12 col-xl-6")]
