from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Application,
    ApplicationMaterial,
    Consultation,
    CriminalNotice,
    Matter,
    Objection,
    SupplementNotice,
)


class MaterialInline(admin.TabularInline):
    model = ApplicationMaterial
    extra = 0


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "applicant", "status", "received_on", "review_due", "decided_on"]
    list_filter = ["status", "category"]
    search_fields = ["number", "applicant__name", "decision_number"]
    raw_id_fields = ["applicant"]
    inlines = [MaterialInline]


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_at", "channel", "station", "person_name", "topic", "outcome", "person_count"]
    list_filter = ["channel", "outcome", "station"]
    raw_id_fields = ["person", "application"]


admin.site.register([SupplementNotice, Objection], SimpleHistoryAdmin)


@admin.register(CriminalNotice)
class CriminalNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["received_on", "organ", "notice_number", "person", "ground", "stage"]
    raw_id_fields = ["person"]


@admin.register(Matter)
class MatterAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "place", "lawyer_name", "person_name", "plea", "person_count"]
    list_filter = ["kind", "plea"]
