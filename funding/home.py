"""工作台 panels: finance sees what waits to be computed, batched and paid; the director sees this year's funding use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.counts import cached
from core.registry import Panel


def panels(request) -> list[Panel]:
    user = request.user
    out: list[Panel] = []
    if not user.is_authenticated:
        return out
    from . import selectors
    from .models import BatchReversal, Subsidy
    from .workflow import BATCH, REVERSAL, SUBSIDY

    if user.can("payment_manage") and user.has_role(roles.FINANCE):
        waiting = (Subsidy.objects.filter(SUBSIDY.phase_q("awaiting_batch") & SUBSIDY.todo_q(user))
                   .aggregate(n=Count("pk"), t=Sum("amount")))
        open_batches = list(selectors.batches().filter(BATCH.phase_q("awaiting_payment") & BATCH.todo_q(user))[:5])
        out.append(Panel(_("Subsidies to pay"), "funding/panel_finance.html", {
            "waiting": waiting, "open_batches": open_batches,
            "to_compute": cached("home-to-compute", *to_compute(), settle=True),
        }, order=40))
    asked = list(BatchReversal.objects.filter(REVERSAL.todo_q(user))  # the reversals awaiting this user's approval
                 .select_related("batch", "requested_by").order_by("requested_at", "pk")[:10])
    if asked:
        out.append(Panel(_("Reversals awaiting your approval"), "funding/panel_reversals.html",
                         {"asked": asked}, order=8))
    if user.can("funding_manage") and (user.has_role(roles.DIRECTOR) or user.has_role(roles.FINANCE)):
        today = timezone.localdate()
        values = cached("home-funding", *year_figures(today), settle=True)
        out.append(Panel(_("Funding this year"), "funding/panel_funding.html", {"v": values, "year": today.year},
                         order=45))
    return out


def year_figures(today) -> tuple[str, Callable[[], dict]]:
    """The cache scope and the making of this year's funding figures on the workbench (core.counts)."""
    from . import selectors

    return str(today.year), lambda: selectors.indicators(date(today.year, 1, 1), date(today.year, 12, 31))


def to_compute() -> tuple[str, Callable[[], int]]:
    """The cache scope and the count of cases waiting for their subsidy to be computed, on finance's workbench:
    an anti-join over a province's archived cases (650 ms on a million), settled and warmed like the figures."""
    from . import selectors

    return "-", lambda: selectors.cases_awaiting_subsidy().count()


def duty_month_posted(year: int, month: int) -> bool:
    """Whether the duty subsidies of the month are posted (services.duty_subsidy_post, once per month): offered to
    stations (core.registry.provided), whose roster then keeps that month's days as they were paid."""
    from .models import Spending
    from .services import duty_fingerprint

    return Spending.objects.filter(import_fingerprint=duty_fingerprint(year, month)).exists()
