from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants import idcard
from applicants.forms import clean_phone_value, not_future
from applicants.models import EligibilityItem, EligibilityPolicy, Person
from core.choices import CAUSE, GROUP, SEX, STAGE, check_offered, offer
from core.forms_renderer import type_ahead_if_long
from stations.models import ContactPoint, Handler, Station, Volunteer

from .models import Application, Consultation, CriminalNotice, Matter, Objection

ASSET_FIELDS = ["asset_deposits", "asset_property_count", "asset_property_value", "asset_vehicle_value",
                "asset_other_value"]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StationBoundMixin:
    """Station staff record for their own station: the field offers that one station, chosen already, and a
    posted other station is refused (never offered and then refused, as before issue 16)."""

    def setup_station(self, user, *, required=False):
        self.user = user
        field = self.fields["station"]
        field.required = required
        if not user.is_center:
            field.queryset = Station.objects.filter(pk=user.station_id)
            field.empty_label = None
            field.initial = user.station_id
            field.help_text = _("Your station.")
        else:
            # the active stations, and the record's own even if closed since: an edit does not move it
            field.queryset = Station.objects.filter(Q(active=True) | Q(pk=getattr(self.instance, "station_id", None)))
            field.empty_label = _("Center window")
            type_ahead_if_long(field, ("stations:lookup", "stations"))

    def clean_station(self):
        station = self.cleaned_data.get("station")
        if not self.user.is_center:
            if station is not None and station.pk != self.user.station_id:
                raise ValidationError(_("You can only record for your own station."))
            return self.user.station
        return station


class ConsultationForm(StationBoundMixin, forms.ModelForm):
    person_groups = forms.MultipleChoiceField(label=_("beneficiary groups"), choices=GROUP.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Consultation
        fields = ["occurred_at", "channel", "topic", "person_count", "station", "contact_point", "person_name",
                  "person_sex",
                  "person_phone", "person_groups", "summary", "answer", "outcome", "handled_by", "volunteers"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 2}),
            "channel": forms.Select(attrs={"autofocus": True}),
            "person_count": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "person_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "volunteers": forms.CheckboxSelectMultiple,
        }
        labels = {"person_name": _("full name")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_station(user)
        if not self.instance.pk:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        # The phone is masked for a role without applicant_view_full, as on the consultation's page and list
        # (DOMAIN.md §13); the masked number coming back unchanged keeps the stored one.
        self._phone_shown = ""
        if self.instance.pk and self.instance.person_phone and not user.can("applicant_view_full"):
            self._phone_shown = idcard.mask_phone(self.instance.person_phone)
            self.initial["person_phone"] = self._phone_shown
            self.fields["person_phone"].help_text = _(
                "Shown masked: leave it as it is to keep the stored number, or type the whole new number.")
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        points = (ContactPoint.objects.filter(Q(active=True) | Q(pk=self.instance.contact_point_id))
                  .select_related("station").order_by("station", "name"))
        if not user.is_center:
            points = points.filter(station=user.station_id)
        self.fields["contact_point"].queryset = points
        type_ahead_if_long(self.fields["contact_point"], ("stations:lookup", "contact_points"))
        # The volunteers who were there (DOMAIN §8): the station's own and the center's, as on an event.
        volunteers = Volunteer.objects.filter(active=True)
        if not user.is_center:
            volunteers = volunteers.filter(Q(station=user.station_id) | Q(station__isnull=True))
        if self.instance.pk:
            volunteers = volunteers | Volunteer.objects.filter(pk__in=self.instance.volunteers.values("pk"))
        self.fields["volunteers"].queryset = volunteers.distinct().order_by("name")
        type_ahead_if_long(self.fields["volunteers"], ("stations:lookup", "volunteers"))
        # Who answered (DOMAIN §3): the one logging it unless said; a colleague of the same office
        from django.contrib.auth import get_user_model

        colleagues = Q(is_active=True, groups__isnull=False, handler_profile__isnull=True)
        colleagues &= Q(station__isnull=True) if user.is_center else Q(station=user.station_id)
        colleagues |= Q(pk=user.pk)  # the one logging it, whatever their roles (a superuser without a group)
        if self.instance.handled_by_id:
            colleagues |= Q(pk=self.instance.handled_by_id)
        field = self.fields["handled_by"]
        field.queryset = get_user_model().objects.filter(colleagues).distinct().order_by("username")
        field.label_from_instance = lambda u: u.display_name
        field.required = False
        field.empty_label = None
        if not self.instance.pk:
            field.initial = user.pk

    def clean(self):
        data = super().clean()
        point, station = data.get("contact_point"), data.get("station")
        if point is not None and point.station_id != getattr(station, "pk", None):
            self.add_error("contact_point", _("This contact point belongs to another station."))
        return data

    def clean_handled_by(self):
        return self.cleaned_data.get("handled_by") or self.instance.handled_by

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("This date is in the future."))
        return value

    def clean_person_count(self):
        value = self.cleaned_data.get("person_count")
        if value is not None and value < 1:
            raise ValidationError(_("The person count must be at least 1."))
        return value

    def clean_person_phone(self):
        value = (self.cleaned_data.get("person_phone") or "").strip()
        if self._phone_shown and value == self._phone_shown:
            return self.instance.person_phone  # the masked number came back as shown: the stored one stays
        if "*" in value:
            raise ValidationError(_("Type the whole number, or leave the masked number as it was to keep it."))
        return clean_phone_value(value)


class ApplicationForm(StationBoundMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["received_on", "station", "category", "cause", "stage", "criminal_role", "agent_name", "facts",
                  "opposing_party", "amount_involved", "recipient_count", "is_mass", "individual_income",
                  "domestic_violence", "no_fixed_income", "no_hardship_ground", "exemption_ground",
                  "green_channel", "advance_aid", "advance_aid_reason", "matter_ground", *ASSET_FIELDS]
        widgets = {"received_on": DATE, "facts": forms.Textarea(attrs={"rows": 3}),
                   "cause": forms.Select(attrs={"autofocus": True})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_station(user)
        if not self.instance.pk:
            self.initial.setdefault("received_on", timezone.localdate())
        items = EligibilityItem.objects.filter(active=True, policy__year__lte=timezone.localdate().year)
        for name, kind in (("no_hardship_ground", "no_hardship"), ("exemption_ground", "exemption")):
            seen, choices = set(), [("", "---------")]
            for i in items.filter(kind=kind).order_by("-policy__year", "sort"):
                if i.code not in seen:
                    seen.add(i.code)
                    choices.append((i.code, i.name))
            self.fields[name] = forms.ChoiceField(label=self.fields[name].label, choices=choices, required=False)
        self._setup_matter_and_assets(items)
        # Causes and stages of the category chosen (core.choices; the page hides the others, clean() checks).
        offer(self.fields["cause"], CAUSE, current=self.instance.cause, scoped_by="category")
        offer(self.fields["stage"], STAGE, current=self.instance.stage, scoped_by="category")

    def clean(self):
        cleaned = super().clean()
        check_offered(self, "cause", CAUSE, scope_field="category")
        check_offered(self, "stage", STAGE, scope_field="category")
        return cleaned

    def _setup_matter_and_assets(self, items):
        """Art. 31 items no cause expresses (capacity declarations …) are chosen here; the structured assets are
        asked only while the year's policy has the asset test on."""
        seen, choices = set(), [("", "---------")]
        for i in items.filter(kind="matter", causes=[]).order_by("-policy__year", "sort"):
            if i.code not in seen:
                seen.add(i.code)
                choices.append((i.code, i.name))
        field = self.fields["matter_ground"]
        self.fields["matter_ground"] = forms.ChoiceField(label=field.label, help_text=field.help_text,
                                                         choices=choices, required=False)
        policy = EligibilityPolicy.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()
        self.asset_test = bool(policy and policy.asset_test)
        if not self.asset_test:
            for name in ASSET_FIELDS:
                del self.fields[name]
        else:
            for name in ASSET_FIELDS:
                self.fields[name].widget.attrs.update({"min": 0, "inputmode": "decimal"})

    def clean_received_on(self):
        return not_future(self.cleaned_data.get("received_on"))

    def clean_recipient_count(self):
        value = self.cleaned_data.get("recipient_count")
        if value is not None and value < 1:
            raise ValidationError(_("The number must be at least 1."))
        return value


class MaterialsForm(forms.Form):
    extra = forms.CharField(label=_("add a material to the list"), max_length=100, required=False)


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    override_reason = forms.CharField(
        label=_("reason for granting against the eligibility result"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The check says not eligible: grant only with a written reason; it is recorded and counted."))

    def __init__(self, *args, refuse=False, against=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", timezone.localdate())
        if refuse or not against:
            del self.fields["override_reason"]
        else:
            self.fields["override_reason"].required = True
            self.fields["override_reason"].error_messages["required"] = _(
                "The check says not eligible: write why legal aid is granted all the same.")
        if refuse:
            self.fields["reasons"].required = True
            self.fields["reasons"].label = _("reasons for refusal")
        else:
            self.fields["reasons"].label = _("note")

    def clean_decided_on(self):
        return not_future(self.cleaned_data.get("decided_on"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["filed_on", "grounds"]
        widgets = {"filed_on": DATE, "grounds": forms.Textarea(attrs={"rows": 3})}

    def clean_filed_on(self):
        return not_future(self.cleaned_data.get("filed_on"))


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[(Objection.Outcome.UPHELD, _("Refusal upheld")),
                                                             (Objection.Outcome.OVERTURNED, _("Refusal overturned"))])
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_decided_on(self):
        return not_future(self.cleaned_data.get("decided_on"))


class PersonInlineMixin(forms.Form):
    """Find the person by ID number, or register them inline."""

    person = forms.ModelChoiceField(label=_("existing person"), queryset=Person.objects.none(), required=False,
                                    widget=forms.HiddenInput)
    p_name = forms.CharField(label=_("full name"), max_length=50, required=False)
    p_id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    p_sex = forms.ChoiceField(label=_("sex"), choices=[("", "---------"), *SEX.choices], required=False)
    p_birth_date = forms.DateField(label=_("birth date"), required=False, widget=DATE)

    def clean_person_inline(self, data):
        if data.get("person"):
            return data
        number = idcard.normalise(data.get("p_id_number") or "")
        if number:
            try:
                info = idcard.parse(number)
            except ValidationError as exc:
                self.add_error("p_id_number", exc)
                return data
            data["p_id_number"] = number
            data["p_birth_date"], data["p_sex"] = info.birth_date, info.sex
            # a resident-format number is the person whatever document type it was once saved under
            existing = Person.objects.filter(id_number=number, merged_into__isnull=True).order_by("pk").first()
            if existing is not None:
                data["person"] = existing
                return data
        if not data.get("p_name"):
            self.add_error("p_name", _("Give the person's name or choose an existing record."))
        if data.get("p_birth_date") and data["p_birth_date"] > timezone.localdate():
            self.add_error("p_birth_date", _("This date is in the future."))
        elif data.get("p_birth_date") and data["p_birth_date"].year < 1900:
            self.add_error("p_birth_date", _("Check the year of birth."))
        return data


class NoticeForm(PersonInlineMixin, forms.ModelForm):
    class Meta:
        model = CriminalNotice
        fields = ["organ", "organ_name", "notice_number", "received_on", "ground", "stage", "cause", "note"]
        widgets = {"received_on": DATE, "note": forms.Textarea(attrs={"rows": 2}),
                   "organ": forms.Select(attrs={"autofocus": True})}

    field_order = ["organ", "organ_name", "notice_number", "received_on", "person", "p_name", "p_id_number",
                   "p_sex", "p_birth_date", "ground", "stage", "cause", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(merged_into__isnull=True)
        self.initial.setdefault("received_on", timezone.localdate())
        # The criminal stages and the charges (涉嫌罪名), those added in the admin included.
        offer(self.fields["stage"], STAGE, scope="criminal", current=self.instance.stage)
        offer(self.fields["cause"], CAUSE, scope="criminal", current=self.instance.cause)

    def clean_received_on(self):
        return not_future(self.cleaned_data.get("received_on"))

    def clean(self):
        cleaned = self.clean_person_inline(super().clean())
        check_offered(self, "stage", STAGE, scope="criminal")
        check_offered(self, "cause", CAUSE, scope="criminal")
        return cleaned


class MatterForm(StationBoundMixin, forms.ModelForm):
    class Meta:
        model = Matter
        fields = ["kind", "date", "place", "handler", "lawyer_name", "person_name", "plea", "person_count",
                  "station", "note"]
        labels = {"person_name": _("full name"), "handler": _("lawyer on the roster"),
                  "lawyer_name": _("lawyer's name")}
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2}), "kind": forms.Select(
            attrs={"autofocus": True}), "person_count": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_station(user)
        self.fields["handler"].queryset = Handler.objects.order_by("name")
        type_ahead_if_long(self.fields["handler"], ("stations:lookup", "handlers"))
        self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))

    def clean_person_count(self):
        value = self.cleaned_data.get("person_count")
        if value is not None and value < 1:
            raise ValidationError(_("The person count must be at least 1."))
        return value
