"""Reads of the money side: list querysets and the funding indicators (STATISTICS.md), as SQL aggregates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from core.choices import FUNDING_SOURCE

from .models import Budget, PaymentBatch, Spending, Subsidy

ZERO = Decimal("0.00")


def subsidies():
    return Subsidy.objects.select_related("case", "case__recipient", "handler", "handler__provider", "batch")


def batches():
    return PaymentBatch.objects.select_related("created_by").annotate(
        total=Sum("subsidies__amount"), count=Count("subsidies")).order_by("-created_at", "-pk")


def budgets():
    return Budget.objects.all()


def spending():
    return Spending.objects.select_related("batch", "created_by")


def cases_awaiting_subsidy():
    """Archived graded cases, and terminated cases with substantive work, that have no subsidy yet."""
    from cases.models import Case

    return (Case.objects.filter(Q(status="archived") & ~Q(grade="") |
                                Q(status="terminated", substantive_work=True))
            .filter(~Exists(Subsidy.objects.filter(case=OuterRef("pk"))))
            .select_related("handler", "handler__provider", "recipient")
            .order_by("archived_on", "pk"))


def rate(numerator, denominator) -> Decimal | None:
    """A percentage with one decimal; empty (None) when the denominator is 0 (STATISTICS.md)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


def indicators(start: date, end: date) -> dict[str, Decimal | int | None]:
    """The funding and subsidy indicators for [start, end] by their STATISTICS.md codes."""
    years = range(start.year, end.year + 1)
    budget_sums = Budget.objects.filter(year__in=years).aggregate(
        total=Sum("amount"),
        **{code: Sum("amount", filter=Q(source=code)) for code in FUNDING_SOURCE.codes},
    )
    spent = Spending.objects.filter(date__range=(start, end)).aggregate(
        total=Sum("amount"),
        subsidy=Sum("amount", filter=Q(category="case_subsidy")),
        publicity=Sum("amount", filter=Q(category="publicity")),
    )
    paid = Subsidy.objects.filter(status=Subsidy.Status.PAID, paid_on__range=(start, end)).aggregate(
        total=Sum("amount"), cases=Count("case", distinct=True))
    out: dict[str, Decimal | int | None] = {
        "subsidy.paid.total": paid["total"] or ZERO,
        "subsidy.paid.cases": paid["cases"] or 0,
    }
    out["subsidy.average"] = ((out["subsidy.paid.total"] / out["subsidy.paid.cases"]).quantize(Decimal("0.01"))
                              if out["subsidy.paid.cases"] else None)
    out["funding.budget"] = budget_sums["total"] or ZERO
    for code in FUNDING_SOURCE.codes:
        out[f"funding.budget.{code}"] = budget_sums[code] or ZERO
    out["funding.spent"] = spent["total"] or ZERO
    out["funding.spent.subsidy"] = spent["subsidy"] or ZERO
    out["funding.spent.publicity"] = spent["publicity"] or ZERO
    out["rate.funding_used"] = rate(out["funding.spent"], out["funding.budget"])
    out["rate.subsidy_share"] = rate(out["funding.spent.subsidy"], out["funding.spent"])
    return out


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
