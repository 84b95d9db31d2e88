"""Thin views of the money side, by topic: read through selectors, write through services (form → service →
message → redirect with core.flow); the buttons of a batch or a subsidy come from funding.workflow."""

from .batches import (
    batch_create,
    batch_detail,
    batch_list,
    batch_pay,
    batch_remove,
    batch_reverse,
    batch_voucher,
    reversal_approve,
    reversal_decline,
)
from .budgets import (
    budget_create,
    budget_detail,
    budget_edit,
    budget_list,
    spending_correct,
    spending_create,
    spending_detail,
    spending_edit,
    spending_list,
)
from .overview import overview, standards
from .payouts import duty_subsidy, public_list
from .subsidies import (
    payment_detail,
    subsidy_adjust,
    subsidy_compute,
    subsidy_detail,
    subsidy_list,
    subsidy_pending,
)

__all__ = [
    "batch_create", "batch_detail", "batch_list", "batch_pay", "batch_remove", "batch_reverse", "batch_voucher",
    "budget_create", "budget_detail", "budget_edit", "budget_list", "duty_subsidy", "overview", "payment_detail",
    "public_list", "reversal_approve", "reversal_decline", "spending_correct", "spending_create", "spending_detail",
    "spending_edit", "spending_list", "standards", "subsidy_adjust", "subsidy_compute", "subsidy_detail",
    "subsidy_list", "subsidy_pending",
]
