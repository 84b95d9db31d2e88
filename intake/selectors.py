from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from applicants.models import Person
from applicants.selectors import person_search, persons_visible_to
from core.access import station_scope

from .models import (
    Application,
    ApplicationMaterial,
    Consultation,
    CriminalNotice,
    MaterialFile,
    Matter,
    Objection,
)
from .workflow import OBJECTION, WORKFLOW

DUE_SOON_DAYS = 2  # as the due badge: amber within 2 days


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


def materials_visible_to(user) -> QuerySet[ApplicationMaterial]:
    return station_scope(ApplicationMaterial.objects.all(), user, capability="application_intake",
                         station_field="application__station").select_related("application")


def material_files_visible_to(user) -> QuerySet[MaterialFile]:
    """Scans of the materials of the applications this user may see (station staff: their station's)."""
    return station_scope(MaterialFile.objects.all(), user, capability="application_intake",
                         station_field="material__application__station").select_related("material__application")


def granted_against_result(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Applications granted although the eligibility check said not eligible, with the reviewer's reason."""
    return qs.filter(status=Application.Status.GRANTED, override_at__isnull=False)


def objections_visible_to(user) -> QuerySet[Objection]:
    """Objections to the refusals of the applications this user may see."""
    return station_scope(Objection.objects.all(), user, capability="application_intake",
                         station_field="application__station").select_related("application__applicant",
                                                                               "decided_by")


def objections_to_decide(user) -> QuerySet[Objection]:
    """The deciders' to-do: objections still waiting for the justice bureau's decision, the earliest due first
    (their 5 days run from receipt, Art. 49): the objection table's pending phase (intake.workflow.OBJECTION)."""
    if not user.is_authenticated:
        return Objection.objects.none()
    return objections_visible_to(user).filter(OBJECTION.todo_q(user)).order_by("due_on", "pk")


# --- what waits, read from the transition table (intake.workflow) ---------------------------------

def overdue_q(today: date | None = None) -> Q:
    """Applications in a phase whose deadline has passed (the review clock of one received or under review;
    a clock paused for materials is not running)."""
    return WORKFLOW.overdue_q(today or timezone.localdate())


def due_soon_q(today: date | None = None, days: int = DUE_SOON_DAYS) -> Q:
    return WORKFLOW.due_soon_q(today or timezone.localdate(), days)


def in_phase(qs: QuerySet[Application], *names: str) -> QuerySet[Application]:
    """The applications of `qs` in any of the phases `names` (a phase of the table, e.g. "under_review")."""
    q = Q(pk__in=[])
    for name in names:
        q |= WORKFLOW.phase_q(name)
    return qs.filter(q)


def todo_q(user) -> Q:
    """The applications waiting for this user's step (the navigation badge)."""
    return WORKFLOW.todo_q(user)


def notices_visible_to(user) -> QuerySet[CriminalNotice]:
    if not user.is_authenticated or not user.can("notice_register") or not user.is_center:
        return CriminalNotice.objects.none()
    return CriminalNotice.objects.select_related("person", "station", "case")


def matters_visible_to(user) -> QuerySet[Matter]:
    if not user.is_authenticated or not user.can("matter_log"):
        return Matter.objects.none()
    return station_scope(Matter.objects.all(), user, capability="matter_log").select_related("handler", "station")


def applicant_candidates(user, q: str, *, limit: int = 10) -> list[Person]:
    """The registered people a new application may be for, found by the search box (name, ID number or
    phone, as on the applicants list): those the user may see, merged records left out."""
    if not (q or "").strip():
        return []
    qs = person_search(persons_visible_to(user).filter(merged_into__isnull=True), q)
    return list(qs[:limit])


