from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from . import exports, services

        services.register_jobs()
        exports.register_jobs()
