"""Documents as issued (DOMAIN.md §12): a numbered document keeps the text it was first printed with.

The first print of a numbered document renders its template and keeps the printed part (between the
`<!--issued-->` markers of `print/base_a4.html`) in an `IssuedDocument`. Every print, the first one
included, shows that kept text, so what a later print shows is exactly what the applicant holds even when
the record has been edited since; a print after the first says it is a reprint, with the day it was issued.
Every print is logged (who, when), like the opening of a person's record.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from .models import AccessLog, IssuedDocument

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


def issued_document(*, obj, document: str) -> IssuedDocument | None:
    ct = ContentType.objects.get_for_model(type(obj))
    return IssuedDocument.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()


def print_issued(request, template: str, context: dict, *, obj, document: str, number: str, notes=()):
    """The print page of `document` of `obj`: as first issued when it has a number, live when it has none.

    `notes` are printed beside the reprint mark and are not part of the kept text (e.g. "已冲销" on a voucher
    whose payment was reversed after it was printed)."""
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    notes = [n for n in notes if n]
    if not number:
        return render(request, template, {**context, "print_notes": notes})
    ct = ContentType.objects.get_for_model(type(obj))
    now = timezone.now()
    snapshot = IssuedDocument.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()
    reprint = snapshot is not None
    if snapshot is None:
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
    return render(request, "print/issued.html", {
        "snapshot": snapshot, "reprint": snapshot if reprint else None, "print_notes": notes})
