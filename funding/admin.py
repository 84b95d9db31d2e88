from django.contrib import admin

from core.admin_mixins import KeptConfigAdmin, NoDeleteAdmin

from .models import Budget, BudgetYearLock, PaymentBatch, Spending, Subsidy, SubsidyPolicy, SubsidyStandard

# Configuration: standards, policies and closed years, editable with history.


@admin.register(SubsidyStandard)
class SubsidyStandardAdmin(KeptConfigAdmin):
    list_display = ["year", "category", "scope", "amount_pass", "amount_good", "amount_excellent"]
    list_filter = ["year", "category"]
    list_editable = ["amount_pass", "amount_good", "amount_excellent"]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(KeptConfigAdmin):
    list_display = ["year", "fail_share", "terminated_share", "extra_recipient_amount", "extra_recipient_cap",
                    "outside_county_amount", "major_case_amount", "duty_day_rate", "consultation_day_rate"]


@admin.register(BudgetYearLock)
class BudgetYearLockAdmin(KeptConfigAdmin):
    list_display = ["year", "locked_on"]


# Domain records: the money itself.


class MoneyPagesOnly(NoDeleteAdmin):
    """Shown here, entered and corrected only on the money pages, whose services keep the rules of money
    (DOMAIN §7): never dated after today, nothing in a closed year, amounts above zero, subsidy postings only
    by their batch, a manual entry edited on its day only and corrected by reversal after that."""

    added_only_by_services = True

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Budget)
class BudgetAdmin(MoneyPagesOnly):
    workflow_fields = ("import_fingerprint",)
    list_display = ["year", "source", "amount", "note"]
    list_filter = ["year", "source"]


@admin.register(Spending)
class SpendingAdmin(MoneyPagesOnly):
    workflow_fields = ("batch", "reverses", "reason", "import_fingerprint", "created_by")
    list_display = ["date", "category", "amount", "description", "batch"]
    list_filter = ["category"]
    date_hierarchy = "date"


@admin.register(PaymentBatch)
class PaymentBatchAdmin(NoDeleteAdmin):
    workflow_fields = ("number", "status", "paid_on", "created_at", "created_by")
    added_only_by_services = True  # batch_create numbers it and gathers the subsidies
    list_display = ["number", "status", "paid_on", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        """A batch paid (or reversed) is corrected by reversal, never edited (DOMAIN §7): not even whom its
        vouchers name or its title."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != PaymentBatch.Status.OPEN:
            fields += [f for f in ("vouchers_per", "title") if f not in fields]
        return fields


@admin.register(Subsidy)
class SubsidyAdmin(NoDeleteAdmin):
    workflow_fields = ("case", "handler", "computed_amount", "lines", "amount", "adjustment_reason", "status",
                       "batch", "paid_on", "created_at")
    added_only_by_services = True  # computed from an archived, graded case
    list_display = ["case", "handler", "amount", "status", "batch", "paid_on"]
    list_filter = ["status"]
