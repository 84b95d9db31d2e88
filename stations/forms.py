from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms_renderer import type_ahead_if_long

from .models import ContactPoint, DutyShift, Handler, Liaison, Station, Volunteer
from .services import LIAISON_FIELDS, POINT_FIELDS, SHIFT_FIELDS, STATION_FIELDS, VOLUNTEER_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_widgets(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = STATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_widgets(self)
        self.fields["code"].help_text = _("Short code in letters, digits and dashes, e.g. station-c.")


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Deactivated on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class ConfirmForm(forms.Form):
    """A page that only asks "are you sure?" (reactivate): no fields, so that core.flow.submit runs it."""


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = POINT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_widgets(self)
        qs = Handler.objects.filter(active=True)
        if self.instance.legal_adviser_id:
            qs = Handler.objects.filter(active=True) | Handler.objects.filter(pk=self.instance.legal_adviser_id)
        self.fields["legal_adviser"].queryset = qs.select_related("provider").order_by("name")
        self.fields["legal_adviser"].help_text = _("The village legal adviser (一村一法律顾问), if any.")


class LiaisonForm(forms.ModelForm):
    class Meta:
        model = Liaison
        fields = LIAISON_FIELDS

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        _date_widgets(self)
        points = ContactPoint.objects.filter(station=station, active=True)
        if self.instance.contact_point_id:
            points = points | ContactPoint.objects.filter(pk=self.instance.contact_point_id)
        self.fields["contact_point"].queryset = points.order_by("name")


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = VOLUNTEER_FIELDS
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}  # a phone opens its number keypad

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _date_widgets(self)
        if user.is_center:
            # the active stations, and the volunteer's own even if closed since: an edit does not move him
            stations = Station.objects.filter(active=True)
            if self.instance.station_id:
                stations = stations | Station.objects.filter(pk=self.instance.station_id)
            self.fields["station"].queryset = stations.order_by("name")
            self.fields["station"].help_text = _("Empty for volunteers of the center.")
        else:
            del self.fields["station"]


class DutyShiftForm(forms.ModelForm):
    class Meta:
        model = DutyShift
        fields = SHIFT_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _date_widgets(self)
        handlers = Handler.objects.filter(active=True)
        if self.instance.handler_id:
            handlers = handlers | Handler.objects.filter(pk=self.instance.handler_id)
        self.fields["handler"].queryset = handlers.select_related("provider").order_by("name")
        # an edit offers the shift's own station and lawyer, even deactivated since, so that it keeps them
        stations = Station.objects.filter(active=True)
        if self.instance.station_id:
            stations = stations | Station.objects.filter(pk=self.instance.station_id)
        self.fields["station"].queryset = stations.order_by("name")
        if user is not None and not user.is_center:
            # Station staff given the roster capability keep to their own station, as in every other form.
            self.fields["station"].queryset = Station.objects.filter(pk=user.station_id)
            self.fields["station"].initial = user.station_id
            self.fields["station"].required = True
            self.fields["station"].empty_label = None
        # a province's thousands: searched by name instead of listed (core.forms_renderer)
        type_ahead_if_long(self.fields["handler"], ("stations:lookup", "handlers"))
        type_ahead_if_long(self.fields["station"], ("stations:lookup", "stations"))
        self.fields["place"].help_text = _("E.g. 示范县人民法院, 县看守所.")
