"""Admin for administrators: the network's tables with history. Nothing is deleted here either:
records are deactivated, with a date, through the network screens, so `active` and
`closed_on` are read-only here. Handlers and providers are managed by the roster screens of `cases`."""

from django.contrib import admin

from core.admin_mixins import NoDeleteAdmin

from .models import ContactPoint, DutyShift, Liaison, Station, Volunteer

CLOSING = ("active", "closed_on")


@admin.register(Station)
class StationAdmin(NoDeleteAdmin):
    workflow_fields = CLOSING
    list_display = ("name", "code", "kind", "host_partner", "township", "active", "closed_on")
    list_filter = ("kind", "host_partner", "active")
    search_fields = ("name", "code", "township")


@admin.register(ContactPoint)
class ContactPointAdmin(NoDeleteAdmin):
    workflow_fields = CLOSING
    list_display = ("name", "station", "village", "legal_adviser", "adviser_until", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "village")


@admin.register(Liaison)
class LiaisonAdmin(NoDeleteAdmin):
    workflow_fields = CLOSING
    list_display = ("name", "contact_point", "phone", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(Volunteer)
class VolunteerAdmin(NoDeleteAdmin):
    workflow_fields = CLOSING
    list_display = ("name", "organisation", "station", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "organisation")


@admin.register(DutyShift)
class DutyShiftAdmin(NoDeleteAdmin):
    list_display = ("date", "place_kind", "place", "handler", "station")
    list_filter = ("place_kind",)
    date_hierarchy = "date"
