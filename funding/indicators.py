"""Indicators of subsidies and funding (STATISTICS.md), each defined once (core/indicators.py), and the
labels the funding page shows them with. Decisions: reports/DECISIONS.md."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import FUNDING_SOURCE
from core.indicators import Family, Measure, Ratio, Registry
from core.periods import Period

from .models import Budget, Spending, SubsidyPayment

# Dated payment lines, so past periods never move: a reversal is a negative line in the period it happens.
SUBSIDIES = Family("subsidy_payments", lambda p: SubsidyPayment.objects.all(), "subsidy__case__station")
# Budgets and spending have no station: a station's figures leave them empty, not 0.
BUDGETS = Family("budgets", lambda p: Budget.objects.all(), None)
SPENDING = Family("spending", lambda p: Spending.objects.all(), None)


def _paid(p: Period) -> Q:
    return Q(date__gte=p.start, date__lte=p.end)


def _paid_cases(p: Period) -> Q:
    # A 0.00 subsidy (不合格 at a 0 % share) settled in a batch paid nothing: its line (and the reversal of it)
    # is no case whose subsidy was paid, and does not lower subsidy.average (DECISIONS.md, Money).
    return _paid(p) & ~Q(amount=0)


def _years(p: Period) -> Q:
    # The budget of every year the period touches (a range across two years adds both years).
    return Q(year__in=p.years())


def _source(source: str):
    return lambda p: _years(p) & Q(source=source)


def _spent(p: Period, *categories: str) -> Q:
    q = Q(date__gte=p.start, date__lte=p.end)
    return q & Q(category__in=categories) if categories else q


SOURCE_NAMES = {"central": "中央转移支付", "provincial": "省级专项", "municipal": "市级", "county": "县级财政",
                "other": "其他来源"}

subsidy_measures = [
    Measure("subsidy.paid.total", "发放办案补贴", "元", SUBSIDIES, _paid, "amount", money=True),
    # Net cases paid: +1 per payment line, −1 per reversal line (a summed field, so the list's sum row equals it).
    Measure("subsidy.paid.cases", "发放补贴案件", "件", SUBSIDIES, _paid_cases, "case_count"),
    Ratio("subsidy.average", "案均补贴", "元", "subsidy.paid.total", "subsidy.paid.cases", percent=False),
]

funding_measures = [
    Measure("funding.budget", "经费预算", "元", BUDGETS, _years, "amount", money=True, level=True),
    *[Measure(f"funding.budget.{s}", SOURCE_NAMES[s], "元", BUDGETS,
              _source(s), "amount", money=True, level=True) for s in FUNDING_SOURCE.codes],
    Measure("funding.spent", "经费支出", "元", SPENDING, lambda p: _spent(p), "amount", money=True),
    Measure("funding.spent.subsidy", "办案补贴支出", "元", SPENDING, lambda p: _spent(p, "case_subsidy"), "amount",
            money=True),
    Measure("funding.spent.publicity", "宣传支出", "元", SPENDING, lambda p: _spent(p, "publicity"), "amount",
            money=True),
    Ratio("rate.funding_used", "经费使用率", "%", "funding.spent", "funding.budget"),
    Ratio("rate.subsidy_share", "办案补贴占比", "%", "funding.spent.subsidy", "funding.spent"),
]

REGISTRY = Registry([*subsidy_measures, *funding_measures])

YUAN = _("yuan")
CASES = pgettext_lazy("unit", "cases")
PERCENT = "%"

# What the funding page calls each of them (translated); the values always come from REGISTRY.
INDICATORS = [
    ("subsidy.paid.total", _("Case subsidies paid"), YUAN),
    ("subsidy.paid.cases", _("Cases with subsidy paid"), CASES),
    ("subsidy.average", _("Average subsidy per case"), YUAN),
    ("funding.budget", _("Funding budget"), YUAN),
    ("funding.budget.central", _("Central transfer payments"), YUAN),
    ("funding.budget.provincial", _("Provincial special funds"), YUAN),
    ("funding.budget.municipal", _("Municipal funds"), YUAN),
    ("funding.budget.county", _("County finance"), YUAN),
    ("funding.budget.other", _("Budget from other sources"), YUAN),
    ("funding.spent", _("Funding spent"), YUAN),
    ("funding.spent.subsidy", _("Spent on case subsidies"), YUAN),
    ("funding.spent.publicity", _("Spent on publicity"), YUAN),
    ("rate.funding_used", _("Funding use rate"), PERCENT),
    ("rate.subsidy_share", _("Share of case subsidies"), PERCENT),
]
assert [c for c, _l, _u in INDICATORS] == REGISTRY.codes
