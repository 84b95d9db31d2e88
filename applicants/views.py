from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.access import get_visible, require
from core.choices import GROUP

from . import services
from .forms import MergeForm, PersonForm, RegistryEntryForm
from .groups import groups_at
from .models import VulnerableEntry
from .selectors import person_search, persons_visible_to, registry_label, registry_match


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    return url if url and url_has_allowed_host_and_scheme(url, {request.get_host()}) else ""


def _export(request, sheet: str, qs, filename: str):
    from ledger.exporters import export_response

    return export_response(sheet, qs, filename=filename, full=request.user.can("applicant_view_full"))


@login_required
def person_list(request):
    require(request.user, "applicant_manage")
    q = request.GET.get("q", "")
    qs = person_search(persons_visible_to(request.user).filter(merged_into__isnull=True), q)
    if request.GET.get("export") == "xlsx":
        return _export(request, "申请人", qs, "申请人.xlsx")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "applicants/person_list.html", {
        "page_obj": page, "q": q, "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Applicants"), None)],
    })


@login_required
def person_create(request):
    """Search first (name, ID, phone), then create; an existing ID number is never registered twice."""
    require(request.user, "applicant_manage")
    q = request.GET.get("q", "").strip()
    matches = person_search(persons_visible_to(request.user).filter(merged_into__isnull=True), q)[:10] if q else []
    initial = {k: request.GET[k] for k in ("name", "phone", "sex", "id_number") if request.GET.get(k)}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = services.person_save(person=form.save(commit=False), by=request.user)
        messages.success(request, _("Applicant %(name)s registered.") % {"name": person.name})
        nxt = _next(request)
        if nxt:
            return redirect(f"{nxt}{'&' if '?' in nxt else '?'}person={person.pk}")
        return redirect("applicants:person_detail", pk=person.pk)
    return render(request, "applicants/person_form.html", {
        "form": form, "q": q, "matches": matches, "next": _next(request), "creating": True,
        "duplicate": getattr(form, "duplicate", None), "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")), (_("New applicant"), None)],
    })


@login_required
def person_edit(request, pk):
    require(request.user, "applicant_manage")
    person = get_visible(persons_visible_to(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_save(person=form.save(commit=False), by=request.user)
        messages.success(request, _("Saved."))
        return redirect("applicants:person_detail", pk=person.pk)
    return render(request, "applicants/person_form.html", {
        "form": form, "person": person, "creating": False,
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")),
                        (person.name, reverse("applicants:person_detail", args=[person.pk])), (_("Edit"), None)],
    })


@login_required
def person_detail(request, pk):
    require(request.user, "applicant_manage")
    person = get_visible(persons_visible_to(request.user), pk=pk)
    show_full = request.user.can("applicant_view_full")
    if show_full:
        services.person_view_logged(person=person, by=request.user)
    today = timezone.localdate()
    from intake.selectors import applications_visible_to, consultations_visible_to

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


@login_required
def person_merge(request, pk):
    require(request.user, "applicant_merge")
    keep = get_visible(persons_visible_to(request.user), pk=pk)
    form = MergeForm(request.POST or None, keep=keep)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(keep=keep, drop=form.cleaned_data["other"], by=request.user,
                                  reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Records merged."))
            return redirect("applicants:person_detail", pk=keep.pk)
    return render(request, "applicants/person_merge.html", {
        "form": form, "person": keep,
        "breadcrumbs": [(_("Applicants"), reverse("applicants:person_list")),
                        (keep.name, reverse("applicants:person_detail", args=[keep.pk])), (_("Merge"), None)],
    })


# --- Vulnerable-persons registry -------------------------------------------------------------

@login_required
def registry_list(request):
    require(request.user, "registry_manage")
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
        "page_obj": Paginator(qs, 25).get_page(request.GET.get("page")), "q": q, "import_url": import_url,
        "categories": REGISTRY_CATEGORY.choices, "selected": categories, "today": timezone.localdate(),
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": [(_("Vulnerable-persons registry"), None)],
    })


@login_required
def registry_edit(request, pk=None):
    require(request.user, "registry_manage")
    entry = get_visible(VulnerableEntry.objects.all(), pk=pk) if pk else None
    form = RegistryEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.registry_entry_save(entry=form.save(commit=False), by=request.user)
        messages.success(request, _("Saved."))
        return redirect("applicants:registry_list")
    return render(request, "applicants/registry_form.html", {
        "form": form, "entry": entry,
        "breadcrumbs": [(_("Vulnerable-persons registry"), reverse("applicants:registry_list")),
                        (entry.name if entry else _("New entry"), None)],
    })
