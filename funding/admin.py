from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import NoDeleteAdmin

from .models import Budget, BudgetYearLock, PaymentBatch, Spending, Subsidy, SubsidyPolicy, SubsidyStandard

# Configuration: standards, policies and closed years, editable with history.


@admin.register(SubsidyStandard)
class SubsidyStandardAdmin(SimpleHistoryAdmin):
    list_display = ["year", "category", "scope", "amount_pass", "amount_good", "amount_excellent"]
    list_filter = ["year", "category"]
    list_editable = ["amount_pass", "amount_good", "amount_excellent"]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["year", "fail_share", "terminated_share", "extra_recipient_amount", "extra_recipient_cap",
                    "outside_county_amount", "major_case_amount", "duty_day_rate", "consultation_day_rate"]


@admin.register(BudgetYearLock)
class BudgetYearLockAdmin(SimpleHistoryAdmin):
    list_display = ["year", "locked_on"]


# Domain records: the money itself.


@admin.register(Budget)
class BudgetAdmin(NoDeleteAdmin):
    workflow_fields = ("import_fingerprint",)
    list_display = ["year", "source", "amount", "note"]
    list_filter = ["year", "source"]


@admin.register(Spending)
class SpendingAdmin(NoDeleteAdmin):
    workflow_fields = ("batch", "reverses", "reason", "import_fingerprint", "created_by")
    list_display = ["date", "category", "amount", "description", "batch"]
    list_filter = ["category"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.batch_id or obj.reverses_id or obj.reversals.exists()):
            # A subsidy posting is payment data: it changes only through its batch; a correction and the
            # entry it corrects stand as they are (红字冲销).
            return [f.name for f in obj._meta.concrete_fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(NoDeleteAdmin):
    workflow_fields = ("number", "status", "paid_on", "created_at", "created_by")
    added_only_by_services = True  # batch_create numbers it and gathers the subsidies
    list_display = ["number", "status", "paid_on", "created_at"]


@admin.register(Subsidy)
class SubsidyAdmin(NoDeleteAdmin):
    workflow_fields = ("case", "handler", "computed_amount", "lines", "amount", "adjustment_reason", "status",
                       "batch", "paid_on", "created_at")
    added_only_by_services = True  # computed from an archived, graded case
    list_display = ["case", "handler", "amount", "status", "batch", "paid_on"]
    list_filter = ["status"]
