"""Forms of the case changes (cases/editing.py): they collect and pre-check, the services decide."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from core.choices import CASE_ROLE, ORGAN, offer

from . import editing, rules
from .forms import date_field
from .models import Case


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"))
    on = date_field(_("Date of the new stage"))
    organ = forms.ChoiceField(label=_("Notifying organ"), required=False, choices=[("", "---------"), *ORGAN.choices])
    organ_name = forms.CharField(label=_("Organ name"), required=False, max_length=100)
    notice_number = forms.CharField(label=_("Number of the notice"), required=False, max_length=100)
    notice_received_on = date_field(_("Notice received on"), required=False, initial=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [("", "---------"), *editing.stage_choices(case)]
        if case.category != "criminal":
            for name in ("organ", "organ_name", "notice_number", "notice_received_on"):
                del self.fields[name]
        elif case.source == "notice":
            for name in ("organ", "notice_number", "notice_received_on"):
                self.fields[name].required = True
        else:
            self.fields["organ"].help_text = _("Only when the new stage came with a notice to defend.")


class CaseEditForm(forms.Form):
    """Only the fields this user may correct on this case (editing.editable_fields), and the reason. `seen` carries
    the values the page showed when it was opened, so the service takes only what the user changed on it (a
    correction saved meanwhile in another tab is kept, a field changed on both sides refused)."""

    reason = forms.CharField(label=_("Reason for changing the case"), required=False, max_length=100,
                             widget=forms.Textarea(attrs={"rows": 2}))
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = editing.editable_fields(user, case)
        for name in self.names:
            field = Case._meta.get_field(name).formfield()
            field.initial = getattr(case, name)
            self.fields[name] = field
        self.fields["seen"].initial = json.dumps({name: getattr(case, name) for name in self.names},
                                                 cls=DjangoJSONEncoder)
        if "aid_form" in self.names:  # only the aid forms of the case's category (rules.AID_FORM_CATEGORIES)
            empty = [("", "---------")] if not self.fields["aid_form"].required else []
            self.fields["aid_form"].choices = [*empty, *rules.aid_form_choices(case.category, case.aid_form)]
        if "role" in self.names:  # the roles of the case's aid form; the page follows a change of the form
            offer(self.fields["role"], CASE_ROLE, scope=case.aid_form, current=case.role,
                  scoped_by="aid_form" if "aid_form" in self.names else "")
        self.order_fields([*self.names, "reason"])
        if case.status not in editing.OPEN:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("The case is no longer open: the correction needs a reason.")

    def _seen(self) -> dict | None:
        """The values the page showed, read as the fields read a posted value; None for a post without them (an
        older page, a client of its own): every value posted then counts."""
        try:
            posted = json.loads(self.cleaned_data.get("seen") or "null")
        except ValueError:
            return None
        if not isinstance(posted, dict):
            return None
        seen = {}
        for name in self.names:
            if name in posted:
                try:
                    seen[name] = self.fields[name].to_python(posted[name])
                except ValidationError:
                    pass
        return seen

    @property
    def changes(self) -> editing.Changes:
        return editing.Changes({name: self.cleaned_data.get(name) for name in self.names}, seen=self._seen())
