"""The funding and subsidy indicators of STATISTICS.md shown on the funding page, in its order."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

YUAN = _("yuan")
CASES = pgettext_lazy("unit", "cases")
PERCENT = "%"

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
