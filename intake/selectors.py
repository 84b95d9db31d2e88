from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from core.access import station_scope

from .models import Application, Consultation, CriminalNotice, Matter


def consultations_visible_to(user) -> QuerySet[Consultation]:
    return station_scope(Consultation.objects.all(), user, capability="consultation_log").select_related(
        "station", "handled_by", "person")


def bounded_totals(qs: QuerySet[Consultation]) -> tuple[int, int | None]:
    """(rows counted up to the list bound + 1, person-times or None past the bound), in one query that reads
    at most bound + 1 rows (core.paging): a province's list never sums the whole table per page view."""
    from core.paging import bound

    limit = bound()
    found = qs.order_by()[: limit + 1].aggregate(rows=Count("pk"), persons=Sum("person_count"))
    rows = found["rows"] or 0
    return rows, (found["persons"] or 0) if rows <= limit else None


def applications_visible_to(user) -> QuerySet[Application]:
    return station_scope(Application.objects.all(), user, capability="application_intake").select_related(
        "applicant", "station", "decided_by")


def notices_visible_to(user) -> QuerySet[CriminalNotice]:
    if not user.is_authenticated or not user.can("notice_register") or not user.is_center:
        return CriminalNotice.objects.none()
    return CriminalNotice.objects.select_related("person", "station", "case")


def matters_visible_to(user) -> QuerySet[Matter]:
    if not user.is_authenticated or not user.can("matter_log"):
        return Matter.objects.none()
    return station_scope(Matter.objects.all(), user, capability="matter_log").select_related("handler", "station")


def open_applications(user) -> QuerySet[Application]:
    return applications_visible_to(user).filter(
        status__in=[Application.Status.RECEIVED, Application.Status.INCOMPLETE, Application.Status.UNDER_REVIEW])
