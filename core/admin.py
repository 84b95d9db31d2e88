from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_mixins import NoDeleteMixin
from .models import AccessLog, CenterProfile, DeadlineRule


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
