"""Printable documents of the window (DOMAIN.md §12): the receipt of materials, the supplementation notice,
the decisions, and the 送达回证 of each served one."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from applicants.selectors import person_is_visible
from core.access import capability_required, get_visible
from core.models import CenterProfile

from ..models import Application, SupplementNotice
from ..selectors import applications_visible_to
from ._common import printable_app


def _print(request, template, *, obj=None, document="", number="", **ctx):
    """A document printed as issued: the text kept at its first print (core.issued) when it has a number."""
    from core.issued import print_issued

    ctx["center"] = CenterProfile.get()
    ctx["today"] = timezone.localdate()
    return print_issued(request, template, ctx, obj=obj, document=document, number=number if obj else "")


def _print_delivery(request, obj, document, title, number, served_to):
    """The 送达回证 that goes with a served document: numbered on first print, the same one ever after."""
    from core.delivery import delivery_receipt

    receipt = delivery_receipt(obj=obj, document=document, title=title, number=number, served_to=served_to,
                               by=request.user)
    return _print(request, "core/print/delivery.html", receipt=receipt, obj=receipt, document="delivery",
                  number=receipt.number)


@capability_required("application_intake")
def print_receipt(request, pk):
    app = printable_app(request, pk)
    if not app.number:
        raise Http404
    return _print(request, "intake/print/receipt.html", app=app, obj=app, document="receipt", number=app.number)


@capability_required("application_intake")
def print_supplement(request, pk):
    notice = get_visible(SupplementNotice.objects.filter(
        application__in=applications_visible_to(request.user)).select_related("application__applicant"), pk=pk)
    if not person_is_visible(request.user, notice.application.applicant):
        raise Http404
    if request.GET.get("delivery"):
        return _print_delivery(request, notice, "supplement", "补充材料通知书", notice.number,
                               notice.application.applicant.name)
    return _print(request, "intake/print/supplement.html", notice=notice, app=notice.application, obj=notice,
                  document="supplement", number=notice.number)


@capability_required("application_intake")
def print_decision(request, pk):
    app = printable_app(request, pk)
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
