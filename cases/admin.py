from django.contrib import admin

from core.admin_mixins import KeptConfigAdmin

from .models import GradingScale


# Cases and everything on them have no admin: they change only through the case screens' services.
@admin.register(GradingScale)
class GradingScaleAdmin(KeptConfigAdmin):
    list_display = ["__str__", "excellent_min", "good_min", "pass_min"]
