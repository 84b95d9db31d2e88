"""Admin for administrators: the network's tables with history. Nothing is deleted here either
(records are deactivated). Handlers and providers are managed by the roster screens of `cases`."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPoint, DutyShift, Liaison, Station, Volunteer


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Station)
class StationAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "kind", "host_partner", "township", "active", "closed_on")
    list_filter = ("kind", "host_partner", "active")
    search_fields = ("name", "code", "township")


@admin.register(ContactPoint)
class ContactPointAdmin(NoDeleteAdmin):
    list_display = ("name", "station", "village", "legal_adviser", "adviser_until", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "village")


@admin.register(Liaison)
class LiaisonAdmin(NoDeleteAdmin):
    list_display = ("name", "contact_point", "phone", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(Volunteer)
class VolunteerAdmin(NoDeleteAdmin):
    list_display = ("name", "organisation", "station", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "organisation")


@admin.register(DutyShift)
class DutyShiftAdmin(NoDeleteAdmin):
    list_display = ("date", "place_kind", "place", "handler", "station")
    list_filter = ("place_kind",)
    date_hierarchy = "date"
