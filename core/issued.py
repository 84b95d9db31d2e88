"""Documents as issued (DOMAIN.md §12): a numbered document keeps the text it was first printed with.

The first print of a numbered document renders its template and keeps the printed part (between the
`<!--issued-->` markers of `print/base_a4.html`) in an `IssuedDocument`. Every print, the first one
included, shows that kept text, so what a later print shows is exactly what the applicant holds even when
the record has been edited since; a print after the first says it is a reprint, with the day it was issued.
Every print is logged (who, when), like the opening of a person's record.

The document is the center's Chinese document whoever prints it (the system also offers English): its text is
rendered in `settings.LANGUAGE_CODE`; only the page around it (the toolbar) follows the reader's language.
"""

from __future__ import annotations

import re
from functools import wraps

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from .models import AccessLog, DeliveryReceipt, IssuedDocument

START, END = "<!--issued-->", "<!--/issued-->"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def printed_part(html: str) -> tuple[str, str]:
    """(title, body) of a rendered print page: the text between the markers, and the page title."""
    if START not in html or END not in html:
        raise ValueError("a print template must extend print/base_a4.html")
    body = html.split(START, 1)[1].rsplit(END, 1)[0]
    match = _TITLE.search(html)
    title = strip_tags(match.group(1)).strip() if match else ""
    return title, body


def document_language():
    """The language a document is written in: the center's, whoever prints it."""
    return translation.override(settings.LANGUAGE_CODE)


def in_document_language(view):
    """A print view whose document is worked out in the center's language: what the view computes for it (an
    organ's name from a vocabulary, a receipt's addressee) as much as what its template prints. Errors (403,
    404) and the page around the document stay in the reader's language (`print_issued`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with document_language():
            return view(request, *args, **kwargs)

    return wrapped


def issued_document(*, obj, document: str) -> IssuedDocument | None:
    ct = ContentType.objects.get_for_model(type(obj))
    return IssuedDocument.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()


def print_issued(request, template: str, context: dict, *, obj, document: str, number: str, notes=()):
    """The print page of `document` of `obj`: as first issued when it has a number, live when it has none.

    `notes` are printed beside the reprint mark and are not part of the kept text (e.g. "已冲销" on a voucher
    whose payment was reversed after it was printed)."""
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    notes = [n for n in notes if n]
    reader = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    if not number:  # a live print (a draft, a form filled in as the case goes): the document as the record is
        with document_language():
            title, body = printed_part(render_to_string(template, context, request=request))
        with translation.override(reader):
            return render(request, "print/issued.html", {
                "snapshot": {"title": title, "body": body}, "reprint": None, "print_notes": notes})
    ct = ContentType.objects.get_for_model(type(obj))
    now = timezone.now()
    snapshot = IssuedDocument.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()
    reprint = snapshot is not None
    if snapshot is None:
        with document_language():  # the kept text is the Chinese document, whatever the first reader's language
            title, body = printed_part(render_to_string(template, context, request=request))
        try:
            with transaction.atomic():
                snapshot = IssuedDocument.objects.create(
                    content_type=ct, object_id=obj.pk, document=document, number=number[:60], title=title[:120],
                    body=body, issued_by=user, last_printed_at=now)
        except IntegrityError:  # printed at the same moment elsewhere: that print is the issued one
            snapshot = IssuedDocument.objects.get(content_type=ct, object_id=obj.pk, document=document)
            reprint = True
    if reprint:
        IssuedDocument.objects.filter(pk=snapshot.pk).update(reprints=F("reprints") + 1, last_printed_at=now)
    if user is not None:
        AccessLog.objects.create(user=user, action="reprint" if reprint else "print",
                                 object_type=f"{ct.app_label}.{ct.model}", object_id=str(obj.pk),
                                 detail=f"{snapshot.title} {snapshot.number}"[:200])
    with translation.override(reader):
        return render(request, "print/issued.html", {
            "snapshot": snapshot, "reprint": snapshot if reprint else None, "print_notes": notes})


def print_delivery(request, *, obj, document: str, title: str, number: str, served_to, capability: str,
                   context: dict | None = None):
    """The 送达回证 of `document` served from `obj` (DOMAIN.md §12), printed as issued.

    Its first print takes a number (援送字): the center serves its documents, so only a center user holding
    `capability` (the staff who serve that kind of document) may issue it; a handler, the party served, or a
    station may not (403). Once issued, its reprint is for whoever may see the document it goes with.
    `served_to` may be a callable, worked out only when the receipt is issued."""
    from .delivery import delivery_receipt
    from .models import CenterProfile

    ct = ContentType.objects.get_for_model(type(obj))
    receipt = DeliveryReceipt.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()
    if receipt is None:
        user = request.user
        if not (user.is_authenticated and user.is_center and user.can(capability)):
            raise PermissionDenied
        with document_language():
            to = served_to() if callable(served_to) else served_to
        receipt = delivery_receipt(obj=obj, document=document, title=title, number=number, served_to=to, by=user)
    return print_issued(request, "core/print/delivery.html", {
        **(context or {}), "receipt": receipt, "center": CenterProfile.get()},
        obj=receipt, document="delivery", number=receipt.number)
