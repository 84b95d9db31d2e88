from django.contrib import admin

from core.admin_mixins import NoDeleteAdmin

from .models import Event, MediaReport


@admin.register(Event)
class EventAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint", "created_at", "created_by")
    list_display = ("date", "title", "form", "station", "materials", "onsite", "audience")
    list_filter = ("form", "station")
    search_fields = ("title", "place")
    date_hierarchy = "date"
    filter_horizontal = ("staff", "lawyers", "volunteers")


@admin.register(MediaReport)
class MediaReportAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint", "created_at")
    list_display = ("date", "outlet", "level", "title", "station")
    list_filter = ("level",)
    search_fields = ("title", "outlet")
    date_hierarchy = "date"
