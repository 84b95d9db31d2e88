"""What the intake views share: the visible application, the applicant beside a record, breadcrumbs."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from applicants.groups import groups_at
from applicants.selectors import person_is_visible, person_ref, registry_label, registry_match
from core.access import get_visible
from core.choices import GROUP

from ..models import Application, Objection
from ..selectors import applications_visible_to


def export(request, sheet: str, qs, filename: str):
    from core.exports import export_response

    return export_response(sheet, qs, filename=filename, full=request.user.can("applicant_view_full"),
                           request=request)


def eligibility_label(result) -> str:
    return str(Application.Eligibility(result.result).label) if result else ""


def crumbs(*items):
    return list(items)


def person_param(user, person) -> str:
    """How a link names the person: by id when the user may see it, else by a signed reference."""
    from django.utils.http import urlencode

    if person_is_visible(user, person):
        return urlencode({"person": person.pk})
    return urlencode({"person_ref": person_ref(person=person, user=user)})


def id_display(request, person) -> dict:
    """ID and phone masked beside a record; in full, logged, when a role that may asks (?show_id=1)."""
    from applicants.services import full_id_shown

    return {"can_reveal": person is not None and request.user.can("applicant_view_full"),
            "show_full": full_id_shown(person=person, by=request.user, asked=request.GET.get("show_id") == "1")}


def person_context(request, person) -> dict:
    """The applicant beside an application: in full for those who may see the person; for station staff
    whose application is for a person registered elsewhere, only that the person is registered."""
    if not person_is_visible(request.user, person):
        return {"person": person, "person_hidden": True, "registry": None, "registry_label": "", "groups": [],
                "can_reveal": False, "show_full": False}
    today = timezone.localdate()
    entry = registry_match(person.id_number, today)
    return {"person": person, "person_hidden": False, "registry": entry, "registry_label": registry_label(entry),
            "groups": [GROUP.label(g) for g in groups_at(person, today)], **id_display(request, person)}


def visible_app(request, pk) -> Application:
    """The application, if the user may see it (else 404), with what its page and its guards read."""
    return get_visible(applications_visible_to(request.user).prefetch_related(
        "materials", "supplement_notices",
        Prefetch("objections", queryset=Objection.objects.select_related("decided_by"))), pk=pk)


def printable_app(request, pk) -> Application:
    """A printed document names the applicant: only for those who may see the person."""
    app = visible_app(request, pk)
    if not person_is_visible(request.user, app.applicant):
        raise Http404
    return app
