"""DOMAIN.md §12: a numbered document keeps the text it was issued with, in Chinese whoever prints it, and stays
printable: after a change of handler (§6, Art. 55) the earlier assignment's 指派通知书, 公函 and their 送达回证."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import DeliveryReceipt

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    return html.split("<!--issued-->", 1)[1].rsplit("<!--/issued-->", 1)[0]


@pytest.fixture
def notice_case(org, clerk, frozen):
    from cases import services
    from tests.factories import CriminalNoticeFactory, make_case

    notice = CriminalNoticeFactory(ground="other", organ="court", organ_name="", received_on=dt.date(2025, 11, 3))
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=dt.date(2025, 11, 3),
                     recipient=notice.person)
    services.case_assign(case=case, handler=org["handlers"]["王强"], on=dt.date(2025, 11, 4), by=clerk)
    case.refresh_from_db()
    return case


def test_a_letter_first_printed_from_an_english_browser_names_the_organ_in_chinese(notice_case, client_for):
    c = client_for("clerk")
    first = c.get(f"/cases/{notice_case.pk}/print/letter/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>法院：</p>" in _body(first) and "Court" not in _body(first)
    assert ">Print<" in first  # the page around the document stays in the reader's language
    c.get(f"/cases/{notice_case.pk}/print/delivery-letter/", HTTP_ACCEPT_LANGUAGE="en")
    assert DeliveryReceipt.objects.get().served_to == "法院"


def test_the_earlier_assignments_documents_stay_printable_after_a_change_of_handler(notice_case, org, clerk,
                                                                                   client_for):
    from cases import services

    first = notice_case.assignments.get()
    c = client_for("clerk")
    issued = _body(c.get(f"/cases/{notice_case.pk}/print/assignment/").content.decode())
    services.case_change_handler(case=notice_case, handler=org["handlers"]["张伟"], on=dt.date(2025, 11, 6),
                                 reason="回避", by=clerk)
    second = notice_case.assignments.order_by("pk").last()
    page = c.get(f"/cases/{notice_case.pk}/").content.decode()
    for code in ("assignment", "letter", "delivery-assignment", "delivery-letter"):
        assert f"/print/{code}-a{first.pk}/" in page and f"/print/{code}-a{second.pk}/" not in page
    again = c.get(f"/cases/{notice_case.pk}/print/assignment-a{first.pk}/").content.decode()
    assert _body(again) == issued and 'data-testid="reprint-mark"' in again
    current = c.get(f"/cases/{notice_case.pk}/print/assignment/").content.decode()
    assert second.number in _body(current) and first.number not in _body(current)
    # The earlier letter, never printed before, is issued now as it was: the first handler's, with its number.
    letter = c.get(f"/cases/{notice_case.pk}/print/letter-a{first.pk}/").content.decode()
    assert first.letter_number in _body(letter) and "王强" in _body(letter) and "reprint-mark" not in letter
    receipt = c.get(f"/cases/{notice_case.pk}/print/delivery-letter-a{first.pk}/").content.decode()
    assert first.letter_number in _body(receipt)
    # An assignment of another case, or the current one under an earlier one's code, is no document of this case.
    assert c.get(f"/cases/{notice_case.pk}/print/assignment-a{second.pk}/").status_code == 404
    assert c.get(f"/cases/{notice_case.pk}/print/assignment-a999999/").status_code == 404


def test_a_handler_may_not_issue_an_earlier_assignments_delivery_receipt(assigned_case, org, clerk, client_for):
    from cases import services

    first = assigned_case.assignments.get()
    services.case_change_handler(case=assigned_case, handler=org["handlers"]["李娜"], on=dt.date(2025, 11, 6),
                                 reason="回避", by=clerk)
    url = f"/cases/{assigned_case.pk}/print/delivery-assignment-a{first.pk}/"
    assert client_for("handler").get(url).status_code in (403, 404)
    assert not DeliveryReceipt.objects.exists()
    assert client_for("clerk").get(url).status_code == 200
    assert DeliveryReceipt.objects.get().served_to
