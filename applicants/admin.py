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

    # The admin's page of a person and its history show the ID and phone in full: opening either is logged
    # like the person's own page (DOMAIN.md §13).
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log_view(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_view(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def _log_view(self, request, object_id) -> None:
        from .services import person_view_logged

        if request.method == "GET" and str(object_id).isascii() and str(object_id).isdigit():
            person = Person.objects.filter(pk=int(object_id)).first()
            if person is not None and self.has_view_permission(request, person):
                person_view_logged(person=person, by=request.user)


@admin.register(VulnerableEntry)
class VulnerableEntryAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint", "created_at")
    list_display = ["name", "category", "source", "valid_until"]
    list_filter = ["category"]
    search_fields = ["name", "id_number"]
