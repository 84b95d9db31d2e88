from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import Station

from .indicators import INDICATORS
from .models import TARGET_YEARS, Target
from .periods import period_from_input


def preset_choices(today=None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    y = today.year
    choices = [("", _("— type a period below —")),
               (str(y - 1), _("Annual report %(year)s") % {"year": y - 1}),
               (f"{y}H1", _("Half-year report %(year)s (1 Jan – 30 Jun)") % {"year": y}),
               (f"{y}-01-01:{today.isoformat()}", _("%(year)s to date") % {"year": y}),
               (f"{y - 1}H2", _("Second half of %(year)s") % {"year": y - 1}),
               (str(y), _("Whole year %(year)s") % {"year": y})]
    return choices


class ReportRequestForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), required=False)
    period = forms.CharField(label=_("Or a period"), required=False, max_length=30,
                             help_text=_("2025, 2025H1, 2025H2 or a date range 2025-01-01:2025-11-30"))
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.all(), required=False,
                                     empty_label=_("Whole county"))
    want_docx = forms.BooleanField(label=_("Also draft the work summary (Word)"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = preset_choices()

    def clean(self):
        data = super().clean()
        text = (data.get("period") or "").strip() or data.get("preset") or ""
        if not text:
            raise ValidationError(_("Choose a period or type one."))
        try:
            data["parsed"] = period_from_input(text)
        except ValidationError as exc:
            self.add_error("period", exc)
        return data


def indicator_choices() -> list[tuple[str, str]]:
    return [(c, f"{n}（{u}） {c}") for c, n, u in INDICATORS]


# A target's year and value, on both target forms (and so in the admin); the services check them again.
def target_year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=TARGET_YEARS[0], max_value=TARGET_YEARS[1])


def target_value_field() -> forms.DecimalField:
    return forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2, min_value=0)


class TargetSetForm(forms.Form):
    """Set the target of one indicator for a year (county-wide or one station); an existing one is updated."""

    year = target_year_field()
    code = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.all(), required=False,
                                     empty_label=_("Whole county"))
    value = target_value_field()


class TargetForm(forms.ModelForm):
    """Edit a target (the target page and the admin): the same year and value rules as TargetSetForm."""

    year = target_year_field()
    code = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)
    value = target_value_field()

    class Meta:
        model = Target
        fields = ["year", "code", "station", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].empty_label = _("Whole county")
        self.fields["station"].required = False
