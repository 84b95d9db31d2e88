from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^1\d{10}$")


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)
    sms = forms.BooleanField(label=_("Also by SMS"), required=False)
    phone = forms.CharField(label=_("Mobile for SMS"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}),  # a phone's number keypad
                            help_text=_("11 digits. Empty: the phone number of your account."))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s-]", "", self.cleaned_data.get("phone") or "")
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError(_("Enter an 11-digit mobile number starting with 1."))
        return phone

    def clean(self):
        data = super().clean()
        if data.get("email") and not (self.user.email or "").strip():
            self.add_error("email", _("Your account has no e-mail address; ask the administrator to add one."))
        if data.get("sms") and "phone" not in self.errors and not (data.get("phone") or (self.user.phone or "").strip()):
            self.add_error("phone", _("Give a mobile number for SMS."))
        return data
