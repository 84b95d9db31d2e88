"""List filters; parameter names are the contract of COMMON.md (funding:spending_list, budget_list, subsidy_list)."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import FUNDING_SOURCE, SPENDING_CATEGORY
from core.filters import LookupMultipleChoiceFilter, by_name
from core.forms_renderer import FastSelect, LookupSelect, LookupSelectMultiple
from stations.models import Handler, Provider

from .models import Budget, Spending, Subsidy

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SelectAny(FastSelect):
    """A one-line select for a multi-value filter: shows one choice, accepts repeated parameters."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else [data.get(name)]
        return [v for v in values if v]


class StyledFilterSet(df.FilterSet):
    """Bootstrap classes on every filter widget (the lists render the form by hand, compactly)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = css
            if isinstance(widget, SelectAny):
                widget.choices = [("", "---------"), *field.choices]


class SpendingFilter(StyledFilterSet):
    date_from = df.DateFilter(field_name="date", lookup_expr="gte", label=_("From"), **DATE)
    date_to = df.DateFilter(field_name="date", lookup_expr="lte", label=_("To"), **DATE)
    category = df.MultipleChoiceFilter(distinct=False, choices=SPENDING_CATEGORY.choices, label=_("Spending category"),
                                       widget=SelectAny)

    class Meta:
        model = Spending
        fields = ["date_from", "date_to", "category"]


class BudgetFilter(StyledFilterSet):
    year = df.NumberFilter(field_name="year", label=_("Year"))
    source = df.MultipleChoiceFilter(distinct=False, choices=FUNDING_SOURCE.choices, label=_("Source"),
                                     widget=SelectAny)

    class Meta:
        model = Budget
        fields = ["year", "source"]


class SubsidyFilter(StyledFilterSet):
    paid_from = df.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("Paid from"), **DATE)
    paid_to = df.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid to"), **DATE)
    status = df.MultipleChoiceFilter(distinct=False, choices=Subsidy.Status.choices, label=_("Status"),
                                     widget=SelectAny)
    handler = LookupMultipleChoiceFilter(distinct=False, choices=by_name(Handler), label=_("Handler"),
                                      widget=LookupSelectMultiple(lookup=("stations:lookup", "handlers")))
    provider = df.ChoiceFilter(field_name="handler__provider", choices=by_name(Provider), label=_("Provider"),
                               widget=FastSelect)

    class Meta:
        model = Subsidy
        fields = ["paid_from", "paid_to", "status", "handler", "provider"]


class BatchCandidateFilter(StyledFilterSet):
    """Computed subsidies finance may put in a batch: by handler, provider and period."""

    handler = df.ChoiceFilter(choices=by_name(Handler), label=_("Handler"),
                              widget=LookupSelect(lookup=("stations:lookup", "handlers")))
    provider = df.ChoiceFilter(field_name="handler__provider", choices=by_name(Provider), label=_("Provider"),
                               widget=FastSelect)
    accepted_from = df.DateFilter(field_name="case__accepted_on", lookup_expr="gte", label=_("Accepted from"),
                                  **DATE)
    accepted_to = df.DateFilter(field_name="case__accepted_on", lookup_expr="lte", label=_("Accepted to"), **DATE)
    archived_from = df.DateFilter(field_name="case__archived_on", lookup_expr="gte", label=_("Archived from"),
                                  **DATE)
    archived_to = df.DateFilter(field_name="case__archived_on", lookup_expr="lte", label=_("Archived to"), **DATE)

    class Meta:
        model = Subsidy
        fields = ["handler", "provider", "accepted_from", "accepted_to", "archived_from", "archived_to"]
