from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "full_name", "station", "is_active", "last_login")
    list_filter = ("is_active", "groups", "station")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Legal aid"), {"fields": ("full_name", "phone", "station")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Legal aid"), {"fields": ("full_name", "station", "groups")}),
    )
