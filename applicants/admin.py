from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EligibilityItem, EligibilityPolicy, Person, VulnerableEntry


class EligibilityItemInline(admin.TabularInline):
    model = EligibilityItem
    extra = 1
    fields = ["kind", "code", "name", "causes", "active", "sort"]


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["year", "urban_base", "rural_base", "multiplier", "basis", "asset_test"]
    inlines = [EligibilityItemInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sex", "birth_date", "township", "merged_into"]
    search_fields = ["name", "id_number", "phone"]
    raw_id_fields = ["merged_into"]


@admin.register(VulnerableEntry)
class VulnerableEntryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "source", "valid_until"]
    list_filter = ["category"]
    search_fields = ["name", "id_number"]
