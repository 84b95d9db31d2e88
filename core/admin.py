from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_mixins import NoDeleteMixin
from .models import AccessLog, CenterProfile, DeadlineRule, DeliveryReceipt, IssuedDocument


# Configuration: editable with history. The profile (with the number patterns) and the deadline
# rules are looked up by the code, so they are never deleted either; they are edited instead.
@admin.register(CenterProfile)
class CenterProfileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "abbr", "justice_bureau", "phone")

    def has_add_permission(self, request):
        return not CenterProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "length", "unit", "warn_days", "basis")
    list_editable = ("length", "unit", "warn_days")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "detail")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "user__username", "user__full_name")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _PrintRecordAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Printed records: shown for audit, written only by the print views."""

    added_only_by_services = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(_PrintRecordAdmin):
    list_display = ("number", "title", "issued_at", "issued_by", "reprints", "last_printed_at")
    search_fields = ("number", "title")
    date_hierarchy = "issued_at"


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(_PrintRecordAdmin):
    list_display = ("number", "document_title", "document_number", "served_to", "created_at", "created_by")
    search_fields = ("number", "document_number", "served_to")
