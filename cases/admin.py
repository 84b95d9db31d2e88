from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GradingScale


@admin.register(GradingScale)
class GradingScaleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "excellent_min", "good_min", "pass_min"]
