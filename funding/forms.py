from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import FUNDING_SOURCE, SPENDING_CATEGORY


def not_after_today(value):
    """The form's own check, so the message sits on the date field (the services check again)."""
    today = timezone.localdate()
    if value and value > today:
        raise forms.ValidationError(_("The date cannot be after today (%(today)s).") % {"today": today.isoformat()})


def past_date_field(label) -> forms.DateField:
    field = forms.DateField(label=label, validators=[not_after_today],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return field


MONEY_ERRORS = {"invalid": _("Enter an amount in yuan, e.g. 1200.00."),
                "min_value": _("The amount cannot be negative.")}


def money_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal("0"),
                              error_messages=MONEY_ERRORS,
                              widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))


class SpendingForm(forms.Form):
    date = past_date_field(_("Date"))
    category = forms.ChoiceField(label=_("Spending category"),
                                 choices=[c for c in SPENDING_CATEGORY.choices if c[0] != "case_subsidy"])
    amount = money_field(_("Amount (yuan)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the edit"), max_length=200, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["reason"]
            self.fields["date"].initial = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Source"), choices=FUNDING_SOURCE.choices)
    amount = money_field(_("Amount (yuan)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the edit"), max_length=200, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["reason"]
            self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].max_value = timezone.localdate().year + 1
        self.fields["year"].validators.append(_budget_year)
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year + 1


def _budget_year(value):
    if value and value > timezone.localdate().year + 1:
        raise forms.ValidationError(_("A budget can be entered up to next year (%(year)s).")
                                    % {"year": timezone.localdate().year + 1})


class AdjustForm(forms.Form):
    amount = money_field(_("Amount payable (yuan)"))
    reason = forms.CharField(label=_("Reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 3}))


class PayForm(forms.Form):
    paid_on = past_date_field(_("Paid on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["paid_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class PublicListForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))])


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
