from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from . import roles


def _station_field() -> forms.ModelChoiceField:
    from stations.models import Station

    return forms.ModelChoiceField(
        label=_("Belongs to"), queryset=Station.objects.filter(active=True).order_by("name"), required=False,
        empty_label=_("The center"),
        help_text=_("Station staff see only their station's records; everyone else belongs to the center."))


def _roles_field(by=None) -> forms.MultipleChoiceField:
    """Every role; the director role only for those who may give it (accounts.services.may_give_director_role),
    so that nobody is offered a choice the service refuses."""
    from .services import may_give_director_role

    offered = [(code, label) for code, label in roles.ROLE_LABELS.items()
               if code != roles.DIRECTOR or by is None or may_give_director_role(by)]
    return forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple, choices=offered)


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("Needed only to send password reset links by e-mail."))

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _roles_field(by)
        self.fields["station"] = _station_field()


class UserCreateForm(UserForm):
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text=_("Used to log in: letters, digits and @/./+/-/_ only."))
    field_order = ["username", "full_name", "phone", "email"]


class PasswordResetChoiceForm(forms.Form):
    TEMPORARY, EMAIL = "temporary", "email"
    method = forms.ChoiceField(label=_("How"), widget=forms.RadioSelect, initial=TEMPORARY, choices=[
        (TEMPORARY, _("Make a one-time password and show it to me once")),
        (EMAIL, _("Send a reset link to the user's e-mail")),
    ])

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        if not (settings.PASSWORD_RESET_BY_EMAIL and account.email):
            self.fields["method"].choices = self.fields["method"].choices[:1]


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code"), regex=r"^\s*\d{6}\s*$", max_length=12,
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}))

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class LoginForm(AuthenticationForm):
    """The login form with the username's length checked on the server: Django sets it on the field only for
    the browser, and a longer one reached django-axes' log of failed logins (a varchar(255)) as a 500."""

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.username_field.max_length:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                        params={"username": self.username_field.verbose_name})
        return username
