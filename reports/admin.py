from django.contrib import admin

from core.admin_mixins import KeptConfigAdmin, NoDeleteMixin

from .forms import TargetForm
from .models import ReportRun, Target


@admin.register(Target)
class TargetAdmin(KeptConfigAdmin):
    form = TargetForm  # the indicator is chosen from the STATISTICS.md list
    list_display = ["year", "code", "station", "value"]
    list_filter = ["year", "station"]
    search_fields = ["code"]


@admin.register(ReportRun)
class ReportRunAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Runs are a record of what was built and sent: never deleted, not even by a superuser."""

    workflow_fields = ("status", "progress", "error", "requested_by", "scheduled", "figures", "differences",
                       "xlsx_sha256", "docx_sha256")
    list_display = ["period", "station", "status", "progress", "requested_by", "scheduled", "created_at",
                    "submitted_at"]
    list_filter = ["status", "scheduled"]
    readonly_fields = ["xlsx", "docx", "started_at", "finished_at", "created_at", "submitted_at", "submitted_by"]

    def has_change_permission(self, request, obj=None):
        # A submitted version is frozen (its figures and files are what the justice bureau received).
        return super().has_change_permission(request, obj) and (obj is None or obj.submitted_at is None)
