"""Admin for administrators: the network's tables with history. Nothing is deleted here either:
records are deactivated, with a date, through the network screens, so `active` and
`closed_on` are read-only here. Handlers and providers are managed by the roster screens of `cases`."""

from django.contrib import admin

from core.admin_mixins import NoDeleteAdmin

from .models import ContactPoint, DutyShift, Liaison, Station, Volunteer

CLOSING = ("active", "closed_on")


class NetworkRecordAdmin(NoDeleteAdmin):
    """A station, contact point, liaison or volunteer. A new one is given its opening date: left empty it would
    count as open on every past end date (models.open_on) and change figures already reported, as the network
    screens' services refuse too (services._opened_today_unless_said). One counted in its station's figures
    through `place_field` (a volunteer and a contact point by their station, a liaison by its contact point:
    network.*) keeps it once saved: moving it would move its past into another station's periods."""

    workflow_fields = CLOSING
    place_field = ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.place_field and self.place_field not in fields:
            fields.append(self.place_field)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "opened_on" in form.base_fields:
            form.base_fields["opened_on"].required = True
        return form


@admin.register(Station)
class StationAdmin(NetworkRecordAdmin):
    list_display = ("name", "code", "kind", "host_partner", "township", "active", "closed_on")
    list_filter = ("kind", "host_partner", "active")
    search_fields = ("name", "code", "township")


@admin.register(ContactPoint)
class ContactPointAdmin(NetworkRecordAdmin):
    place_field = "station"
    list_display = ("name", "station", "village", "legal_adviser", "adviser_until", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "village")


@admin.register(Liaison)
class LiaisonAdmin(NetworkRecordAdmin):
    place_field = "contact_point"
    list_display = ("name", "contact_point", "phone", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(Volunteer)
class VolunteerAdmin(NetworkRecordAdmin):
    place_field = "station"
    list_display = ("name", "organisation", "station", "active")
    list_filter = ("station", "active")
    search_fields = ("name", "organisation")


@admin.register(DutyShift)
class DutyShiftAdmin(NoDeleteAdmin):
    list_display = ("date", "place_kind", "place", "handler", "station")
    list_filter = ("place_kind",)
    date_hierarchy = "date"
