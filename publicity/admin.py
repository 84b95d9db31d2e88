from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, MediaReport


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(NoDeleteAdmin):
    list_display = ("date", "title", "form", "station", "materials", "onsite", "audience")
    list_filter = ("form", "station")
    search_fields = ("title", "place")
    date_hierarchy = "date"
    filter_horizontal = ("staff", "lawyers", "volunteers")


@admin.register(MediaReport)
class MediaReportAdmin(NoDeleteAdmin):
    list_display = ("date", "outlet", "level", "title", "station")
    list_filter = ("level",)
    search_fields = ("title", "outlet")
    date_hierarchy = "date"
