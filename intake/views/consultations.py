"""Consultations (咨询, DOMAIN.md §3): the list, the quick form, the record and its way to an application."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import capability_required, get_visible
from core.choices import GROUP
from core.flow import submit
from core.paging import paginate

from .. import services
from ..filters import ConsultationFilter
from ..forms import ConsultationForm
from ..selectors import bounded_totals, consultations_visible_to
from ._common import crumbs, export, person_param


@capability_required("consultation_log")
def consultation_list(request):
    f = ConsultationFilter(request.GET or None, queryset=consultations_visible_to(request.user),
                           request=request)
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        return export(request, "咨询", qs, "咨询.xlsx")
    rows, total = bounded_totals(qs)
    page = paginate(request, qs, counted=rows)
    return render(request, "intake/consultation_list.html", {
        "filter": f, "page_obj": page, "total": total, "rows": page.paginator.count,
        "rows_text": page.paginator.count_text,
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": crumbs((_("Consultations"), None)),
    })


@capability_required("consultation_log")
def consultation_create(request, pk=None):
    instance = get_visible(consultations_visible_to(request.user), pk=pk) if pk else None
    form = ConsultationForm(request.POST or None, instance=instance, user=request.user)

    def after(c) -> str:
        if "another" in request.POST:
            return reverse("intake:consultation_create")
        return reverse("intake:consultation_detail", args=[c.pk])

    done = submit(request, form, lambda data: services.consultation_save(consultation=form.save(commit=False),
                                                                         by=request.user,
                                                                         volunteers=data.get("volunteers")),
                  done=_("Consultation recorded."), to=after)
    if done:
        return done
    return render(request, "intake/consultation_form.html", {
        "form": form, "instance": instance,
        "breadcrumbs": crumbs((_("Consultations"), reverse("intake:consultation_list")),
                              (_("Edit") if instance else _("New consultation"), None)),
    })


@capability_required("consultation_log")
def consultation_detail(request, pk):
    c = get_visible(consultations_visible_to(request.user).select_related("application"), pk=pk)
    return render(request, "intake/consultation_detail.html", {
        "c": c, "show_full": request.user.can("applicant_view_full"),
        "groups": [GROUP.label(g) for g in c.person_groups],
        "breadcrumbs": crumbs((_("Consultations"), reverse("intake:consultation_list")),
                              (c.occurred_at, None)),  # written in Beijing time by the base template
    })


@capability_required("application_intake")
def consultation_to_application(request, pk):
    """引导申请: carry the person over (find or register), then the application form."""
    from django.utils.http import urlencode

    c = get_visible(consultations_visible_to(request.user), pk=pk)
    if c.application_id:
        return redirect("intake:application_detail", pk=c.application_id)
    target = reverse("intake:application_create") + f"?consultation={c.pk}"
    if c.person_id:
        return redirect(f"{target}&{person_param(request.user, c.person)}")
    # The person's name and phone stay out of the address (server logs, the browser's history: DOMAIN.md §13):
    # the new-applicant page reads them from the consultation, which it opens as this user may see it.
    return redirect(reverse("applicants:person_create") + "?" + urlencode({"next": target, "consultation": c.pk}))
