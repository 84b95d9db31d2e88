"""Reads of cases: what each user may see, lists with their related rows, handler caseloads."""

from __future__ import annotations

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from stations.models import Handler

from .models import Case
from .workflow import due_soon_q, overdue_q, pending_proposal_exists, phase_q  # noqa: F401 - read from the table

OPEN_STATUSES = (Case.Status.ASSIGNED,)


def sees_station_cases(user) -> bool:
    """Station staff (their station's intake, which they forward to the center) see their station's cases,
    read-only. Any other account at a station (a grassroots worker who is only a handler) sees only the cases
    assigned to it (DOMAIN.md §2: handlers see only their cases)."""
    return user.station_id is not None and user.can("application_forward")


def may_list_cases(user) -> bool:
    """Center staff who see all cases, handlers (their own) and station staff (their station's, read-only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.can("case_view_all") or user.can("case_work") or sees_station_cases(user)


def cases_visible_to(user) -> QuerySet[Case]:
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_center and user.can("case_view_all"):
        return qs
    q = Q(pk__in=[])
    if user.can("case_work"):
        q |= Q(handler__user=user)
    if sees_station_cases(user):
        q |= Q(station_id=user.station_id)
    return qs.filter(q)


def quality_records_visible_to(user, model) -> QuerySet:
    """Discussions or complaints on the cases this user may see; the center also sees complaints without a case."""
    qs = model.objects.select_related("case__recipient", "case__station", "case__handler")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_center and user.can("case_view_all"):
        return qs
    return qs.filter(case__in=cases_visible_to(user).values("pk"))


def case_list(user) -> QuerySet[Case]:
    return cases_visible_to(user).select_related("recipient", "handler", "station").order_by("-accepted_on", "-pk")


def recipient_is_visible(user, case: Case) -> bool:
    """Whether the user may learn who the case's recipient is (name, ID number, groups), without a query.

    Station staff see their station's cases, and such a case may be for a person registered by another
    station (the duplicate-ID path at intake): they learn nothing about that person, as on the application
    (DOMAIN.md §13). The center, and the handler the case is assigned to, see the recipient."""
    if case.recipient_id is None or user.is_center:
        return True
    if case.recipient.station_id is not None and case.recipient.station_id == user.station_id:
        return True
    return case.handler_id is not None and case.handler.user_id == user.pk


def with_recipient_hidden(qs: QuerySet[Case], user) -> QuerySet[Case]:
    """The list marked, row by row, where the recipient is not the user's to see (`recipient_is_visible` in
    SQL), so that its export leaves the person's cells out (core.sheets.PERSON_HIDDEN)."""
    from django.db.models import BooleanField

    from core.sheets import PERSON_HIDDEN

    if user.is_center:
        return qs
    seen = Q(recipient__isnull=True) | Q(handler__user_id=user.pk)
    if user.station_id is not None:
        seen |= Q(recipient__station_id=user.station_id)
    return qs.annotate(**{PERSON_HIDDEN: SqlCase(When(seen, then=Value(False)), default=Value(True),
                                                 output_field=BooleanField())})


def cases_by_recipient(user, people: QuerySet) -> list[QuerySet[Case]]:
    """The cases whose recipient is one of `people` (found by name), as arms of a search's UNION, only where the
    user may see that recipient (`recipient_is_visible`): a guessed name confirms nothing about a person
    outside the scope."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_center:
        return [Case.objects.filter(recipient__in=people.values("pk"))]
    arms = [Case.objects.filter(recipient__in=people.values("pk"), handler__user=user)]
    if sees_station_cases(user):
        arms.append(Case.objects.filter(recipient__in=people.filter(station_id=user.station_id).values("pk")))
    return arms


def case_detail_qs(user) -> QuerySet[Case]:
    return cases_visible_to(user).select_related(
        "recipient", "handler__provider", "handler__user", "station", "notice", "application", "created_by",
    )


def termination_notice_q() -> Q:
    """Terminated criminal cases whose notice to the organ (Art. 48, 3 days) is not yet recorded."""
    return phase_q("awaiting_notice")


def handlers_with_load() -> QuerySet[Handler]:
    """Every handler with their current open caseload, in one query."""
    return Handler.objects.select_related("provider", "user").annotate(
        open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES), distinct=True),
    )


def open_caseloads(handler_ids: list[int]) -> dict[int, int]:
    """{handler pk: open cases} for these handlers (a page of the roster), in one query."""
    rows = (Case.objects.filter(handler_id__in=handler_ids, status__in=OPEN_STATUSES).order_by()
            .values("handler_id").annotate(n=Count("pk")))
    return {r["handler_id"]: r["n"] for r in rows}


def suggested_handlers(case: Case) -> QuerySet[Handler]:
    """Active handlers (of an active firm), suitable ones first, then specialty in the case's cause, then fewest open cases.

    One SQL query; the first row is the suggestion.
    """
    from . import rules

    suitable = Q()
    if rules.is_life_or_death(case):
        suitable &= Q(criminal_years__gte=rules.MIN_CRIMINAL_YEARS_LIFE_OR_DEATH)
    if rules.is_minor_case(case):
        suitable &= Q(juvenile_suitable=True)
    # a handler of a deactivated firm (provider) is not offered (services._check_handler refuses them)
    qs = handlers_with_load().filter(Q(provider__isnull=True) | Q(provider__active=True), active=True).annotate(
        unsuitable=SqlCase(When(suitable, then=Value(0)), default=Value(1), output_field=IntegerField())
        if suitable else Value(0, output_field=IntegerField()),
        specialty_miss=SqlCase(When(specialties__contains=[case.cause], then=Value(0)), default=Value(1),
                             output_field=IntegerField()) if case.cause else Value(1, output_field=IntegerField()),
    )
    return qs.order_by("unsuitable", "specialty_miss", "open_cases", "name")


def suggest_handler(case: Case) -> Handler | None:
    return suggested_handlers(case).first()


def with_approval(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Mark each case `awaiting_approval` (the list's badge, views.next_step)."""
    return qs.annotate(awaiting_approval=pending_proposal_exists())


def returned_proposals_q() -> Q:
    """Cases still awaiting assignment whose last proposal was returned and not yet proposed again."""
    from django.db.models import Exists, OuterRef

    from .models import AssignmentProposal

    returned = AssignmentProposal.objects.filter(case=OuterRef("pk"), status=AssignmentProposal.Status.RETURNED)
    return Q(Exists(returned), status=Case.Status.AWAITING) & ~Q(pending_proposal_exists())
