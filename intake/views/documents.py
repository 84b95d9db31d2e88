"""Printable documents of the window (DOMAIN.md §12): the receipt of materials, the supplementation notice,
the decisions, and the 送达回证 of each served one. A document is the center's Chinese document whoever prints
it (core.issued)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from applicants.selectors import person_is_visible
from core.access import capability_required, get_visible
from core.issued import in_document_language, print_delivery, print_issued
from core.models import CenterProfile

from ..models import Application, SupplementNotice
from ..selectors import applications_visible_to
from ._common import printable_app

# The 送达回证 of the window's documents are issued by the center's window (a station neither serves the
# center's notices and decisions nor numbers their receipts); core.issued.print_delivery asks a center user.
DELIVERY_CAPABILITY = "application_intake"


def _print(request, template, *, obj=None, document="", number="", **ctx):
    """A document printed as issued: the text kept at its first print (core.issued) when it has a number."""
    ctx["center"] = CenterProfile.get()
    ctx["today"] = timezone.localdate()
    return print_issued(request, template, ctx, obj=obj, document=document, number=number if obj else "")


def _print_delivery(request, obj, document, title, number, served_to):
    """The 送达回证 that goes with a served document: numbered on first print (by the center's window), the same
    one ever after."""
    return print_delivery(request, obj=obj, document=document, title=title, number=number, served_to=served_to,
                          capability=DELIVERY_CAPABILITY, context={"today": timezone.localdate()})


def _delivery_asked(request) -> bool:
    return request.GET.get("delivery") == "1"


@capability_required("application_intake")
@in_document_language
def print_receipt(request, pk):
    app = printable_app(request, pk)
    if not app.number:
        raise Http404
    # Dated the day it was issued, with its number: the day the center received the application (a station's
    # preliminary intake: the day it was forwarded), not the day it happens to be printed first.
    issued_on = timezone.localdate(app.forwarded_at) if app.forwarded_at else app.received_on
    return _print(request, "intake/print/receipt.html", app=app, issued_on=issued_on, obj=app, document="receipt",
                  number=app.number)


@capability_required("application_intake")
@in_document_language
def print_supplement(request, pk):
    notice = get_visible(SupplementNotice.objects.filter(
        application__in=applications_visible_to(request.user)).select_related("application__applicant"), pk=pk)
    if not person_is_visible(request.user, notice.application.applicant):
        raise Http404
    if _delivery_asked(request):
        return _print_delivery(request, notice, "supplement", "补充材料通知书", notice.number,
                               notice.application.applicant.name)
    return _print(request, "intake/print/supplement.html", notice=notice, app=notice.application, obj=notice,
                  document="supplement", number=notice.number)


@capability_required("application_intake")
@in_document_language
def print_decision(request, pk):
    app = printable_app(request, pk)
    if _delivery_asked(request) and app.status in (Application.Status.GRANTED, Application.Status.REFUSED):
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
