from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _awaiting_batch(user) -> int:
    """The subsidies waiting for this user's step "put in a batch" (the subsidy table's phase)."""
    from .models import Subsidy
    from .workflow import SUBSIDY

    return Subsidy.objects.filter(SUBSIDY.phase_q("awaiting_batch") & SUBSIDY.todo_q(user)).count()


ITEMS = [
    NavItem(_("Funding overview"), "funding:overview", "money", capability="funding_manage", order=10,
            icon="graph-up"),
    NavItem(_("Cases awaiting a subsidy"), "funding:subsidy_pending", "money", capability="subsidy_manage",
            order=20, icon="calculator"),
    NavItem(_("Subsidies"), "funding:subsidy_list", "money", capability="subsidy_manage", order=25, icon="cash"),
    NavItem(_("Payment batches"), "funding:batch_list", "money", capability="payment_manage", order=30,
            icon="collection", badge=_awaiting_batch),
    NavItem(_("Quarterly public list"), "funding:public_list", "money", capability="payment_manage", order=35,
            icon="megaphone"),
    NavItem(_("Duty subsidies"), "funding:duty_subsidy", "money", capability="payment_manage", order=38,
            icon="calendar-check"),
    NavItem(_("Budgets"), "funding:budget_list", "money", capability="funding_manage", order=40, icon="piggy-bank"),
    NavItem(_("Spending"), "funding:spending_list", "money", capability="funding_manage", order=45,
            icon="receipt"),
    NavItem(_("Subsidy standards"), "funding:standards", "money", capability="subsidy_manage", order=60,
            icon="sliders"),
]
