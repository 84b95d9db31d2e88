from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.access import capability_required, get_visible
from core.choices import GROUP
from core.flow import submit
from core.paging import paginate
from core.redirects import safe_next
from core.registry import provided

from . import services
from .forms import MergeForm, PersonForm, RegistryEntryForm
from .groups import groups_at
from .models import Person, VulnerableEntry
from .selectors import (
    person_is_visible,
    person_ref,
    person_search,
    persons_visible_to,
    registry_label,
    registry_match,
)


def _next(request) -> str:
    return safe_next(request, "")


def _with_param(url: str, name: str, value) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def _duplicate_context(request, duplicate: Person | None, nxt: str) -> dict:
    """What the page says about an ID number registered already.

    A user who may see that person gets its name and a link; anybody else learns only that the number is
    registered, and may go on with that person (the consultation's application, or a new one) through a
    signed reference, without seeing the record."""
    if duplicate is None:
        return {"duplicate": None, "duplicate_hidden": False, "use_url": ""}
    target = nxt
    if not target and request.user.can("application_intake"):
        try:  # intake sits above this app: link to it when it is installed
            target = reverse("intake:application_create")
        except NoReverseMatch:
            target = ""
    if person_is_visible(request.user, duplicate):
        return {"duplicate": duplicate, "duplicate_hidden": False,
                "use_url": _with_param(target, "person", duplicate.pk) if target else ""}
    return {"duplicate": None, "duplicate_hidden": True,
            "use_url": _with_param(target, "person_ref", person_ref(person=duplicate, user=request.user))
            if target else ""}


def _export(request, sheet: str, qs, filename: str):
    from core.exports import export_response

    return export_response(sheet, qs, filename=filename, full=request.user.can("applicant_view_full"),
                           request=request)


@capability_required("applicant_manage")
def person_list(request):
    q = request.GET.get("q", "")
    qs = person_search(persons_visible_to(request.user).filter(merged_into__isnull=True), q)
    if request.GET.get("export") == "xlsx":
        return _export(request, "申请人", qs, "申请人.xlsx")
    page = paginate(request, qs)
    return render(request, "applicants/person_list.html", {
        "page_obj": page, "q": q, "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Applicants"), None)],
    })


def _consultation_person(request) -> dict[str, str]:
    """Name, phone and sex of the person of the consultation `?consultation=<pk>`, one this user may see (else 404):
    carried by its id, so that they are not written into the address. intake's selector, offered from its home.py
    (core.registry.provided): applicants sits below intake."""
    consultations_visible_to = provided("consultations_visible_to")
    if consultations_visible_to is None:
        return {}
    c = get_visible(consultations_visible_to(request.user), pk=request.GET["consultation"])
    return {k: v for k, v in (("name", c.person_name), ("phone", c.person_phone), ("sex", c.person_sex)) if v}


@capability_required("applicant_manage")
def person_create(request):
    """Search first (name, ID, phone), then create; an existing ID number is never registered twice."""
    q = request.GET.get("q", "").strip()
    initial = {k: request.GET[k] for k in ("name", "phone", "sex", "id_number") if request.GET.get(k)}
    if request.GET.get("consultation"):  # 引导申请: the person as the consultation wrote them down
        carried = _consultation_person(request)
        initial = {**carried, **initial}
        q = q or carried.get("name") or carried.get("phone", "")
    matches = person_search(persons_visible_to(request.user).filter(merged_into__isnull=True), q)[:10] if q else []
    form = PersonForm(request.POST or None, initial=initial)
    nxt = _next(request)
    saved = submit(request, form, lambda data: services.person_save(person=form.save(commit=False), by=request.user),
                   done=lambda person: _("Applicant %(name)s registered.") % {"name": person.name},
                   to=lambda person: (_with_param(nxt, "person", person.pk) if nxt
                                      else reverse("applicants:person_detail", args=[person.pk])))
    if saved:
        return saved
    return render(request, "applicants/person_form.html", {
        "form": form, "q": q, "matches": matches, "next": _next(request), "creating": True,
        **_duplicate_context(request, getattr(form, "duplicate", None), _next(request)),
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")), (_("New applicant"), None)],
    })


@capability_required("applicant_manage")
def person_edit(request, pk):
    person = get_visible(persons_visible_to(request.user), pk=pk)
    show_full = request.user.can("applicant_view_full")
    if show_full and request.method == "GET":  # the inputs hold the full numbers: logged as the page is
        services.person_view_logged(person=person, by=request.user)
    form = PersonForm(request.POST or None, instance=person, masked=not show_full)
    saved = submit(request, form, lambda data: services.person_save(person=form.save(commit=False), by=request.user),
                   done=_("Saved."), to="applicants:person_detail", args=(person.pk,))
    if saved:
        return saved
    duplicate = _duplicate_context(request, getattr(form, "duplicate", None), "")
    duplicate["use_url"] = ""  # editing a record: there is nothing to go on with
    return render(request, "applicants/person_form.html", {
        "form": form, "person": person, "creating": False, **duplicate,
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")),
                        (person.name, reverse("applicants:person_detail", args=[person.pk])), (_("Edit"), None)],
    })


@capability_required("applicant_manage")
def person_detail(request, pk):
    person = get_visible(persons_visible_to(request.user), pk=pk)
    show_full = request.user.can("applicant_view_full")
    if show_full:
        services.person_view_logged(person=person, by=request.user)
    today = timezone.localdate()
    # intake's, offered from its home.py (core.registry.provided): applicants sits below intake
    applications_visible_to = provided("applications_visible_to")
    consultations_visible_to = provided("consultations_visible_to")
    applications = applications_visible_to(request.user).filter(applicant=person)
    cases = []
    if request.user.can("case_view_all"):
        cases = list(person.cases.order_by("-accepted_on"))
    entry = registry_match(person.id_number, today)
    return render(request, "applicants/person_detail.html", {
        "person": person, "show_full": show_full, "groups": [GROUP.label(g) for g in groups_at(person, today)],
        "applications": applications, "cases": cases,
        "consultations": consultations_visible_to(request.user).filter(person=person)[:20],
        "registry": entry, "registry_label": registry_label(entry),
        "merge_form": MergeForm(keep=person) if request.user.can("applicant_merge") else None,
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")), (person.name, None)],
    })


@capability_required("applicant_merge")
def person_merge(request, pk):
    keep = get_visible(persons_visible_to(request.user), pk=pk)
    form = MergeForm(request.POST or None, keep=keep)
    merged = submit(request, form, lambda data: services.person_merge(keep=keep, drop=data["other"], by=request.user,
                                                                      reason=data["reason"]),
                    done=_("Records merged."), to="applicants:person_detail", args=(keep.pk,))
    if merged:
        return merged
    return render(request, "applicants/person_merge.html", {
        "form": form, "person": keep,
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")),
                        (keep.name, reverse("applicants:person_detail", args=[keep.pk])), (_("Merge"), None)],
    })


# --- Vulnerable-persons registry -------------------------------------------------------------

@capability_required("registry_manage")
def registry_list(request):
    q = request.GET.get("q", "").strip()
    qs = VulnerableEntry.objects.all()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(id_number__icontains=q.upper()) | Q(source__icontains=q))
    categories = request.GET.getlist("category")
    if categories:
        qs = qs.filter(category__in=categories)
    if request.GET.get("export") == "xlsx":
        return _export(request, "困难群体", qs, "困难群体.xlsx")
    try:
        import_url = reverse("ledger:import_upload")
    except NoReverseMatch:
        import_url = ""
    from core.choices import REGISTRY_CATEGORY

    return render(request, "applicants/registry_list.html", {
        "page_obj": paginate(request, qs), "q": q, "import_url": import_url,
        "categories": REGISTRY_CATEGORY.choices, "selected": categories, "today": timezone.localdate(),
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Vulnerable-persons registry"), None)],
    })


@capability_required("registry_manage")
def registry_edit(request, pk=None):
    entry = get_visible(VulnerableEntry.objects.all(), pk=pk) if pk else None
    form = RegistryEntryForm(request.POST or None, instance=entry)
    saved = submit(request, form, lambda data: services.registry_entry_save(entry=form.save(commit=False),
                                                                           by=request.user),
                   done=_("Saved."), to="applicants:registry_list")
    if saved:
        return saved
    return render(request, "applicants/registry_form.html", {
        "form": form, "entry": entry,
        "breadcrumbs": [(_("Vulnerable-persons registry"), reverse("applicants:registry_list")),
                        (entry.name if entry else _("New entry"), None)],
    })
