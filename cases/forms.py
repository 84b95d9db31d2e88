"""Forms of the case pages; the services decide, forms only collect and pre-check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import CASE_OUTCOME, CAUSE, TERMINATION_REASON, cause_choices, not_offered, offer
from stations.models import Handler, Provider

from . import rules
from .models import (
    ArchiveReview,
    Attachment,
    Case,
    Complaint,
    Discussion,
    FileInspection,
    FollowUp,
    HearingAttendance,
    OpinionLetter,
    ProgressEntry,
    TerminationObjection,
)
from .selectors import suggested_handlers
from .services import validate_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label, required=True, initial=True):
    return forms.DateField(label=label, required=required, widget=DATE,
                           initial=timezone.localdate if initial else None)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def check_files(files):
    for f in files:
        try:
            validate_upload(f)
        except ValidationError as exc:
            raise ValidationError(f"{f.name}: {' '.join(exc.messages)}") from exc
    return files


class HandlerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        bits = [obj.name]
        if obj.provider_id:
            bits.append(f"（{obj.provider.name}）")
        bits.append(str(_("open cases: %(n)s") % {"n": obj.open_cases}))
        bits.append(str(_("criminal experience: %(n)s years") % {"n": obj.criminal_years}))
        if obj.juvenile_suitable:
            bits.append(str(_("juvenile cases")))
        if obj.specialties:
            bits.append("/".join(CAUSE.label(c) for c in obj.specialties))
        return " · ".join(bits)


class AssignForm(forms.Form):
    handler = HandlerChoice(label=_("Handler"), queryset=Handler.objects.none())
    on = date_field(_("Assigned on"))
    override_reason = forms.CharField(label=_("Reason for overriding a suitability warning"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Only when the chosen handler does not meet the requirements."))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        qs = suggested_handlers(case)
        if case.handler_id:
            qs = qs.exclude(pk=case.handler_id)
        self.fields["handler"].queryset = qs
        rows = list(qs)
        self.suggestion = rows[0] if rows else None
        if self.suggestion and not self.is_bound:
            self.fields["handler"].initial = self.suggestion.pk

    def clean(self):
        data = super().clean()
        handler = data.get("handler")
        if handler:
            problems = rules.suitability_problems(self.case, handler)
            if problems and not data.get("override_reason", "").strip():
                for p in problems:
                    self.add_error("handler", p)
                self.add_error("override_reason", _("Write the reason for the override, or choose another handler."))
        return data


class ChangeHandlerForm(AssignForm):
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["handler", "on", "reason", "override_reason"]


class AgreementForm(forms.Form):
    signed_on = date_field(_("Agreement signed on"))
    late_reason = forms.CharField(label=_("Reason for signing late"), required=False,
                                  help_text=_("Only when signed more than 5 days after assignment."))


class ProgressForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ProgressEntry.Kind.choices)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Attachments"), required=False)

    def clean_files(self):
        return check_files(self.cleaned_data.get("files") or [])


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Attachment.Kind.choices, initial=Attachment.Kind.OTHER)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        return check_files([self.cleaned_data["file"]])[0]


class CloseForm(forms.Form):
    closed_on = date_field(_("Closed on"))
    outcome = forms.ChoiceField(label=_("Outcome"))
    amount_recovered = forms.DecimalField(label=_("Amount recovered or loss avoided (yuan)"), required=False,
                                          max_digits=14, decimal_places=2)
    closing_report = forms.CharField(label=_("Closing report"), widget=forms.Textarea(attrs={"rows": 6}))
    judgment = forms.FileField(label=_("Judgment, mediation or settlement agreement"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The outcomes of the case's category (core.choices: no 不起诉 or 缓刑 for a civil case).
        self.category = case.category if case is not None else ""
        offer(self.fields["outcome"], CASE_OUTCOME, scope=self.category, blank=True)

    def clean_outcome(self):
        code = self.cleaned_data.get("outcome")
        message = not_offered(CASE_OUTCOME, code, self.category) if code and self.category else ""
        if message:
            raise ValidationError(message)
        return code

    def clean_amount_recovered(self):
        value = self.cleaned_data.get("amount_recovered")
        if value is not None and value < 0:
            raise ValidationError(_("The amount recovered cannot be negative."))
        return value

    def clean_judgment(self):
        f = self.cleaned_data.get("judgment")
        return check_files([f])[0] if f else None


class SubmitFileForm(forms.Form):
    submitted_on = date_field(_("File submitted on"))


class ArchiveReviewForm(forms.Form):
    on = date_field(_("Reviewed on"))
    result = forms.ChoiceField(label=_("Result"), choices=ArchiveReview.Result.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons for returning"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = rules.archive_items(case)
        for code, label in self.items:
            self.fields[f"item_{code}"] = forms.BooleanField(label=label, required=False)
        self.order_fields(["on", *[f"item_{code}" for code, _label in self.items], "result", "reasons"])

    @property
    def checklist(self) -> dict:
        return {code: bool(self.cleaned_data.get(f"item_{code}")) for code, _label in self.items}


class GradeForm(forms.Form):
    score = forms.IntegerField(label=_("Score (out of 100)"), min_value=0, max_value=100)
    on = date_field(_("Graded on"))


class TerminateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason (Art. 48)"), choices=[("", "---------"), *TERMINATION_REASON.choices])
    on = date_field(_("Terminated on"))
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    substantive_work = forms.BooleanField(label=_("Substantive work was done before termination"), required=False)


class TerminationNoticeForm(forms.Form):
    """The notice of a termination to the notifying organ (Art. 48): when and how it went."""

    on = forms.DateField(label=_("Organ notified on"), initial=timezone.localdate, widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"))
    means = forms.ChoiceField(label=_("Means of notice"), choices=[("", "---------"), *Case.NoticeMeans.choices],
                              widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


class TerminationObjectionForm(forms.Form):
    """The recipient's objection to the termination, as received by the justice bureau (Art. 49)."""

    filed_on = date_field(_("Objection received on"))
    grounds = forms.CharField(label=_("Grounds of the objection"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionOutcomeForm(forms.Form):
    """The justice bureau's decision on the objection to the termination."""

    outcome = forms.ChoiceField(label=_("Decision of the justice bureau"), choices=[
        ("", "---------"), (TerminationObjection.Outcome.UPHELD, TerminationObjection.Outcome.UPHELD.label),
        (TerminationObjection.Outcome.OVERTURNED, TerminationObjection.Outcome.OVERTURNED.label)])
    decided_on = date_field(_("Decided on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(forms.Form):
    """The center revokes the termination the justice bureau overturned."""

    on = date_field(_("Legal aid resumed on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LetterSentForm(forms.Form):
    """The day a legal-aid letter (公函) of one of the case's assignments went to the organ."""

    assignment = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    on = date_field(_("Letter sent on"))


class TodayMixin:
    """Date fields of record forms start at today."""

    today_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.today_fields:
            self.fields[name].initial = timezone.localdate


class DiscussionForm(TodayMixin, forms.ModelForm):
    today_fields = ("held_on",)

    class Meta:
        model = Discussion
        fields = ["held_on", "participants", "conclusion"]
        widgets = {"held_on": DATE, "conclusion": forms.Textarea(attrs={"rows": 4})}


class HearingForm(TodayMixin, forms.ModelForm):
    today_fields = ("date",)

    class Meta:
        model = HearingAttendance
        fields = ["date", "attendee", "court", "assessment"]
        widgets = {"date": DATE, "assessment": forms.Textarea(attrs={"rows": 3})}


class InspectionForm(TodayMixin, forms.ModelForm):
    today_fields = ("date",)

    class Meta:
        model = FileInspection
        fields = ["date", "inspector", "findings"]
        widgets = {"date": DATE, "findings": forms.Textarea(attrs={"rows": 3})}


class OpinionForm(TodayMixin, forms.ModelForm):
    today_fields = ("sent_on",)

    class Meta:
        model = OpinionLetter
        fields = ["organ", "sent_on", "received_on", "satisfaction", "content"]
        widgets = {"sent_on": DATE, "received_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}
        labels = {"organ": _("Court or procuratorate"), "received_on": _("Reply received on")}


class FollowUpForm(TodayMixin, forms.ModelForm):
    today_fields = ("date",)

    class Meta:
        model = FollowUp
        fields = ["date", "channel", "satisfaction", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"channel": _("Follow-up channel"), "notes": _("Follow-up notes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].required = True


class ComplaintForm(TodayMixin, forms.ModelForm):
    today_fields = ("received_on",)

    class Meta:
        model = Complaint
        fields = ["received_on", "complainant", "content"]
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}
        labels = {"received_on": _("Complaint received on")}


class ComplaintHandleForm(forms.Form):
    handling = forms.CharField(label=_("Handling"), widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = date_field(_("Resolved on"), required=False)
    substantiated = forms.NullBooleanField(label=_("Substantiated"), required=False)


class HandlerForm(forms.ModelForm):
    specialties = forms.MultipleChoiceField(label=_("Specialties"), choices=cause_choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts import roles

        users = self.fields["user"].queryset.filter(groups__name=roles.HANDLER, is_active=True)
        self.fields["user"].queryset = users.order_by("username").distinct()
        self.fields["user"].help_text = _("The handler's own login, so they can record work on their cases.")

    class Meta:
        model = Handler
        fields = ["name", "kind", "provider", "phone", "licence_number", "specialties", "criminal_years",
                  "juvenile_suitable", "user"]


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "kind", "phone", "address"]


class ProposeForm(AssignForm):
    """A clerk's proposed handler when the center has switched assignment approval on."""

    note = forms.CharField(label=_("Note to the reviewer"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["handler", "note", "override_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["on"]


class ProposeChangeForm(ProposeForm):
    """A clerk's proposed change of handler (Art. 55) while assignments need a reviewer's approval."""

    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["handler", "reason", "note", "override_reason"]


class ProposalDecisionForm(forms.Form):
    """Approve or return the pending proposal shown on the case page."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for returning"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
