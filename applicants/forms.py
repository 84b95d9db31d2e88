from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import GROUP

from . import idcard
from .models import Person, VulnerableEntry

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|12348)$")


def clean_phone_value(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 0551-1234567."))
    return value


def not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))
    return value


class PersonForm(forms.ModelForm):
    declared_groups = forms.MultipleChoiceField(label=_("declared beneficiary groups"), choices=GROUP.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Person
        fields = ["name", "id_type", "id_number", "sex", "birth_date", "ethnicity", "phone", "address", "hukou",
                  "township", "occupation", "declared_groups", "disability_type", "household_size",
                  "household_income", "assets_note"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}),
                   "name": forms.TextInput(attrs={"autofocus": True})}
        labels = {"name": _("full name"), "address": _("home address")}

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean_birth_date(self):
        return not_future(self.cleaned_data.get("birth_date"))

    def clean(self):
        data = super().clean()
        number = idcard.normalise(data.get("id_number") or "")
        id_type = data.get("id_type") or Person.IdType.RESIDENT
        if number and id_type == Person.IdType.RESIDENT:
            try:
                info = idcard.parse(number)
            except ValidationError as exc:
                self.add_error("id_number", exc)
                return data
            data["birth_date"] = info.birth_date
            data["sex"] = info.sex
        data["id_number"] = number
        if number:
            clash = Person.objects.filter(id_type=id_type, id_number=number, merged_into__isnull=True)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            other = clash.first()
            if other is not None:
                # Neutral on purpose: the form does not know who is asking, and station staff must not learn a
                # name from an ID number (DOMAIN.md §13). The view shows the record to those who may see it.
                self.add_error("id_number", ValidationError(_("This ID number is already registered."),
                                                            code="duplicate"))
                self.duplicate = other
        return data


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(label=_("duplicate record to merge into this one"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, keep: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Person.objects.filter(merged_into__isnull=True).exclude(pk=keep.pk)


class RegistryEntryForm(forms.ModelForm):
    class Meta:
        model = VulnerableEntry
        fields = ["name", "id_number", "category", "source", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}),
                   "name": forms.TextInput(attrs={"autofocus": True})}
        labels = {"name": _("full name")}

    def clean_id_number(self):
        number = idcard.normalise(self.cleaned_data.get("id_number"))
        idcard.parse(number)
        return number
