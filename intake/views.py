from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.groups import groups_at
from applicants.models import Person
from applicants.selectors import (
    person_for_intake,
    person_is_visible,
    person_ref,
    persons_visible_to,
    registry_label,
    registry_match,
)
from core.access import get_visible, require
from core.choices import GROUP
from core.models import AccessLog, CenterProfile
from core.paging import paginate

from . import services
from .filters import ApplicationFilter, ConsultationFilter, MatterFilter, NoticeFilter
from .forms import (
    ApplicationForm,
    ConsultationForm,
    DecisionForm,
    MaterialsForm,
    MatterForm,
    NoticeForm,
    ObjectionDecideForm,
    ObjectionForm,
    WithdrawForm,
)
from .models import Application, MaterialFile, Objection, SupplementNotice
from .selectors import (
    applicant_candidates,
    applications_visible_to,
    bounded_totals,
    consultations_visible_to,
    material_files_visible_to,
    materials_visible_to,
    matters_visible_to,
    notices_visible_to,
    objections_visible_to,
)


def form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names, else on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _export(request, sheet: str, qs, filename: str):
    from core.exports import export_response

    return export_response(sheet, qs, filename=filename, full=request.user.can("applicant_view_full"),
                           request=request)


def _label(result) -> str:
    return str(Application.Eligibility(result.result).label) if result else ""


MATERIAL_CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def _crumbs(*items):
    return list(items)


# --- Consultations ------------------------------------------------------------------------

@login_required
def consultation_list(request):
    require(request.user, "consultation_log")
    f = ConsultationFilter(request.GET or None, queryset=consultations_visible_to(request.user),
                           request=request)
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "咨询", qs, "咨询.xlsx")
    rows, total = bounded_totals(qs)
    page = paginate(request, qs, counted=rows)
    return render(request, "intake/consultation_list.html", {
        "filter": f, "page_obj": page, "total": total, "rows": page.paginator.count,
        "rows_text": page.paginator.count_text,
        "show_full": request.user.can("applicant_view_full"),
        "breadcrumbs": _crumbs((_("Consultations"), None)),
    })


@login_required
def consultation_create(request, pk=None):
    require(request.user, "consultation_log")
    instance = get_visible(consultations_visible_to(request.user), pk=pk) if pk else None
    form = ConsultationForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.consultation_save(consultation=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Consultation recorded."))
            if "another" in request.POST:
                return redirect("intake:consultation_create")
            return redirect("intake:consultation_detail", pk=c.pk)
    return render(request, "intake/consultation_form.html", {
        "form": form, "instance": instance,
        "breadcrumbs": _crumbs((_("Consultations"), reverse("intake:consultation_list")),
                               (_("Edit") if instance else _("New consultation"), None)),
    })


@login_required
def consultation_detail(request, pk):
    require(request.user, "consultation_log")
    c = get_visible(consultations_visible_to(request.user).select_related("application"), pk=pk)
    return render(request, "intake/consultation_detail.html", {
        "c": c, "show_full": request.user.can("applicant_view_full"),
        "groups": [GROUP.label(g) for g in c.person_groups],
        "breadcrumbs": _crumbs((_("Consultations"), reverse("intake:consultation_list")),
                               (c.occurred_at, None)),  # written in Beijing time by the base template
    })


@login_required
def consultation_to_application(request, pk):
    """引导申请: carry the person over (find or register), then the application form."""
    require(request.user, "application_intake")
    c = get_visible(consultations_visible_to(request.user), pk=pk)
    if c.application_id:
        return redirect("intake:application_detail", pk=c.application_id)
    target = reverse("intake:application_create") + f"?consultation={c.pk}"
    if c.person_id:
        return redirect(f"{target}&{_person_param(request.user, c.person)}")
    params = {"next": target, "q": c.person_name or c.person_phone, "name": c.person_name,
              "phone": c.person_phone, "sex": c.person_sex}
    from django.utils.http import urlencode

    return redirect(reverse("applicants:person_create") + "?" + urlencode({k: v for k, v in params.items() if v}))


# --- Applications -------------------------------------------------------------------------

@login_required
def application_list(request):
    require(request.user, "application_intake")
    f = ApplicationFilter(request.GET or None, queryset=applications_visible_to(request.user), request=request)
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        from django.db.models import Exists, OuterRef

        # as on the page: an applicant outside the user's scope is "registered person", no number, no phone
        qs = qs.annotate(applicant_hidden=~Exists(persons_visible_to(request.user).filter(pk=OuterRef("applicant_id"))))
        return _export(request, "申请", qs, "申请.xlsx")
    return render(request, "intake/application_list.html", {
        "filter": f, "page_obj": paginate(request, qs),
        "breadcrumbs": _crumbs((_("Applications"), None)),
    })


@login_required
def application_create(request):
    require(request.user, "application_intake")
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
    if request.method == "POST" and form.is_valid():
        app = form.save(commit=False)
        app.applicant = person
        try:
            app = services.application_receive(application=app, by=request.user, consultation=consultation)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Application received."))
            return redirect("intake:application_detail", pk=app.pk)
    return render(request, "intake/application_form.html", {
        "form": form, "consultation": consultation, **_person_context(request, person),
        "person_ref": ref if hidden else "",
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (_("New application"), None)),
    })


START_MATCHES = 10  # people listed by the search on the new-application page


def _application_start(request):
    """新申请 starts from the applicant: the page says so and finds the person (or registers a new one);
    each match opens the application form for that person."""
    from django.utils.http import urlencode

    q = request.GET.get("q", "").strip()
    cid = request.GET.get("consultation", "")
    consultation = get_visible(consultations_visible_to(request.user), pk=cid) if cid.isdigit() else None
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
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (_("New application"), None)),
    })


def _person_param(user, person) -> str:
    """How a link names the person: by id when the user may see it, else by a signed reference."""
    from django.utils.http import urlencode

    if person_is_visible(user, person):
        return urlencode({"person": person.pk})
    return urlencode({"person_ref": person_ref(person=person, user=user)})


def _person_context(request, person) -> dict:
    """The applicant beside an application: in full for those who may see the person; for station staff
    whose application is for a person registered elsewhere, only that the person is registered."""
    if not person_is_visible(request.user, person):
        return {"person": person, "person_hidden": True, "registry": None, "registry_label": "", "groups": [],
                "can_reveal": False, "show_full": False}
    today = timezone.localdate()
    entry = registry_match(person.id_number, today)
    return {"person": person, "person_hidden": False, "registry": entry, "registry_label": registry_label(entry),
            "groups": [GROUP.label(g) for g in groups_at(person, today)], **_id_display(request, person)}


@login_required
def application_edit(request, pk):
    require(request.user, "application_intake")
    app = get_visible(applications_visible_to(request.user), pk=pk)
    form = ApplicationForm(request.POST or None, instance=app, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("intake:application_detail", pk=app.pk)
    return render(request, "intake/application_form.html", {
        "form": form, "app": app, **_person_context(request, app.applicant),
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (str(app), reverse("intake:application_detail", args=[app.pk])), (_("Edit"), None)),
    })


def _id_display(request, person) -> dict:
    """ID and phone masked beside a record; in full, logged, when a role that may asks (?show_id=1)."""
    from applicants.services import full_id_shown

    return {"can_reveal": person is not None and request.user.can("applicant_view_full"),
            "show_full": full_id_shown(person=person, by=request.user, asked=request.GET.get("show_id") == "1")}


def _visible_app(request, pk) -> Application:
    return get_visible(applications_visible_to(request.user).prefetch_related(
        "materials", "supplement_notices",
        Prefetch("objections", queryset=Objection.objects.select_related("decided_by"))), pk=pk)


@login_required
def application_detail(request, pk):
    require(request.user, "application_intake")
    app = _visible_app(request, pk)
    today = timezone.localdate()
    person = _person_context(request, app.applicant)
    # The check's reasons speak of the person's income, groups and registry entry: not for those who may
    # not see the person.
    preview = (services.eligibility_for(app, today)
               if app.status in services.OPEN_STATES and not person["person_hidden"] else None)
    case = getattr(app, "case", None) if app.status == Application.Status.GRANTED else None
    objections = list(app.objections.all())
    for o in objections:
        o.late = services.objection_late(o, today)
    return render(request, "intake/application_detail.html", {
        "objections": objections,
        "objection_pending": any(o.outcome == Objection.Outcome.PENDING for o in objections),
        "further_supplement": bool(app.supplement_notices.all()),
        "app": app, **person,
        "preview": preview, "preview_label": _label(preview), "case": case, "materials_form": MaterialsForm(),
        "grant_form": DecisionForm(), "refuse_form": DecisionForm(refuse=True), "withdraw_form": WithdrawForm(),
        "objection_form": ObjectionForm(initial={"filed_on": today}),
        "objection_decide_form": ObjectionDecideForm(initial={"decided_on": today}),
        "missing": services.missing_materials(app), "material_rows": (rows := _material_rows(app)),
        "any_material_file": any(files for _m, files in rows),
        "assets_total": services.assets_total(app),
        "can_attach": app.status in services.OPEN_STATES or services.awaits_advance_review(app),
        "can_decide": request.user.can("application_decide") and request.user.is_center,
        "is_center": request.user.is_center, "awaits_advance_review": services.awaits_advance_review(app),
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")), (str(app), None)),
    })


def _material_rows(app) -> list[tuple]:
    """Each material with its scans still shown (removed ones stay on record, out of sight)."""
    files: dict[int, list] = {}
    for item in (MaterialFile.objects.filter(material__application=app, removed_at__isnull=True)
                 .select_related("uploaded_by").order_by("uploaded_at", "pk")):
        files.setdefault(item.material_id, []).append(item)
    return [(m, files.get(m.pk, [])) for m in app.materials.all()]


def _act(request, pk, action):
    """Run a transition from a POST; errors come back as messages on the detail page, nothing changes."""
    require(request.user, "application_intake")
    app = _visible_app(request, pk)
    try:
        done = action(app)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return app, None
    return app, done


@login_required
@require_POST
def application_materials(request, pk):
    form = MaterialsForm(request.POST)
    form.is_valid()
    received = {int(v) for v in request.POST.getlist("received") if v.isdigit()}
    app, done = _act(request, pk, lambda a: services.materials_update(
        application=a, received=received, by=request.user, extra=form.cleaned_data.get("extra", "")) or True)
    if done:
        messages.success(request, _("Materials checklist saved."))
    return redirect("intake:application_detail", pk=app.pk)


# --- Scans and photos of the materials ---------------------------------------------------------

@login_required
@require_POST
def material_files_upload(request, pk):
    """Attach scans or photos (window scanner, station phone camera) to one material; a refused file keeps
    nothing and says why."""
    require(request.user, "application_intake")
    material = get_visible(materials_visible_to(request.user), pk=pk)
    try:
        saved = services.material_files_add(material=material, uploads=request.FILES.getlist("files"),
                                            by=request.user)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("%(n)s file(s) attached to “%(material)s”.")
                         % {"n": len(saved), "material": material.name})
    return redirect(reverse("intake:application_detail", args=[material.application_id]) + "#material-files")


@login_required
def material_file(request, pk):
    """A material's scan for those who may see the application, never from a public media URL."""
    require(request.user, "application_intake")
    item = get_visible(material_files_visible_to(request.user), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    AccessLog.objects.create(user=request.user, action="download", object_type="intake.MaterialFile",
                             object_id=str(item.pk), detail=item.original_name[:200])
    response = FileResponse(handle, content_type=MATERIAL_CONTENT_TYPES[item.kind],
                            as_attachment=request.GET.get("download") == "1", filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def material_file_remove(request, pk):
    require(request.user, "application_intake")
    item = get_visible(material_files_visible_to(request.user), pk=pk)
    try:
        services.material_file_remove(file=item, by=request.user)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("File removed; it stays on record."))
    return redirect(reverse("intake:application_detail", args=[item.material.application_id]) + "#material-files")


@login_required
@require_POST
def application_supplement(request, pk):
    reason = request.POST.get("reason", "")
    app, notice = _act(request, pk, lambda a: services.supplement_notice_issue(application=a, by=request.user,
                                                                                reason=reason))
    if notice:
        messages.success(request, _("Supplementation notice %(n)s issued.") % {"n": notice.number})
    return redirect("intake:application_detail", pk=app.pk)


@login_required
@require_POST
def application_supplied(request, pk):
    app, done = _act(request, pk, lambda a: services.materials_supplied(application=a, by=request.user))
    if done:
        messages.success(request, _("Materials complete; the review clock runs again."))
    return redirect("intake:application_detail", pk=app.pk)


@login_required
@require_POST
def application_submit_review(request, pk):
    app, done = _act(request, pk, lambda a: services.application_submit_review(application=a, by=request.user))
    if done:
        messages.success(request, _("Sent to review."))
    return redirect("intake:application_detail", pk=app.pk)


@login_required
@require_POST
def application_forward(request, pk):
    require(request.user, "application_forward")
    app, done = _act(request, pk, lambda a: services.application_forward(application=a, by=request.user))
    if done:
        messages.success(request, _("Forwarded to the center."))
    return redirect("intake:application_detail", pk=app.pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    form = WithdrawForm(request.POST)
    form.is_valid()
    app, done = _act(request, pk, lambda a: services.application_withdraw(
        application=a, by=request.user, reason=form.cleaned_data.get("reason", "")))
    if done:
        messages.success(request, _("Application withdrawn."))
    return redirect("intake:application_detail", pk=app.pk)


@login_required
@require_POST
def application_advance_review(request, pk):
    require(request.user, "application_decide")
    confirmed = request.POST.get("confirmed") == "1"
    app, done = _act(request, pk, lambda a: services.application_advance_review(
        application=a, by=request.user, confirmed=confirmed, reasons=request.POST.get("reasons", "")))
    if done:
        messages.success(request, _("Follow-up review recorded: the aid stands.") if confirmed
                         else _("Follow-up review recorded: the aid is not confirmed and the case is terminated."))
    return redirect("intake:application_detail", pk=app.pk)


def _decide(request, pk, refuse: bool):
    require(request.user, "application_decide")
    app = _visible_app(request, pk)
    preview = services.eligibility_for(app, timezone.localdate())
    against = preview.result == Application.Eligibility.NOT_ELIGIBLE
    form = DecisionForm(request.POST or None, refuse=refuse, against=against)
    if request.method == "POST" and form.is_valid():
        try:
            if refuse:
                services.application_refuse(application=app, by=request.user, reasons=form.cleaned_data["reasons"],
                                            decided_on=form.cleaned_data["decided_on"])
            else:
                services.application_grant(application=app, by=request.user,
                                           decided_on=form.cleaned_data["decided_on"],
                                           note=form.cleaned_data["reasons"],
                                           override_reason=form.cleaned_data.get("override_reason", ""))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Application refused.") if refuse else _("Legal aid granted; case opened."))
            return redirect("intake:application_detail", pk=app.pk)
    return render(request, "intake/application_decide.html", {
        "app": app, "form": form, "refuse": refuse, "preview": preview, "preview_label": _label(preview),
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (str(app), reverse("intake:application_detail", args=[app.pk])),
                               (_("Refuse") if refuse else _("Grant"), None)),
    }, status=400 if request.method == "POST" else 200)


@login_required
def application_grant(request, pk):
    return _decide(request, pk, refuse=False)


@login_required
def application_refuse(request, pk):
    return _decide(request, pk, refuse=True)


@login_required
def objection_create(request, pk):
    require(request.user, "application_intake")
    app = _visible_app(request, pk)
    form = ObjectionForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(application=app, by=request.user, filed_on=form.cleaned_data["filed_on"],
                                    grounds=form.cleaned_data["grounds"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Objection recorded."))
            return redirect("intake:application_detail", pk=app.pk)
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Objection to the refusal"),
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (str(app), reverse("intake:application_detail", args=[app.pk])),
                               (_("Objection"), None)),
    })


@login_required
def objection_decide(request, pk):
    require(request.user, "application_decide")
    objection = get_visible(objections_visible_to(request.user), pk=pk)
    form = ObjectionDecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_decide(objection=objection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Objection outcome recorded."))
            return redirect("intake:application_detail", pk=objection.application_id)
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Outcome of the objection"),
        "breadcrumbs": _crumbs((_("Applications"), reverse("intake:application_list")),
                               (str(objection.application),
                                reverse("intake:application_detail", args=[objection.application_id])),
                               (_("Objection"), None)),
    })


# --- Printable documents --------------------------------------------------------------------

def _print(request, template, *, obj=None, document="", number="", **ctx):
    """A document printed as issued: the text kept at its first print (core.issued) when it has a number."""
    from core.issued import print_issued

    ctx["center"] = CenterProfile.get()
    ctx["today"] = timezone.localdate()
    return print_issued(request, template, ctx, obj=obj, document=document, number=number if obj else "")


def _printable_app(request, pk) -> Application:
    """A printed document names the applicant: only for those who may see the person."""
    app = _visible_app(request, pk)
    if not person_is_visible(request.user, app.applicant):
        raise Http404
    return app


@login_required
def print_receipt(request, pk):
    require(request.user, "application_intake")
    app = _printable_app(request, pk)
    if not app.number:
        raise Http404
    return _print(request, "intake/print/receipt.html", app=app, obj=app, document="receipt", number=app.number)


@login_required
def print_supplement(request, pk):
    require(request.user, "application_intake")
    notice = get_visible(SupplementNotice.objects.filter(
        application__in=applications_visible_to(request.user)).select_related("application__applicant"), pk=pk)
    if not person_is_visible(request.user, notice.application.applicant):
        raise Http404
    if request.GET.get("delivery"):
        return _print_delivery(request, notice, "supplement", "补充材料通知书", notice.number,
                               notice.application.applicant.name)
    return _print(request, "intake/print/supplement.html", notice=notice, app=notice.application, obj=notice,
                  document="supplement", number=notice.number)


def _print_delivery(request, obj, document, title, number, served_to):
    """The 送达回证 that goes with a served document: numbered on first print, the same one ever after."""
    from core.delivery import delivery_receipt

    receipt = delivery_receipt(obj=obj, document=document, title=title, number=number, served_to=served_to,
                               by=request.user)
    return _print(request, "core/print/delivery.html", receipt=receipt, obj=receipt, document="delivery",
                  number=receipt.number)


@login_required
def print_decision(request, pk):
    require(request.user, "application_intake")
    app = _printable_app(request, pk)
    if request.GET.get("delivery") and app.status in (Application.Status.GRANTED, Application.Status.REFUSED):
        granted = app.status == Application.Status.GRANTED
        return _print_delivery(request, app, "grant" if granted else "refusal",
                               "给予法律援助决定书" if granted else "不予法律援助决定书", app.decision_number,
                               app.applicant.name)
    if app.status == Application.Status.GRANTED:
        return _print(request, "intake/print/grant.html", app=app, case=getattr(app, "case", None), obj=app,
                      document="grant", number=app.decision_number)
    if app.status == Application.Status.REFUSED:
        return _print(request, "intake/print/refusal.html", app=app, obj=app, document="refusal",
                      number=app.decision_number)
    raise Http404


# --- Criminal notices -------------------------------------------------------------------------

@login_required
def notice_list(request):
    require(request.user, "notice_register")
    f = NoticeFilter(request.GET or None, queryset=notices_visible_to(request.user))
    return render(request, "intake/notice_list.html", {
        "filter": f, "page_obj": paginate(request, f.qs),
        "breadcrumbs": _crumbs((_("Criminal notices"), None)),
    })


@login_required
def notice_create(request):
    require(request.user, "notice_register")
    if not request.user.is_center:
        raise Http404
    initial, person = {}, None
    pid = request.GET.get("person") or request.POST.get("person")
    if pid and str(pid).isdigit():
        person = get_visible(persons_visible_to(request.user).filter(merged_into__isnull=True), pk=pid)
        initial["person"] = person.pk
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notice = form.save(commit=False)
        try:
            from django.db import transaction

            with transaction.atomic():
                person = data.get("person")
                if person is None:
                    person = Person(name=data["p_name"], id_number=data.get("p_id_number") or "",
                                    sex=data.get("p_sex") or "", birth_date=data.get("p_birth_date"),
                                    created_by=request.user)
                    person._history_user = request.user
                    person.save()
                notice.person = person
                notice, case = services.notice_register(notice=notice, by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Notice registered; case %(n)s awaits assignment.") % {"n": case.number})
            return redirect("intake:notice_detail", pk=notice.pk)
    return render(request, "intake/notice_form.html", {
        "form": form, "person": person, "breadcrumbs": _crumbs((_("Criminal notices"), reverse("intake:notice_list")),
                                             (_("New notice"), None)),
    })


@login_required
def notice_detail(request, pk):
    require(request.user, "notice_register")
    notice = get_visible(notices_visible_to(request.user), pk=pk)
    case = getattr(notice, "case", None)
    # the 法律援助公函 of each assignment, and when it went to the organ
    letters = ([a for a in case.assignments.select_related("handler").order_by("assigned_on", "pk") if a.letter_number]
               if case is not None else [])
    return render(request, "intake/notice_detail.html", {
        "notice": notice, "case": case, "letters": letters, **_id_display(request, notice.person),
        "breadcrumbs": _crumbs((_("Criminal notices"), reverse("intake:notice_list")), (str(notice), None)),
    })


# --- Matters ----------------------------------------------------------------------------------

@login_required
def matter_list(request):
    require(request.user, "matter_log")
    f = MatterFilter(request.GET or None, queryset=matters_visible_to(request.user))
    qs = f.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "值班与代书", qs, "值班与代书.xlsx")
    from django.db.models import Sum

    return render(request, "intake/matter_list.html", {
        "filter": f, "page_obj": paginate(request, qs),
        "total": qs.aggregate(n=Sum("person_count"))["n"] or 0,
        "breadcrumbs": _crumbs((_("Duty help and drafting"), None)),
    })


@login_required
def matter_create(request, pk=None):
    require(request.user, "matter_log")
    instance = get_visible(matters_visible_to(request.user), pk=pk) if pk else None
    form = MatterForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            m = services.matter_save(matter=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("intake:matter_detail", pk=m.pk)
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Duty-lawyer help or document drafting"),
        "breadcrumbs": _crumbs((_("Duty help and drafting"), reverse("intake:matter_list")),
                               (_("Edit") if instance else _("New"), None)),
    })


@login_required
def matter_detail(request, pk):
    require(request.user, "matter_log")
    m = get_visible(matters_visible_to(request.user), pk=pk)
    return render(request, "intake/matter_detail.html", {
        "m": m, "breadcrumbs": _crumbs((_("Duty help and drafting"), reverse("intake:matter_list")), (str(m), None)),
    })
