"""Applications (申请, DOMAIN.md §5): the list, the new application from its applicant, the form and the
detail page, whose buttons and next-step hint are the transition table's (intake.workflow)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.selectors import person_for_intake, person_is_visible, persons_visible_to
from core.access import capability_required, get_visible
from core.flow import submit
from core.paging import paginate

from .. import services
from ..filters import ApplicationFilter
from ..forms import (
    ApplicationForm,
    DecisionForm,
    MaterialsForm,
    ObjectionDecideForm,
    ObjectionForm,
    WithdrawForm,
)
from ..models import MaterialFile
from ..selectors import applicant_candidates, applications_visible_to, consultations_visible_to
from ..workflow import OBJECTION, WORKFLOW
from ._common import crumbs, eligibility_label, export, person_context, visible_app

START_MATCHES = 10  # people listed by the search on the new-application page


@capability_required("application_intake")
def application_list(request):
    f = ApplicationFilter(request.GET or None, queryset=applications_visible_to(request.user), request=request)
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        from django.db.models import Exists, OuterRef

        # as on the page: an applicant outside the user's scope is "registered person", no number, no phone
        qs = qs.annotate(applicant_hidden=~Exists(persons_visible_to(request.user).filter(pk=OuterRef("applicant_id"))))
        return export(request, "申请", qs, "申请.xlsx")
    return render(request, "intake/application_list.html", {
        "filter": f, "page_obj": paginate(request, qs),
        "breadcrumbs": crumbs((_("Applications"), None)),
    })


@capability_required("application_intake")
def application_create(request):
    person_id = request.GET.get("person") or request.POST.get("person")
    ref = request.GET.get("person_ref") or request.POST.get("person_ref")
    if not person_id and not ref:
        return _application_start(request)
    person = person_for_intake(request.user, pk=person_id, ref=ref)
    hidden = not person_is_visible(request.user, person)
    consultation = None
    cid = request.GET.get("consultation") or request.POST.get("consultation")
    if cid:
        consultation = get_visible(consultations_visible_to(request.user), pk=cid)
    initial = {}
    if consultation is not None and consultation.topic and consultation.topic != "criminal":
        initial = {"cause": consultation.topic, "facts": consultation.summary}
    elif consultation is not None and consultation.topic == "criminal":
        initial = {"category": "criminal", "facts": consultation.summary}
    form = ApplicationForm(request.POST or None, initial=initial, user=request.user)

    def receive(data):
        app = form.save(commit=False)
        app.applicant = person
        return services.application_receive(application=app, by=request.user, consultation=consultation)

    done = submit(request, form, receive, done=_("Application received."),
                  to=lambda app: reverse("intake:application_detail", args=[app.pk]))
    if done:
        return done
    return render(request, "intake/application_form.html", {
        "form": form, "consultation": consultation, **person_context(request, person),
        "person_ref": ref if hidden else "",
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (_("New application"), None)),
    })


def _application_start(request):
    """新申请 starts from the applicant: the page says so and finds the person (or registers a new one);
    each match opens the application form for that person."""
    from django.utils.http import urlencode

    q = request.GET.get("q", "").strip()
    cid = request.GET.get("consultation", "")
    consultation = get_visible(consultations_visible_to(request.user), pk=cid) if cid.isascii() and cid.isdigit() else None
    target = reverse("intake:application_create")
    if consultation is not None:
        target += "?" + urlencode({"consultation": consultation.pk})
    register = {"next": target}
    if q:
        register["q"] = q
        if not any(ch.isdigit() for ch in q):  # a name typed in the search: the new record starts with it
            register["name"] = q
    return render(request, "intake/application_start.html", {
        "q": q, "matches": applicant_candidates(request.user, q, limit=START_MATCHES), "limit": START_MATCHES,
        "consultation": consultation,
        "target": target, "register_url": reverse("applicants:person_create") + "?" + urlencode(register),
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (_("New application"), None)),
    })


@capability_required("application_intake")
def application_edit(request, pk):
    app = get_visible(applications_visible_to(request.user), pk=pk)
    form = ApplicationForm(request.POST or None, instance=app, user=request.user)
    done = submit(request, form, lambda data: services.application_update(application=form.save(commit=False),
                                                                          by=request.user),
                  done=_("Saved."), to="intake:application_detail", args=(app.pk,))
    if done:
        return done
    return render(request, "intake/application_form.html", {
        "form": form, "app": app, **person_context(request, app.applicant),
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (str(app), reverse("intake:application_detail", args=[app.pk])), (_("Edit"), None)),
    })


@capability_required("application_intake")
def application_detail(request, pk):
    app = visible_app(request, pk)
    today = timezone.localdate()
    person = person_context(request, app.applicant)
    # The check's reasons speak of the person's income, groups and registry entry: not for those who may
    # not see the person.
    preview = (services.eligibility_for(app, today)
               if app.status in services.OPEN_STATES and not person["person_hidden"] else None)
    case = getattr(app, "case", None) if app.status == app.Status.GRANTED else None
    objections = list(app.objections.all())
    for o in objections:
        o.late = services.objection_late(o, today)
        o.decidable = any(OBJECTION.offered(request.user, o).values())
    offered = WORKFLOW.offered(request.user, app)
    hint, due = WORKFLOW.next_step(app)
    return render(request, "intake/application_detail.html", {
        "objections": objections, "offered": offered, "phase": WORKFLOW.phase(app),
        "next_hint": hint, "next_due": due,
        "further_supplement": bool(app.supplement_notices.all()),
        "app": app, **person,
        "preview": preview, "preview_label": eligibility_label(preview), "case": case,
        "materials_form": MaterialsForm(),
        "grant_form": DecisionForm(), "refuse_form": DecisionForm(refuse=True), "withdraw_form": WithdrawForm(),
        "objection_form": ObjectionForm(initial={"filed_on": today}),
        "objection_decide_form": ObjectionDecideForm(initial={"decided_on": today}),
        "material_rows": (rows := _material_rows(app)),
        "any_material_file": any(files for _m, files in rows),
        "assets_total": services.assets_total(app),
        "can_attach": offered["materials"],
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")), (str(app), None)),
    })


def _material_rows(app) -> list[tuple]:
    """Each material with its scans still shown (removed ones stay on record, out of sight)."""
    files: dict[int, list] = {}
    for item in (MaterialFile.objects.filter(material__application=app, removed_at__isnull=True)
                 .select_related("uploaded_by").order_by("uploaded_at", "pk")):
        files.setdefault(item.material_id, []).append(item)
    return [(m, files.get(m.pk, [])) for m in app.materials.all()]
