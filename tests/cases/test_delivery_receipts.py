"""送达回证 (DOMAIN.md §12): every document the center serves prints with a numbered delivery receipt,
the same one on every reprint."""

from __future__ import annotations

import pytest

from core.models import DeliveryReceipt

pytestmark = pytest.mark.django_db


def test_the_assignment_notice_has_a_numbered_delivery_receipt_kept_on_reprint(assigned_case, client_for):
    c = client_for("clerk")
    page = c.get(f"/cases/{assigned_case.pk}/").content.decode()
    assert f"/cases/{assigned_case.pk}/print/delivery-assignment/" in page
    html = c.get(f"/cases/{assigned_case.pk}/print/delivery-assignment/").content.decode()
    receipt = DeliveryReceipt.objects.get()
    assert "送达回证" in html and receipt.number in html and "援送字" in receipt.number
    assert "指派通知书" in html and assigned_case.assignments.get().number in html
    assert receipt.served_to and receipt.served_to in html  # the firm (or the handler) it is served to
    again = c.get(f"/cases/{assigned_case.pk}/print/delivery-assignment/").content.decode()
    assert DeliveryReceipt.objects.count() == 1 and receipt.number in again
    # A document the case does not have yet has no receipt either.
    assert c.get(f"/cases/{assigned_case.pk}/print/delivery-termination/").status_code == 404
