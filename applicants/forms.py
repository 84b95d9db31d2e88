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
                   "name": forms.TextInput(attrs={"autofocus": True}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel"})}  # a phone opens its number keypad
        labels = {"name": _("full name"), "address": _("home address")}

    def __init__(self, *args, masked: bool = False, **kwargs):
        """`masked`: the user may not see full ID and phone numbers (no `applicant_view_full`, DOMAIN.md §13).
        The inputs of a registered person then show the numbers masked, as the person's page does, and a
        masked number that comes back unchanged keeps the stored one."""
        super().__init__(*args, **kwargs)
        self._masked: dict[str, str] = {}
        self._kept: set[str] = set()
        if masked and self.instance.pk:
            for field, stored, shown in (("id_number", self.instance.id_number, idcard.mask),
                                         ("phone", self.instance.phone, idcard.mask_phone)):
                if stored:
                    self._masked[field] = shown(stored)
                    self.initial[field] = self._masked[field]
                    self.fields[field].help_text = _("Shown masked: leave it as it is to keep the stored number, "
                                                     "or type the whole new number.")

    def _keeps(self, field: str) -> bool:
        """The masked number came back as it was shown: the stored one stays."""
        value = (self.cleaned_data.get(field) or "").strip()
        if field in self._masked and value == self._masked[field]:
            self._kept.add(field)
            return True
        return False

    @staticmethod
    def _not_masked(value: str) -> str:
        if "*" in value:
            raise ValidationError(_("Type the whole number, or leave the masked number as it was to keep it."),
                                  code="masked")
        return value

    def clean_id_number(self):
        if self._keeps("id_number"):
            return self.instance.id_number
        return self._not_masked(self.cleaned_data.get("id_number") or "")

    def clean_phone(self):
        if self._keeps("phone"):
            return self.instance.phone  # as stored, even a number from before this check
        return clean_phone_value(self._not_masked(self.cleaned_data.get("phone") or ""))

    def clean_birth_date(self):
        return not_future(self.cleaned_data.get("birth_date"))

    def clean(self):
        data = super().clean()
        number = idcard.normalise(data.get("id_number") or "")
        id_type = data.get("id_type") or Person.IdType.RESIDENT
        if idcard.is_resident_number(number):
            # A number in the resident format is a resident ID whatever type was chosen (a slip of the select
            # must not register the number a second time), as the ledger import reads it.
            id_type = data["id_type"] = Person.IdType.RESIDENT
        if number and id_type == Person.IdType.RESIDENT:
            try:
                info = idcard.parse(number)
            except ValidationError as exc:
                if "id_number" not in self._kept:
                    self.add_error("id_number", exc)
                    return data
                # A stored number the user cannot see stays as it is: it is not theirs to correct blind.
                info = None
            if info is not None:
                data["birth_date"] = info.birth_date
                data["sex"] = info.sex
        data["id_number"] = number
        if number:
            # A resident number clashes under any type (records saved under another type before it was read as
            # a resident ID included).
            clash = Person.objects.filter(id_number=number, merged_into__isnull=True)
            if not idcard.is_resident_number(number):
                clash = clash.filter(id_type=id_type)
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
