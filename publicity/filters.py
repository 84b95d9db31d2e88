"""List filters with the contract's GET parameters (COMMON.md): date_from, date_to, form, station / level."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import MEDIA_LEVEL, PUBLICITY_FORM
from core.filters import LookupMultipleChoiceFilter, by_name
from core.forms_renderer import FastSelectMultiple, LookupSelectMultiple
from stations.forms import DateInput
from stations.models import Station

from .models import Event, MediaReport


class StationChoiceFilter(LookupMultipleChoiceFilter):
    """`station=<pk>` (repeatable); `station=center` means the center's own records. A province's stations are
    chosen by type-ahead: a page reads only the chosen ones (core.filters)."""

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q()
        pks = [v for v in value if v != "center"]
        if pks:
            q |= Q(station__in=pks)
        if "center" in value:
            q |= Q(station__isnull=True)
        return qs.filter(q)


class _Dated(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else \
                "form-control form-control-sm"
            field.widget.attrs["class"] = css


class EventFilter(_Dated):
    form = django_filters.MultipleChoiceFilter(distinct=False, choices=PUBLICITY_FORM.choices, label=_("Form"),
                                               widget=forms.SelectMultiple(attrs={"size": 3}))
    station = StationChoiceFilter(
        label=_("Station"), choices=by_name(Station, extra=[("center", _("The center itself"))]),
        widget=LookupSelectMultiple(attrs={"size": 3}, lookup=("stations:lookup", "stations"), pinned=("center",)))
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Event
        fields = ["date_from", "date_to", "form", "station", "q"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_center:  # station staff keep the select of their own station
            choices = [(str(pk), name) for pk, name in
                       Station.objects.filter(pk=user.station_id).values_list("pk", "name")]
            self.filters["station"].extra["choices"] = choices
            self.form.fields["station"].choices = choices
            self.form.fields["station"].widget = FastSelectMultiple(
                attrs={"size": 3, "class": "form-select form-select-sm"}, choices=choices)

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(place__icontains=value))


class MediaFilter(_Dated):
    level = django_filters.MultipleChoiceFilter(distinct=False, choices=MEDIA_LEVEL.choices, label=_("Level"),
                                                widget=forms.SelectMultiple(attrs={"size": 3}))
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = MediaReport
        fields = ["date_from", "date_to", "level", "q"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(outlet__icontains=value))
