from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import NoDeleteMixin

from .models import User


@admin.register(User)
class UserAdmin(NoDeleteMixin, BaseUserAdmin, SimpleHistoryAdmin):
    """A user who leaves is deactivated (is_active), never deleted: their name stays on what they did."""

    workflow_fields = ("last_login", "date_joined")
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


# The role groups are seeded by migrations and carry the capabilities; deleting one would strip
# every member of their role. Their permissions stay editable.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NoDeleteMixin, BaseGroupAdmin):
    pass


# Authenticator devices are managed in the app (enrolment on the own account page, reset by the director);
# the admin's own device pages would show the secret keys. Importing django-otp's admin module here, before
# autodiscover reaches it, lets us take its registration back once and for all.
import django_otp.plugins.otp_totp.admin  # noqa: E402,F401
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
