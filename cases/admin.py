from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GradingScale


# Cases and everything on them have no admin: they change only through the case screens' services.
@admin.register(GradingScale)
class GradingScaleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "excellent_min", "good_min", "pass_min"]
