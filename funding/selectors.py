"""Reads of the money side: list querysets and the funding indicators (STATISTICS.md), as SQL aggregates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from .models import Budget, PaymentBatch, Spending, Subsidy, SubsidyPayment

ZERO = Decimal("0.00")


def subsidies():
    return Subsidy.objects.select_related("case", "case__recipient", "handler", "handler__provider", "batch")


def batches():
    return PaymentBatch.objects.select_related("created_by").annotate(
        total=Sum("subsidies__amount"), count=Count("subsidies")).order_by("-created_at", "-pk")


def batch_list():
    """The batches newest first, without their totals (with_totals gives them to a page's batches)."""
    return PaymentBatch.objects.select_related("created_by").order_by("-created_at", "-pk")


def with_totals(page: list[PaymentBatch]) -> list[PaymentBatch]:
    """The page's batches with `total` and `count` of their subsidies, as batches() has them, in one query of
    those batches' subsidies (batches() aggregates every batch of a province before picking a page), kept in
    the shared cache like a list's totals (core.counts: made afresh after any saved change): a province's
    quarterly batches hold some 25,000 subsidies each, 650,000 rows summed for a page."""
    from core.counts import cached

    keys = [b.pk for b in page]

    def make() -> dict:
        return {r["batch_id"]: (r["total"], r["count"])
                for r in Subsidy.objects.filter(batch_id__in=keys).order_by()
                .values("batch_id").annotate(total=Sum("amount"), count=Count("pk"))}

    sums = cached("batch-totals", ",".join(map(str, sorted(keys))), make) if keys else {}
    for b in page:
        b.total, b.count = sums.get(b.pk, (None, 0))
    return page


def awaiting_batch_totals() -> dict:
    """{"n", "t"}: the subsidies computed and not yet in a batch, their number and sum (the batch list's
    header), kept in the shared cache like a list's totals (core.counts)."""
    from core.counts import cached_totals

    from .workflow import SUBSIDY

    qs = Subsidy.objects.filter(SUBSIDY.phase_q("awaiting_batch"))
    return cached_totals("batch-waiting", qs, lambda: qs.order_by().aggregate(n=Count("pk"), t=Sum("amount")))


def finally_paid(start: date, end: date):
    """Payments made in [start, end) that were not reversed: what was finally paid (the Art. 58 list); a 0.00
    subsidy settled in a batch paid nothing and is not listed (as it counts in no subsidy.paid.cases)."""
    return (SubsidyPayment.objects.filter(kind=SubsidyPayment.Kind.PAYMENT, date__gte=start, date__lt=end,
                                          reversal_line__isnull=True).exclude(amount=0)
            .select_related("subsidy__case__recipient", "subsidy__handler", "payee_firm")
            .order_by("date", "subsidy__case__number", "pk"))


def budgets():
    return Budget.objects.all()


def spending():
    return Spending.objects.select_related("batch", "created_by")


# The change number (core.versions) of the entries and the batches they name (funding migration 0011).
SPENDING_VERSION = "funding_spending"


def spending_list():
    """The list's rows: their batch's number shown, not who entered them."""
    return Spending.objects.select_related("batch")


def cases_awaiting_subsidy():
    """Archived graded cases, and terminated cases with substantive work, that have no subsidy yet (a
    termination under objection, or overturned and not yet revoked, waits until it stands)."""
    from cases.models import Case
    from cases.workflow import OBJECTION_PENDING, TERMINATION_OVERTURNED

    return (Case.objects.filter(Q(status="archived") & ~Q(grade="") |
                                Q(status="terminated", substantive_work=True) & ~OBJECTION_PENDING
                                & ~TERMINATION_OVERTURNED)
            .filter(~Exists(Subsidy.objects.filter(case=OuterRef("pk"))))
            .select_related("handler", "handler__provider", "recipient")
            .order_by("archived_on", "pk"))


def indicators(start: date, end: date) -> dict[str, Decimal | int | float | None]:
    """The funding and subsidy indicators for [start, end] by their STATISTICS.md codes, evaluated from
    their one definition (funding/indicators.py) as the dashboard and the reports evaluate them."""
    from core.periods import Period

    from .indicators import REGISTRY

    kind = "year" if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year \
        else "range"
    p = Period(str(start.year) if kind == "year" else f"{start}:{end}", start, end, kind)
    return REGISTRY.evaluate(p)


def spending_by_month(start: date, end: date) -> list[dict]:
    return list(Spending.objects.filter(date__range=(start, end)).annotate(month=TruncMonth("date"))
                .values("month").annotate(total=Sum("amount"),
                                          subsidy=Sum("amount", filter=Q(category="case_subsidy")))
                .order_by("month"))


def spending_by_category(start: date, end: date) -> list[dict]:
    return list(Spending.objects.filter(date__range=(start, end)).values("category")
                .annotate(total=Sum("amount")).order_by("-total"))


CONSULTATION_PLACES = {"center", "station"}


def duty_days(start: date, end: date) -> list[dict]:
    """Days on duty per handler in [start, end]: duty-lawyer days (court, procuratorate, detention, other)
    and consultation-duty days (center window, station); a day counts once per kind."""
    from stations.models import DutyShift

    consult = Q(place_kind__in=CONSULTATION_PLACES)
    return list(DutyShift.objects.filter(date__range=(start, end))
                .values("handler_id", "handler__name", "handler__provider__name")
                .annotate(duty=Count("date", distinct=True, filter=~consult),
                          consultation=Count("date", distinct=True, filter=consult))
                .order_by("handler__name"))
