"""Audit of DOMAIN.md §12 "Documents to print" (with the document lines of §5, §6, §7): the print views a clerk,
reviewer or finance user opens, on records built through the services. One failing test per confirmed bug."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from intake import services as intake_services
from tests.funding.conftest import ready_case, subsidy_defaults  # noqa: F401
from tests.intake import conftest as intake_fixtures

pytestmark = pytest.mark.django_db
person, make_app, tick_all = intake_fixtures.person, intake_fixtures.make_app, intake_fixtures.tick_all


def _body(html: str) -> str:
    """The printed text between the issued markers of print/base_a4.html (without the toolbar and reprint mark)."""
    return html.split("<!--issued-->", 1)[1].rsplit("<!--/issued-->", 1)[0]


def _sign(body: str) -> str:
    """The signature block (seal and date, bottom right) of a printed document."""
    return re.findall(r'class="sign">(.*?)</', body, re.S)[-1]


# --- §12: the issued text is the Chinese document, whoever prints it first ----------------------------------------


def test_it_keeps_a_decision_first_printed_from_an_english_browser_in_chinese(make_app, clerk, reviewer,
                                                                               client_for):
    """DOMAIN.md §12: "Print-ready A4 pages (browser print, Chinese fonts) filled from the record: …给予法律援助
    决定书…"; "A numbered document keeps the text it was issued with". The system offers English (LANGUAGES,
    LocaleMiddleware), so a clerk whose browser asks for English may be the one who prints the decision first.
    The kept (issued) text must still be the Chinese decision: the applicant's sex and the matter are printed
    with their Chinese labels, and every reprint shows that Chinese text. Today the first print renders the
    choice labels in the printing user's language ("Male", "Labour remuneration") and freezes them into the
    issued document for good."""
    app = make_app()
    tick_all(app, clerk)
    intake_services.application_submit_review(application=app, by=clerk)
    app, _case = intake_services.application_grant(application=app, by=reviewer)
    c = client_for("clerk")
    first = _body(c.get(f"/intake/applications/{app.pk}/print/decision/", HTTP_ACCEPT_LANGUAGE="en")
                  .content.decode())
    again = _body(c.get(f"/intake/applications/{app.pk}/print/decision/", HTTP_ACCEPT_LANGUAGE="zh-hans")
                  .content.decode())
    assert app.decision_number in first
    for kept in (first, again):
        assert "申请人：王小明，男" in kept
        assert "就劳动报酬事项" in kept
        assert "Male" not in kept and "Labour" not in kept


# --- §12: dates on documents: the day issued, not the day it happened to be printed --------------------------------


def test_it_dates_the_receipt_of_materials_on_the_day_it_was_issued_not_the_day_it_is_first_printed(
        person, clerk, client_for):
    """DOMAIN.md §5: "On receipt, print a receipt of materials (申请材料接收凭证)"; §12: document numbers follow
    the case-number pattern (year and a sequence restarting each year). The receipt is issued (numbered
    （2026）…援收字…) when the application is received on 31 Dec 2026; printed on 4 Jan 2027 it must still bear
    its issue date, 2026年12月31日. Today it is dated the day of the print (`today` in
    intake/print/receipt.html), so a 2026-numbered receipt says it was issued in 2027."""
    from intake.models import Application

    with freeze_time("2026-12-31 10:00:00+08:00"):
        app = intake_services.application_receive(application=Application(
            applicant=person, received_on=dt.date(2026, 12, 31), category="civil", cause="labour_pay"), by=clerk)
    assert app.number.startswith("（2026）") and "援收字" in app.number
    with freeze_time("2027-01-04 10:00:00+08:00"):
        body = _body(client_for("clerk").get(f"/intake/applications/{app.pk}/print/receipt/").content.decode())
    assert app.number in body
    assert "2026年12月31日" in _sign(body)
    assert "2027年1月4日" not in body


def test_it_dates_the_payment_voucher_on_the_day_the_batch_was_paid_not_the_day_it_is_first_printed(
        ready_case, finance, client_for):  # noqa: F811
    """DOMAIN.md §7: finance "prints the 领款凭单, marks them paid" — the voucher is issued by paying
    (funding.views.batches.batch_voucher: "issued … once the batch is paid"); §12: dates as issued. A batch
    paid on 31 Dec 2026 (its spending entry dated that day, in 2026's accounts) whose vouchers are printed on
    4 Jan 2027 must carry 2026年12月31日. Today the voucher is dated the day of the print (`today` in
    funding/voucher.html), so the voucher supporting a 2026 payment is dated 2027 and that date is then kept
    on every reprint."""
    from funding import services as fs

    with freeze_time("2026-12-31 10:00:00+08:00"):
        case = ready_case("pass", accepted_on=dt.date(2026, 12, 20))
        subsidy = fs.subsidy_compute(case=case, by=finance)
        batch = fs.batch_create(subsidies=[subsidy], by=finance)
        fs.batch_pay(batch=batch, paid_on=dt.date(2026, 12, 31), by=finance)
    with freeze_time("2027-01-04 10:00:00+08:00"):
        body = _body(client_for("finance").get(f"/funding/batches/{batch.pk}/voucher/").content.decode())
    assert batch.number in body
    assert "2026年12月31日" in _sign(body)
    assert "2027年1月4日" not in body


# --- §2/§12: the center serves its documents; a handler or station does not issue them ---------------------------


@pytest.fixture
def assigned_case(org, clerk, handler_profile):
    from cases.services import case_assign
    from tests.factories import make_case

    today = timezone.localdate()
    case = make_case(accepted_on=today - dt.timedelta(days=2), station=org["stations"]["station-a"])
    # the recipient registered by the case's station, so station A sees the case and its recipient
    type(case.recipient).objects.filter(pk=case.recipient_id).update(station=case.station)
    case_assign(case=case, handler=handler_profile, on=today - dt.timedelta(days=1), by=clerk)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("persona", ["handler", "staff_a"])
def test_it_does_not_let_a_handler_or_station_staff_issue_the_centers_delivery_receipt(assigned_case, persona,
                                                                                      client_for):
    """DOMAIN.md §2: documents are the intake clerk's ("consultations, applicants, applications, materials,
    notices, documents"); a handler may do "the cases assigned to them: progress, closing report, file upload;
    nothing else"; station staff do consultations, publicity and preliminary intake; "Rules: default deny".
    §12: "送达回证 accompanies every document the center serves". The 送达回证 of the 指派通知书 is the center's
    proof that it served the notice on the handler's firm; opening its print page issues a new 援送字 number.
    A handler (the very party served) or a station's staff must not be able to issue it: 403/404 and no number
    used. Today their GET answers 200 and creates the numbered receipt in their name."""
    from core.models import DeliveryReceipt, IssuedDocument

    response = client_for(persona).get(f"/cases/{assigned_case.pk}/print/delivery-assignment/")
    assert response.status_code in (403, 404)
    assert not DeliveryReceipt.objects.exists()
    assert not IssuedDocument.objects.filter(document="delivery").exists()



# --- §12: a numbered document keeps its text and can be reprinted -----------------------------------------------


def test_it_still_reprints_the_first_assignment_notice_after_a_change_of_handler(assigned_case, clerk, org,
                                                                                 client_for):
    """DOMAIN.md §12: "A numbered document keeps the text it was issued with; a reprint says so"; §6: "Change of
    handler on request (Art. 55) keeps the history". The first 指派通知书 (援指字第1号) was printed and served on
    the first handler's firm; after a change of handler (which issues 援指字第2号) the case file still needs the
    first notice, so the case page must still offer a print that shows it as issued, marked as a reprint.
    Today the print links of the case page only ever show the current assignment's notice: the issued text of
    援指字第1号 is kept in the database but can no longer be printed by anybody."""
    from cases import services as cs

    first = assigned_case.assignments.get()
    c = client_for("clerk")
    issued = _body(c.get(f"/cases/{assigned_case.pk}/print/assignment/").content.decode())
    assert first.number in issued and "张伟" in issued
    cs.case_change_handler(case=assigned_case, handler=org["handlers"]["李娜"], on=timezone.localdate(),
                           reason="回避", by=clerk)
    page = c.get(f"/cases/{assigned_case.pk}/").content.decode()
    reprints = []
    for link in sorted(set(re.findall(r'href="([^"]*/print/[^"]*)"', page))):
        html = c.get(link.replace("&amp;", "&")).content.decode()
        if "<!--issued-->" in html and _body(html) == issued:
            reprints.append(html)
    assert reprints, "no print on the case page shows the first assignment notice as issued"
    assert 'data-testid="reprint-mark"' in reprints[0]
