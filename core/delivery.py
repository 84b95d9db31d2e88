"""送达回证: the receipt that goes with every document the center serves (DOMAIN.md §12)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DeliveryReceipt
from .numbering import issue_document_number


@transaction.atomic
def delivery_receipt(*, obj, document: str, title: str, number: str, served_to: str, by) -> DeliveryReceipt:
    """The receipt of `document` served from `obj`: numbered the first time, the same one ever after."""
    ct = ContentType.objects.get_for_model(type(obj))
    found = DeliveryReceipt.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()
    if found is not None:
        return found
    try:
        # A savepoint: the first print of the same receipt at the same moment elsewhere wins, and this one gives
        # its number back (core.numbering) and answers with that receipt, as core.issued.print_issued does.
        with transaction.atomic():
            receipt = DeliveryReceipt(
                number=issue_document_number(kind="delivery", year=timezone.localdate().year), content_type=ct,
                object_id=obj.pk, document=document, document_title=title, document_number=number or "",
                served_to=served_to or "", created_by=by if getattr(by, "is_authenticated", False) else None)
            receipt._history_user = receipt.created_by
            receipt.save()
    except IntegrityError:
        found = DeliveryReceipt.objects.filter(content_type=ct, object_id=obj.pk, document=document).first()
        if found is None:
            raise
        return found
    return receipt
