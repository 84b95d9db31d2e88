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


def test_a_criminal_termination_has_a_receipt_for_the_organ_it_is_copied_to(org, clerk, reviewer, client_for,
                                                                            frozen):
    """DOMAIN.md §6: criminal terminations notify the organ; §12: a 送达回证 accompanies every document the center
    serves. The decision goes to the recipient and, copied, to the notifying organ: one receipt each."""
    import datetime as dt

    from cases import services
    from tests.factories import CriminalNoticeFactory, make_case

    notice = CriminalNoticeFactory(ground="other", organ="court", organ_name="示范县人民法院",
                                   received_on=dt.date(2025, 11, 3))
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=dt.date(2025, 11, 3),
                     recipient=notice.person)
    services.case_assign(case=case, handler=org["handlers"]["王强"], on=dt.date(2025, 11, 4), by=clerk)
    services.case_terminate(case=case, reason="fraud", on=dt.date(2025, 11, 12), by=reviewer)
    case.refresh_from_db()
    c = client_for("director")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/print/delivery-termination-organ/" in page
    to_recipient = c.get(f"/cases/{case.pk}/print/delivery-termination/").content.decode()
    to_organ = c.get(f"/cases/{case.pk}/print/delivery-termination-organ/").content.decode()
    receipts = {r.document: r for r in DeliveryReceipt.objects.all()}
    assert receipts["termination"].served_to == case.recipient.name
    assert receipts["termination-organ"].served_to == "示范县人民法院" and "示范县人民法院" in to_organ
    assert receipts["termination-organ"].document_number == case.termination_number
    assert receipts["termination"].number != receipts["termination-organ"].number
    assert receipts["termination"].number in to_recipient


def test_a_civil_termination_has_no_receipt_for_an_organ(assigned_case, reviewer, client_for):
    from cases import services

    services.case_terminate(case=assigned_case, reason="fraud", on=assigned_case.assigned_on, by=reviewer)
    c = client_for("director")
    assert c.get(f"/cases/{assigned_case.pk}/print/delivery-termination/").status_code == 200
    assert c.get(f"/cases/{assigned_case.pk}/print/delivery-termination-organ/").status_code == 404
