"""GET filters of the case list (COMMON contract: cases:case_list)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import CATEGORY, GRADE, GROUP, HANDLER_KIND, SOURCE, cause_choices, stage_choices
from core.filters import LookupMultipleChoiceFilter, by_name
from core.forms_renderer import LookupSelectMultiple
from core.search import name_q
from stations.models import Handler, Station

from .models import Case, Complaint, Discussion
from .selectors import cases_by_recipient, overdue_q, pending_proposal_exists, returned_proposals_q
from .workflow import PHASE_CHOICES, in_phase_q

DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = [("1", _("Yes")), ("0", _("No"))]


class StationChoice(LookupMultipleChoiceFilter):
    """station=<pk> repeated, or station=center for cases the center took itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "station")
        kwargs.setdefault("choices", STATIONS)
        kwargs.setdefault("widget", LookupSelectMultiple(lookup=("stations:lookup", "stations"), pinned=("center",)))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q(pk__in=[])
        pks = [v for v in value if v != "center"]
        if pks:
            q |= Q(**{f"{self.field_name}_id__in": pks})
        if "center" in value:
            q |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(q)


STATIONS = by_name(Station, extra=[("center", _("The center"))])


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", help_text=_(
        "A recipient's name (one or two characters: its beginning) or a handler's name; a case number or an "
        "opposing party from three characters on."))
    status = django_filters.MultipleChoiceFilter(distinct=False, label=_("Status"), choices=Case.Status.choices)
    category = django_filters.MultipleChoiceFilter(distinct=False, label=_("Category"), choices=CATEGORY.choices)
    source = django_filters.MultipleChoiceFilter(distinct=False, label=_("Source"), choices=SOURCE.choices)
    stage = django_filters.MultipleChoiceFilter(distinct=False, label=_("Stage"), choices=stage_choices)
    cause = django_filters.MultipleChoiceFilter(distinct=False, label=_("Cause"), choices=cause_choices)
    group = django_filters.MultipleChoiceFilter(distinct=False, label=_("Beneficiary group"), choices=GROUP.choices,
                                                method="filter_group")
    station = StationChoice(label=_("Station"))
    handler = LookupMultipleChoiceFilter(distinct=False, label=_("Handler"), choices=by_name(Handler),
                                               widget=LookupSelectMultiple(lookup=("stations:lookup", "handlers")))
    grade = django_filters.MultipleChoiceFilter(distinct=False, label=_("Grade"), choices=GRADE.choices)
    # The type stored at the first assignment (Case.handler_kind), which the figures count (cases.accepted.by_lawyer),
    # not the roster's type today: the list a figure is checked against filters as the figure counts.
    handler_kind = django_filters.MultipleChoiceFilter(distinct=False, label=_("Handler type"), field_name="handler_kind",
                                                       choices=HANDLER_KIND.choices)
    is_mass = django_filters.ChoiceFilter(label=_("Group case"), choices=YES_NO, method="filter_mass")
    is_litigation = django_filters.ChoiceFilter(label=_("Litigation"), choices=YES_NO, method="filter_litigation")
    # What the case waits for: phases of the workflow table (cases/workflow.py), several at once (a workbench
    # panel that counts two phases links to both), each as the table defines it.
    phase = django_filters.MultipleChoiceFilter(distinct=False, label=_("waiting for"), choices=PHASE_CHOICES,
                                                method="filter_phase")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=[("1", _("Yes"))], method="filter_overdue")
    approval = django_filters.ChoiceFilter(label=_("Assignment proposal"), method="filter_approval", choices=[
        ("pending", _("Awaiting approval")), ("returned", _("Returned")), ("none", _("None awaiting approval"))])
    accepted_from = django_filters.DateFilter(label=_("Accepted from"), field_name="accepted_on",
                                              lookup_expr="gte", widget=DATE)
    accepted_to = django_filters.DateFilter(label=_("Accepted to"), field_name="accepted_on", lookup_expr="lte",
                                            widget=DATE)
    closed_from = django_filters.DateFilter(label=_("Closed from"), field_name="closed_on", lookup_expr="gte",
                                            widget=DATE)
    closed_to = django_filters.DateFilter(label=_("Closed to"), field_name="closed_on", lookup_expr="lte",
                                          widget=DATE)
    terminated_from = django_filters.DateFilter(label=_("Terminated from"), field_name="terminated_on",
                                                lookup_expr="gte", widget=DATE)
    terminated_to = django_filters.DateFilter(label=_("Terminated to"), field_name="terminated_on",
                                              lookup_expr="lte", widget=DATE)

    assigned_from = django_filters.DateFilter(label=_("Assigned from"), field_name="assigned_on",
                                              lookup_expr="gte", widget=DATE)
    assigned_to = django_filters.DateFilter(label=_("Assigned to"), field_name="assigned_on", lookup_expr="lte",
                                            widget=DATE)
    graded_from = django_filters.DateFilter(label=_("Graded from"), field_name="graded_on", lookup_expr="gte",
                                            widget=DATE)
    graded_to = django_filters.DateFilter(label=_("Graded to"), field_name="graded_on", lookup_expr="lte",
                                          widget=DATE)

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_station_only(self)

    def search(self, qs, name, value):
        """A recipient's name (core.search.name_q) or a handler's, and from three characters on a part of the case number
        or of the opposing party. Each part is one index-served query (pg_trgm, the recipient's key), joined by
        UNION: an OR across the joined tables would read every case of a province."""
        value = value.strip()
        if not value:
            return qs
        from applicants.models import Person

        # A station's case may be for a person registered elsewhere: that recipient's name finds nothing for
        # station staff (DOMAIN.md §13), as on the applications' search (intake.filters).
        user = getattr(self.request, "user", None)
        arms = [*cases_by_recipient(user, Person.objects.filter(name_q("name", value))),
                Case.objects.filter(handler__in=Handler.objects.filter(name__icontains=value).values("pk"))]
        if len(value) >= 3:  # a trigram index needs three characters; shorter parts would read every case
            arms += [Case.objects.filter(number__icontains=value),
                     Case.objects.filter(opposing_party__icontains=value)]
        ids = [arm.order_by().values("pk") for arm in arms]
        return qs.filter(pk__in=ids[0].union(*ids[1:]))

    def filter_mass(self, qs, name, value):
        return qs.filter(is_mass=value == "1") if value in ("0", "1") else qs

    def filter_group(self, qs, name, value):
        if not value:
            return qs
        q = Q(pk__in=[])
        for code in value:
            q |= Q(recipient_groups__contains=[code])
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and not user.is_center:
            # a recipient registered by another station: its groups are not the station's to learn (§13)
            q &= Q(recipient__station_id=user.station_id) | Q(handler__user_id=user.pk)
        return qs.filter(q)

    def filter_litigation(self, qs, name, value):
        if value in ("1", "0"):
            return qs.filter(is_litigation=value == "1")
        return qs

    def filter_phase(self, qs, name, value):
        return qs.filter(in_phase_q(*value)) if value else qs

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue_q()) if value == "1" else qs

    def filter_approval(self, qs, name, value):
        if value == "pending":
            return qs.filter(pending_proposal_exists(), status=Case.Status.AWAITING)
        if value == "none":  # no proposed handler awaits a reviewer (the clerk's cases to assign or propose)
            return qs.filter(~Q(pending_proposal_exists()))
        return qs.filter(returned_proposals_q()) if value == "returned" else qs


def _own_station_only(filterset) -> None:
    """Station staff see their own station's records only: a choice of stations would name the others (a
    posted key echoed back as the selected option)."""
    user = getattr(filterset.request, "user", None)
    if user is not None and user.is_authenticated and not user.is_center:
        filterset.filters.pop("station", None)


class _QualityRecordFilter(django_filters.FilterSet):
    """Search and station of the lists of records on cases (discussions, complaints)."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("Search"), method="search")
    station = StationChoice(label=_("Station"), field_name="case__station")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_station_only(self)

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        q = Q(case__number__icontains=value)
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return qs.filter(q)


class DiscussionFilter(_QualityRecordFilter):
    """cases:discussion_list, behind the indicator quality.discussions."""

    search_fields = ("participants", "conclusion")
    date_from = django_filters.DateFilter(label=_("Held from"), field_name="held_on", lookup_expr="gte", widget=DATE)
    date_to = django_filters.DateFilter(label=_("Held to"), field_name="held_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Discussion
        fields: list[str] = []


class ComplaintFilter(_QualityRecordFilter):
    """cases:complaint_list, behind the indicator complaints.total."""

    search_fields = ("complainant", "content")
    date_from = django_filters.DateFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte",
                                          widget=DATE)
    date_to = django_filters.DateFilter(label=_("Received to"), field_name="received_on", lookup_expr="lte",
                                        widget=DATE)
    resolved = django_filters.ChoiceFilter(label=_("Handled"), choices=YES_NO, method="filter_resolved")

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_resolved(self, qs, name, value):
        if value in ("0", "1"):
            return qs.filter(resolved_on__isnull=value == "0")
        return qs
