from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .forms import TargetForm
from .models import ReportRun, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = TargetForm  # the indicator is chosen from the STATISTICS.md list
    list_display = ["year", "code", "station", "value"]
    list_filter = ["year", "station"]
    search_fields = ["code"]


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["period", "station", "status", "progress", "requested_by", "scheduled", "created_at"]
    list_filter = ["status", "scheduled"]
    readonly_fields = ["xlsx", "docx", "started_at", "finished_at", "created_at"]
