from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applicants.models import Person
from applicants.selectors import person_q
from core.choices import CHANNEL, CONSULTATION_OUTCOME, MATTER_KIND, NOTICE_GROUND, ORGAN, TOPIC
from core.filters import LookupMultipleChoiceFilter, by_name
from core.forms_renderer import LookupSelectMultiple
from core.search import name_q, phone_q
from stations.models import Station

from .models import Application, Consultation
from .selectors import due_soon_q, granted_against_result, in_phase, overdue_q
from .workflow import PHASE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"})


_station_choices = by_name(Station, extra=[("center", _("Center"))])


def filter_station(qs, name, value):
    """`station` = Station pk or `center`, repeatable."""
    if not value:
        return qs
    cond = Q()
    pks = [v for v in value if v != "center"]
    if "center" in value:
        cond |= Q(station__isnull=True)
    if pks:
        cond |= Q(station__in=pks)
    return qs.filter(cond)


class StationFilterMixin(df.FilterSet):
    station = LookupMultipleChoiceFilter(
        distinct=False, label=_("station"), choices=_station_choices, method="filter_station",
        widget=LookupSelectMultiple(lookup=("stations:lookup", "stations"), pinned=("center",)))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and not user.is_center:
            # Station staff see their own station's records only: a choice of stations would offer the others,
            # a choice of who handled them the others' staff.
            del self.filters["station"]
            if "handled_by" in self.filters:
                self.filters["handled_by"].queryset = User.objects.filter(is_active=True, station=user.station_id)

    def filter_station(self, qs, name, value):
        return filter_station(qs, name, value)


class ConsultationFilter(StationFilterMixin):
    date_from = df.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("from"), widget=DATE)
    date_to = df.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("to"), widget=DATE)
    channel = df.MultipleChoiceFilter(distinct=False, choices=CHANNEL.choices, label=_("channel"))
    topic = df.MultipleChoiceFilter(distinct=False, choices=TOPIC.choices, label=_("topic"))
    outcome = df.MultipleChoiceFilter(distinct=False, choices=CONSULTATION_OUTCOME.choices, label=_("outcome"))
    handled_by = df.ModelChoiceFilter(queryset=User.objects.filter(is_active=True), label=_("handled by"))
    q = df.CharFilter(method="search", label=_("search"), help_text=_(
        "A name (one or two characters: its beginning; from three on: any part) or three digits or more of a "
        "phone number."))
    content = df.CharFilter(method="search_content", label=_("summary or answer contains"),
                            help_text=_("Reads every consultation of the list: choose a period first on a long one."))

    def search(self, qs, name, value):
        """Name or phone, each served by its trigram index (pg_trgm) and joined by UNION, so a province's
        list is never read whole for a name."""
        value = value.strip()
        if not value:
            return qs
        conds = [name_q("person_name", value), phone_q("person_phone", value)]
        arms = [Consultation.objects.filter(c).order_by().values("pk") for c in conds if c is not None]
        return qs.filter(pk__in=arms[0].union(*arms[1:]))

    def search_content(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(summary__icontains=value) | Q(answer__icontains=value)) if value else qs


class ApplicationFilter(StationFilterMixin):
    received_from = df.DateFilter(field_name="received_on", lookup_expr="gte", label=_("received from"),
                                  widget=DATE)
    received_to = df.DateFilter(field_name="received_on", lookup_expr="lte", label=_("received to"), widget=DATE)
    decided_from = df.DateFilter(field_name="decided_on", lookup_expr="gte", label=_("decided from"), widget=DATE)
    decided_to = df.DateFilter(field_name="decided_on", lookup_expr="lte", label=_("decided to"), widget=DATE)
    status = df.MultipleChoiceFilter(distinct=False, choices=Application.Status.choices, label=_("status"))
    phase = df.MultipleChoiceFilter(choices=PHASE_CHOICES, method="filter_phase", label=_("waiting for"))
    deadline = df.ChoiceFilter(choices=[("overdue", _("Overdue")),
                                        ("due_soon", _("Due within 2 days"))],
                               method="filter_deadline", label=_("deadline"))
    against_result = df.BooleanFilter(method="granted_against", label=_("granted against the eligibility result"),
                                      widget=forms.CheckboxInput)
    q = df.CharFilter(method="search", label=_("search"))

    def granted_against(self, qs, name, value):
        return granted_against_result(qs) if value else qs

    def filter_phase(self, qs, name, value):
        """What the application waits for: phases of the transition table, as its page's next step says (several:
        a workbench panel's list, e.g. the window's received and incomplete applications)."""
        return in_phase(qs, *value) if value else qs

    def filter_deadline(self, qs, name, value):
        if value == "overdue":
            return qs.filter(overdue_q())
        if value == "due_soon":
            return qs.filter(due_soon_q())
        return qs

    def search(self, qs, name, value):
        """The applicant's name, ID number or phone (any part), and from three characters on a part of the
        receipt or decision number: each part one index-served query, joined by UNION (an OR across the
        joined tables would read every application of a province)."""
        value = value.strip()
        if not value:
            return qs
        people = Person.objects.filter(person_q(value))
        whole_id = Person.objects.none()
        user = getattr(self.request, "user", None)
        if user is None or not user.is_center:
            # An application of a station may be for a person registered elsewhere: its name, phone or part
            # of its ID number must not be found by guessing (DOMAIN.md §13); the whole ID number may.
            from applicants import idcard
            from applicants.selectors import persons_visible_to

            people = people.filter(pk__in=persons_visible_to(user).values("pk")) if user is not None \
                else Person.objects.none()
            number = idcard.normalise(value)
            if number:
                whole_id = Person.objects.filter(id_number=number)
        arms = [Application.objects.filter(applicant__in=people.values("pk")),
                Application.objects.filter(applicant__in=whole_id.values("pk"))]
        if len(value) >= 3:  # a trigram index needs three characters
            arms += [Application.objects.filter(number__icontains=value),
                     Application.objects.filter(decision_number__icontains=value)]
        ids = [arm.order_by().values("pk") for arm in arms]
        return qs.filter(pk__in=ids[0].union(*ids[1:]))


class NoticeFilter(df.FilterSet):
    received_from = df.DateFilter(field_name="received_on", lookup_expr="gte", label=_("received from"),
                                  widget=DATE)
    received_to = df.DateFilter(field_name="received_on", lookup_expr="lte", label=_("received to"), widget=DATE)
    organ = df.MultipleChoiceFilter(distinct=False, choices=ORGAN.choices, label=_("notifying organ"))
    ground = df.MultipleChoiceFilter(distinct=False, choices=NOTICE_GROUND.choices, label=_("ground"))


class MatterFilter(df.FilterSet):
    date_from = df.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_to = df.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)
    kind = df.MultipleChoiceFilter(distinct=False, choices=MATTER_KIND.choices, label=_("type"))
    plea = df.ChoiceFilter(choices=[("1", _("Yes")), ("0", _("No"))], method="filter_plea",
                           label=_("plea of guilt"))

    def filter_plea(self, qs, name, value):
        return qs.filter(plea=value == "1")
