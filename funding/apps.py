from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from cases.services import case_graded

        from .services import subsidy_on_grading

        case_graded.connect(subsidy_on_grading, dispatch_uid="funding.subsidy_on_grading")
