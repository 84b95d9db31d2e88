"""Documents as issued (DOMAIN.md §12): a numbered document keeps the text it was first printed with; a reprint
says it is a reprint; every print is logged."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from applicants.services import person_save
from core.models import AccessLog, IssuedDocument
from intake import services
from tests.intake.conftest import tick_all

pytestmark = pytest.mark.django_db


def _granted(make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    return app


def test_a_reprinted_decision_keeps_the_issued_text_and_says_it_is_a_reprint(client_for, make_app, clerk,
                                                                             reviewer):
    with freeze_time("2026-12-01 10:00:00+08:00"):
        app = _granted(make_app, clerk, reviewer)
        first = client_for("clerk").get(f"/intake/applications/{app.pk}/print/decision/").content.decode()
    assert "王小明" in first and app.decision_number in first
    assert 'data-testid="reprint-mark"' not in first

    person = app.applicant
    person.name = "王晓明"  # the name is corrected on the person after the decision was handed over
    person_save(person=person, by=clerk)

    with freeze_time("2026-12-03 09:00:00+08:00"):
        again = client_for("reviewer").get(f"/intake/applications/{app.pk}/print/decision/").content.decode()
    assert "王小明" in again and "王晓明" not in again  # what the applicant holds, word for word
    assert 'data-testid="reprint-mark"' in again and "重印件" in again and "原件印发于2026年12月1日" in again
    snapshot = IssuedDocument.objects.get(document="grant", object_id=app.pk)
    assert snapshot.number == app.decision_number and snapshot.reprints == 1
    assert snapshot.title.startswith("给予法律援助决定书")
    logged = list(AccessLog.objects.filter(object_type="intake.application", object_id=str(app.pk))
                  .order_by("at").values_list("action", "user__username"))
    assert logged == [("print", clerk.username), ("reprint", reviewer.username)]


def test_each_numbered_document_is_kept_on_its_own(client_for, make_app, clerk, reviewer):
    app = make_app()
    c = client_for("clerk")
    notice = services.supplement_notice_issue(application=app, by=clerk)
    assert c.get(f"/intake/applications/{app.pk}/print/receipt/").status_code == 200
    assert c.get(f"/intake/supplement-notices/{notice.pk}/print/").status_code == 200
    assert c.get(f"/intake/supplement-notices/{notice.pk}/print/?delivery=1").status_code == 200
    kept = dict(IssuedDocument.objects.values_list("document", "number"))
    assert kept["receipt"] == app.number and kept["supplement"] == notice.number
    assert kept["delivery"].endswith("第1号") and "援送字" in kept["delivery"]
    # the delivery receipt's reprint is the same receipt, marked
    html = c.get(f"/intake/supplement-notices/{notice.pk}/print/?delivery=1").content.decode()
    assert kept["delivery"] in html and "重印件" in html
    assert IssuedDocument.objects.count() == 3


def test_a_refusal_is_kept_with_its_reasons(client_for, make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app = services.application_refuse(application=app, by=reviewer, reasons="申请人家庭人均收入高于本地困难标准。")
    html = client_for("clerk").get(f"/intake/applications/{app.pk}/print/decision/").content.decode()
    body = IssuedDocument.objects.get(document="refusal").body
    assert "申请人家庭人均收入高于本地困难标准。" in body and body in html
    assert "<!--issued-->" not in body and "window.print" not in body  # the toolbar is not part of the document
