from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Budget, BudgetYearLock, PaymentBatch, Spending, Subsidy, SubsidyPolicy, SubsidyStandard


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


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "source", "amount", "note"]
    list_filter = ["year", "source"]


@admin.register(Spending)
class SpendingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "category", "amount", "description", "batch"]
    list_filter = ["category"]
    date_hierarchy = "date"
    readonly_fields = ["batch"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(SimpleHistoryAdmin):
    list_display = ["number", "status", "paid_on", "created_at"]
    readonly_fields = ["number", "status", "paid_on", "created_by"]


@admin.register(Subsidy)
class SubsidyAdmin(SimpleHistoryAdmin):
    list_display = ["case", "handler", "amount", "status", "batch", "paid_on"]
    list_filter = ["status"]
    readonly_fields = ["case", "handler", "computed_amount", "lines", "amount", "status", "batch", "paid_on"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
