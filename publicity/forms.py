from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms_renderer import type_ahead_if_long
from stations.forms import DateInput
from stations.models import Handler, Station, Volunteer

from .models import Event, MediaReport
from .services import EVENT_FIELDS, EVENT_M2M, MEDIA_FIELDS

EARLIEST = dt.date(2000, 1, 1)
PHOTO_TYPES = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several JPG/PNG photos, each at most UPLOAD_MAX_BYTES, checked by extension and content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if ext not in PHOTO_TYPES:
                raise forms.ValidationError(_("%(name)s: only JPG and PNG photos can be uploaded.")
                                            % {"name": upload.name})
            if upload.size > settings.UPLOAD_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is too large (at most %(mb)s MB).")
                    % {"name": upload.name, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
            head = upload.read(8)
            upload.seek(0)
            if not head.startswith(PHOTO_TYPES[ext]):
                raise forms.ValidationError(_("%(name)s is not a real JPG or PNG picture.") % {"name": upload.name})
            cleaned.append(upload)
        return cleaned


def _check_date(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    if value and value < EARLIEST:
        raise forms.ValidationError(_("The date is too far in the past."))
    return value


class EventForm(forms.ModelForm):
    photos = PhotosField(label=_("Photos"), help_text=_("JPG or PNG; you can choose several."))

    class Meta:
        model = Event
        fields = EVENT_FIELDS[:5] + EVENT_M2M + EVENT_FIELDS[5:]
        widgets = {
            "staff": forms.CheckboxSelectMultiple, "lawyers": forms.CheckboxSelectMultiple,
            "volunteers": forms.CheckboxSelectMultiple, "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget = DateInput()
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
        for name in ("materials", "onsite", "audience"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        users = Q(is_active=True, groups__isnull=False)
        volunteers = Q(active=True)
        if user.is_center:
            # the active stations, and the event's own even if closed since: an edit does not move it
            self.fields["station"].queryset = Station.objects.filter(Q(active=True) | Q(pk=self.instance.station_id))
            self.fields["station"].empty_label = _("The center itself")
            users &= Q(station__isnull=True, handler_profile__isnull=True)
        else:
            # Fixed to the user's own station; posting another station's id fails validation.
            self.fields["station"].queryset = Station.objects.filter(pk=user.station_id)
            self.fields["station"].required = True
            self.fields["station"].empty_label = None
            self.fields["station"].initial = user.station_id
            users &= Q(station=user.station_id)
            volunteers &= Q(station=user.station_id) | Q(station__isnull=True)
        if self.instance.pk:
            users |= Q(pk__in=self.instance.staff.values("pk"))
            volunteers |= Q(pk__in=self.instance.volunteers.values("pk"))
        self.fields["staff"].queryset = User.objects.filter(users).distinct().order_by("username")
        self.fields["staff"].label_from_instance = lambda u: u.display_name
        lawyers = Q(active=True)
        if self.instance.pk:  # those who were there stay among those present, on the roster or not
            lawyers |= Q(pk__in=self.instance.lawyers.values("pk"))
        self.fields["lawyers"].queryset = Handler.objects.filter(lawyers).order_by("name")
        self.fields["volunteers"].queryset = Volunteer.objects.filter(volunteers).order_by("name")
        # a province's thousands: searched by name instead of listed (a station's few stay a list)
        if user.is_center:
            type_ahead_if_long(self.fields["station"], ("stations:lookup", "stations"))
        type_ahead_if_long(self.fields["lawyers"], ("stations:lookup", "handlers"))
        type_ahead_if_long(self.fields["volunteers"], ("stations:lookup", "volunteers"))

    def clean_date(self):
        return _check_date(self.cleaned_data.get("date"))


class MediaReportForm(forms.ModelForm):
    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = MediaReport
        fields = MEDIA_FIELDS

    def __init__(self, *args, user, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget = DateInput()
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
        self.fields["event"].queryset = events.order_by("-date")
        if user.is_center:
            self.fields["station"].queryset = Station.objects.filter(Q(active=True) | Q(pk=self.instance.station_id))
            self.fields["station"].empty_label = _("The center itself")
        else:
            self.fields["station"].queryset = Station.objects.filter(pk=user.station_id)
            self.fields["station"].required = True
            self.fields["station"].empty_label = None
            self.fields["station"].initial = user.station_id

    def clean_date(self):
        return _check_date(self.cleaned_data.get("date"))
