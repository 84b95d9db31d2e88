from django.contrib import admin

from core.admin_mixins import NoDeleteAdmin

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
    """The checklist is ticked through materials_update, which also drives the supplementation notice."""

    model = ApplicationMaterial
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(NoDeleteAdmin):
    workflow_fields = (
        "number", "status", "review_due", "forwarded_at", "reached_center", "eligibility_result",
        "eligibility_reasons", "decided_on", "decided_by", "decision_number", "decision_reasons",
        "advance_review_on", "advance_review_confirmed", "withdrawn_on", "deemed_withdrawn",
        "import_fingerprint", "created_at", "created_by",
    )
    added_only_by_services = True  # application_receive numbers the receipt and starts the review clock
    list_display = ["number", "applicant", "status", "received_on", "review_due", "decided_on"]
    list_filter = ["status", "category"]
    search_fields = ["number", "applicant__name", "decision_number"]
    raw_id_fields = ["applicant"]
    inlines = [MaterialInline]


@admin.register(Consultation)
class ConsultationAdmin(NoDeleteAdmin):
    workflow_fields = ("application", "import_fingerprint", "created_at", "created_by")
    list_display = ["occurred_at", "channel", "station", "person_name", "topic", "outcome", "person_count"]
    list_filter = ["channel", "outcome", "station"]
    raw_id_fields = ["person"]


@admin.register(SupplementNotice)
class SupplementNoticeAdmin(NoDeleteAdmin):
    workflow_fields = ("application", "number", "issued_on", "due_on", "items", "fulfilled_on", "issued_by",
                       "reason")
    added_only_by_services = True  # supplement_notice_issue numbers it and pauses the review clock


@admin.register(Objection)
class ObjectionAdmin(NoDeleteAdmin):
    workflow_fields = ("application", "due_on", "outcome", "decided_on", "decided_by")
    added_only_by_services = True  # objection_file checks the application was refused


@admin.register(CriminalNotice)
class CriminalNoticeAdmin(NoDeleteAdmin):
    workflow_fields = ("created_at", "created_by")
    added_only_by_services = True  # notice_register opens the case awaiting assignment
    list_display = ["received_on", "organ", "notice_number", "person", "ground", "stage"]
    raw_id_fields = ["person"]


@admin.register(Matter)
class MatterAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint", "created_at", "created_by")
    list_display = ["date", "kind", "place", "lawyer_name", "person_name", "plea", "person_count"]
    list_filter = ["kind", "plea"]
