from django.contrib import admin

from core.admin_mixins import KeptConfigAdmin, NoDeleteAdmin

from .models import EligibilityItem, EligibilityPolicy, Person, VulnerableEntry


class EligibilityItemInline(admin.TabularInline):
    model = EligibilityItem
    extra = 1
    can_delete = False  # an item the province dropped is unticked (active), not deleted
    fields = ["kind", "code", "name", "causes", "active", "sort"]


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(KeptConfigAdmin):
    list_display = ["year", "urban_base", "rural_base", "multiplier", "basis", "asset_test"]
    inlines = [EligibilityItemInline]


@admin.register(Person)
class PersonAdmin(NoDeleteAdmin):
    workflow_fields = ("merged_into", "created_at", "created_by")  # merged only by person_merge
    list_display = ["name", "sex", "birth_date", "township", "merged_into"]
    search_fields = ["name", "id_number", "phone"]


@admin.register(VulnerableEntry)
class VulnerableEntryAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint", "created_at")
    list_display = ["name", "category", "source", "valid_until"]
    list_filter = ["category"]
    search_fields = ["name", "id_number"]
