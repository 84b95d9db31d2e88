"""The funding overview and the subsidy standards and policy of a year."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import capability_required
from core.choices import FUNDING_SOURCE, SPENDING_CATEGORY

from .. import selectors
from ..indicators import INDICATORS
from ..models import Budget, SubsidyPolicy, SubsidyStandard
from .common import money_crumb, year_asked


@capability_required("funding_manage")
def overview(request):
    year = year_asked(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    values = selectors.indicators(start, end)
    rows = [{"code": code, "label": label, "unit": unit, "value": values[code],
             "kind": "rate" if code.startswith("rate.") else "count" if code.endswith(".cases") else "money"}
            for code, label, unit in INDICATORS]
    months = {row["month"].month: row for row in selectors.spending_by_month(start, end)}
    chart = {
        "labels": [_("Month %(m)s") % {"m": m} for m in range(1, 13)],
        # Decimal as text: Chart.js parses numeric strings, and no float ever touches the money.
        "subsidy": [str(months[m]["subsidy"] or 0) if m in months else "0" for m in range(1, 13)],
        "other": [str((months[m]["total"] or 0) - (months[m]["subsidy"] or 0)) if m in months else "0"
                  for m in range(1, 13)],
        "subsidy_label": _("Case subsidies"), "other_label": _("Other spending"),
    }
    by_category = [{"label": SPENDING_CATEGORY.label(r["category"]), "code": r["category"], "total": r["total"]}
                   for r in selectors.spending_by_category(start, end)]
    by_source = [{"label": FUNDING_SOURCE.label(code), "code": code, "total": values[f"funding.budget.{code}"]}
                 for code in FUNDING_SOURCE.codes]
    years = sorted(set(Budget.objects.values_list("year", flat=True)) | {timezone.localdate().year, year},
                   reverse=True)
    return render(request, "funding/overview.html", {
        "year": year, "years": years, "rows": rows, "values": values, "chart": chart,
        "by_category": by_category, "by_source": by_source, "start": start, "end": end,
        "breadcrumbs": [(_("Funding"), None)],
    })


@capability_required("subsidy_manage")
def standards(request):
    year = year_asked(request)
    years = sorted(set(SubsidyStandard.objects.values_list("year", flat=True)) | {year}, reverse=True)
    return render(request, "funding/standards.html", {
        "year": year, "years": years,
        "standards": SubsidyStandard.objects.filter(year=year).order_by("category", "scope"),
        "policy": SubsidyPolicy.objects.filter(year=year).first(),
        "breadcrumbs": [money_crumb(), (_("Subsidy standards"), None)],
    })
