from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Import ledger"), "ledger:import_upload", "admin", capability="ledger_import", order=60,
            icon="file-earmark-arrow-up"),
]
