"""The steps of an application (intake.workflow): the buttons of its detail page, the decision forms and the
objection to a refusal. Each view hands the service to core.flow (`act` for a button, `submit` for a form);
the service checks the user and the state through the table, so a refusal of the user is a 403 and a state
that does not allow the step comes back as a message."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import capability_required, get_visible
from core.flow import act, act_with, submit

from .. import services
from ..forms import DecisionForm, ObjectionDecideForm, ObjectionForm, WithdrawForm
from ..models import Application
from ..selectors import objections_visible_to
from ._common import crumbs, eligibility_label, visible_app

DETAIL = "intake:application_detail"


def _button(request, pk, run, done):
    """A button of the detail page: the service on the visible application, then back to the page."""
    app = visible_app(request, pk)
    return act(request, lambda: run(app), done=done, to=DETAIL, args=(app.pk,))


@capability_required("application_intake")
@require_POST
def application_supplement(request, pk):
    reason = request.POST.get("reason", "")
    return _button(request, pk, lambda a: services.supplement_notice_issue(application=a, by=request.user,
                                                                           reason=reason),
                   lambda notice: _("Supplementation notice %(n)s issued.") % {"n": notice.number})


def _step(capability: str, service, done):
    """A button of the detail page that only runs `service(application=, by=)` and says `done` (lazy)."""

    @capability_required(capability)
    @require_POST
    def view(request, pk):
        return _button(request, pk, lambda a: service(application=a, by=request.user), str(done))

    return view


application_supplied = _step("application_intake", services.materials_supplied,
                             gettext_lazy("Materials complete; the review clock runs again."))
application_submit_review = _step("application_intake", services.application_submit_review,
                                  gettext_lazy("Sent to review."))
application_forward = _step("application_forward", services.application_forward,
                            gettext_lazy("Forwarded to the center."))


@capability_required("application_intake")
@require_POST
def application_withdraw(request, pk):
    app = visible_app(request, pk)
    return act_with(request, WithdrawForm(request.POST), lambda data: services.application_withdraw(
        application=app, by=request.user, reason=data.get("reason", "")),
        done=_("Application withdrawn."), to=DETAIL, args=(app.pk,))


@capability_required("application_decide")
@require_POST
def application_advance_review(request, pk):
    confirmed = request.POST.get("confirmed") == "1"
    return _button(request, pk, lambda a: services.application_advance_review(
        application=a, by=request.user, confirmed=confirmed, reasons=request.POST.get("reasons", "")),
        _("Follow-up review recorded: the aid stands.") if confirmed
        else _("Follow-up review recorded: the aid is not confirmed and the case is terminated."))


def _decide(request, pk, refuse: bool):
    app = visible_app(request, pk)
    preview = services.eligibility_for(app, timezone.localdate())
    against = preview.result == Application.Eligibility.NOT_ELIGIBLE
    form = DecisionForm(request.POST or None, refuse=refuse, against=against)

    def decide(data):
        if refuse:
            return services.application_refuse(application=app, by=request.user, reasons=data["reasons"],
                                               decided_on=data["decided_on"])
        return services.application_grant(application=app, by=request.user, decided_on=data["decided_on"],
                                          note=data["reasons"], override_reason=data.get("override_reason", ""))

    done = submit(request, form, decide,
                  done=_("Application refused.") if refuse else _("Legal aid granted; case opened."),
                  to=DETAIL, args=(app.pk,))
    if done:
        return done
    return render(request, "intake/application_decide.html", {
        "app": app, "form": form, "refuse": refuse, "preview": preview, "preview_label": eligibility_label(preview),
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (str(app), reverse(DETAIL, args=[app.pk])),
                              (_("Refuse") if refuse else _("Grant"), None)),
    }, status=400 if request.method == "POST" else 200)


@capability_required("application_decide")
def application_grant(request, pk):
    return _decide(request, pk, refuse=False)


@capability_required("application_decide")
def application_refuse(request, pk):
    return _decide(request, pk, refuse=True)


@capability_required("application_intake")
def objection_create(request, pk):
    app = visible_app(request, pk)
    form = ObjectionForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    done = submit(request, form, lambda data: services.objection_file(
        application=app, by=request.user, filed_on=data["filed_on"], grounds=data["grounds"]),
        done=_("Objection recorded."), to=DETAIL, args=(app.pk,))
    if done:
        return done
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Objection to the refusal"),
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (str(app), reverse(DETAIL, args=[app.pk])), (_("Objection"), None)),
    })


@capability_required("application_decide")
def objection_decide(request, pk):
    objection = get_visible(objections_visible_to(request.user), pk=pk)
    form = ObjectionDecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    done = submit(request, form, lambda data: services.objection_decide(objection=objection, by=request.user,
                                                                        **data),
                  done=_("Objection outcome recorded."), to=DETAIL, args=(objection.application_id,))
    if done:
        return done
    return render(request, "intake/simple_form.html", {
        "form": form, "title": _("Outcome of the objection"),
        "breadcrumbs": crumbs((_("Applications"), reverse("intake:application_list")),
                              (str(objection.application), reverse(DETAIL, args=[objection.application_id])),
                              (_("Objection"), None)),
    })
