from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from cases.services import case_graded, termination_revoking

        from .services import subsidy_blocks_resumption, subsidy_on_grading

        case_graded.connect(subsidy_on_grading, dispatch_uid="funding.subsidy_on_grading")
        termination_revoking.connect(subsidy_blocks_resumption, dispatch_uid="funding.subsidy_blocks_resumption")
