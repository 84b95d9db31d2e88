"""Every URL of the cases app against every persona (COMMON permission table).

The case is station A's, assigned to 张伟 (the `handler` persona). Anonymous → login;
no capability → 403; a case outside what the user may see → 404.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from stations.models import Handler
from tests.permission_table import PERSONAS

# The administrator keeps users, stations and configuration (DOMAIN.md §2): the roster, no case.
SEE = {"admin": 403, "director": 200, "clerk": 200, "reviewer": 200, "finance": 403, "handler": 200,
       "staff_a": 200, "staff_b": 404, "outsider": 403}
ASSIGN = SEE | {"handler": 403, "staff_a": 403}
WORK = SEE | {"staff_a": 403}
REVIEW = ASSIGN | {"clerk": 403}
QUALITY = REVIEW
TERMINATE = REVIEW
ROSTER = {"admin": 200, "director": 200, "clerk": 200, "reviewer": 403, "finance": 403, "handler": 403,
          "staff_a": 403, "staff_b": 403, "outsider": 403}
LIST = SEE | {"staff_b": 200}

# url name → (argument kind, expected status by persona)
TABLE = {
    "cases:case_list": (None, LIST),
    "cases:case_detail": ("case", SEE),
    "cases:case_assign": ("case", ASSIGN),
    "cases:case_change_handler": ("case", ASSIGN),
    "cases:case_agreement": ("case", WORK),
    "cases:case_progress": ("case", WORK),
    "cases:case_attach": ("case", WORK),
    "cases:case_close": ("case", WORK),
    "cases:case_submit_file": ("case", WORK),
    "cases:case_archive_review": ("case", REVIEW),
    "cases:case_grade": ("case", QUALITY),
    "cases:case_terminate": ("case", TERMINATE),
    # an objection to a termination (Art. 49): recorded at the window, decided and corrected by those who terminate
    "cases:case_object": ("case", ASSIGN),
    "cases:case_objection_outcome": ("case", TERMINATE),
    "cases:case_resume": ("case", TERMINATE),
    # POST-only recordings on the case page (an empty post comes back to the case with a message)
    "cases:case_termination_notified": ("case_post", {k: (302 if v == 200 else v) for k, v in ASSIGN.items()}),
    "cases:case_letter_sent": ("case_post", {k: (302 if v == 200 else v) for k, v in ASSIGN.items()}),
    "cases:case_stage_letter_sent": ("case_post", {k: (302 if v == 200 else v) for k, v in ASSIGN.items()}),
    "cases:case_discussion": ("case", ASSIGN),
    # a change of stage and corrections of an open case: its own handler and center staff who assign cases
    "cases:case_change_stage": ("case", WORK),
    "cases:case_edit": ("case", WORK),
    "cases:case_hearing": ("case", QUALITY),
    "cases:case_inspection": ("case", QUALITY),
    "cases:case_opinion": ("case", QUALITY),
    "cases:case_followup": ("case", QUALITY),
    "cases:case_complaint": ("case", QUALITY),
    "cases:complaint_handle": ("complaint", QUALITY),
    "cases:discussion_list": (None, LIST),
    "cases:complaint_list": (None, LIST),
    "cases:case_print": ("print", SEE),
    "cases:attachment_download": ("attachment", SEE),
    "cases:handler_list": (None, ROSTER),
    "cases:handler_create": (None, ROSTER),
    "cases:handler_edit": ("handler", ROSTER),
    "cases:handler_deactivate": ("handler_post", {k: (302 if v == 200 else v) for k, v in ROSTER.items()}),
    "cases:provider_create": (None, ROSTER),
    "cases:provider_edit": ("provider", ROSTER),
    # assignment approval (issue 16.3), here with the center's setting off (the default): nobody proposes, and the
    # decisions are posts of those who approve (tests/cases/test_assignment_approval.py: the setting on)
    "cases:case_propose": ("case", ASSIGN | {"admin": 403, "director": 403, "clerk": 403, "reviewer": 403}),
    "cases:case_propose_change": ("case", ASSIGN | {"admin": 403, "director": 403, "clerk": 403, "reviewer": 403}),
    "cases:case_assignment_approve": ("case_post", {k: (302 if v == 200 else v) for k, v in REVIEW.items()}),
    "cases:case_assignment_return": ("case_post", {k: (302 if v == 200 else v) for k, v in REVIEW.items()}),
}


@pytest.fixture
def objects(assigned_case, handler, reviewer, org):
    # The recipient is registered by the case's station: a station sees (and prints) the recipient of its case
    # only when it registered that person (DOMAIN.md §13; tests/applicants/test_audit_eligibility.py).
    type(assigned_case.recipient).objects.filter(pk=assigned_case.recipient_id).update(station=assigned_case.station)
    att = services.attachment_add(case=assigned_case, by=handler,
                                  upload=SimpleUploadedFile("协议.pdf", b"%PDF-1.4", content_type="application/pdf"))
    complaint = services.complaint_record(case=assigned_case, by=reviewer, received_on=dt.date(2025, 11, 12),
                                          complainant="家属", content="联系不及时")
    spare = Handler.objects.create(name="备用律师")
    return {"case": assigned_case, "attachment": att, "complaint": complaint, "handler": spare,
            "provider": org["providers"]["明正律师事务所"]}


def _url(name, kind, objs):
    if kind is None:
        return reverse(name)
    if kind == "print":
        return reverse(name, args=[objs["case"].pk, "assignment"])
    if kind == "handler_post":
        return reverse(name, args=[objs["handler"].pk])
    if kind == "case_post":
        return reverse(name, args=[objs["case"].pk])
    return reverse(name, args=[objs[kind].pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_cases_url_answers_each_persona_as_the_table_says(persona, objects, client_for):
    client = client_for(persona)
    failures = []
    for name, (kind, expected) in TABLE.items():
        url = _url(name, kind, objects)
        resp = client.post(url) if kind in ("handler_post", "case_post") else client.get(url)
        want = 302 if persona == "anonymous" else expected[persona]
        if resp.status_code != want:
            failures.append(f"{name} as {persona}: {resp.status_code} != {want}")
        if persona == "anonymous" and resp.status_code == 302:
            assert "/accounts/login/" in resp["Location"]
    assert not failures, failures


def test_the_table_names_every_url_of_the_app():
    from cases.urls import urlpatterns

    assert {f"cases:{p.name}" for p in urlpatterns} == set(TABLE)


def test_a_handler_cannot_open_another_handlers_case(assigned_case, client_for, clerk, org):
    from tests.factories import make_case

    other = make_case(accepted_on=dt.date(2025, 11, 3))
    services.case_assign(case=other, handler=org["handlers"]["李娜"], on=dt.date(2025, 11, 4), by=clerk)
    c = client_for("handler")
    assert c.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("cases:case_progress", args=[other.pk])).status_code == 404
    listing = c.get(reverse("cases:case_list")).content.decode()
    assert assigned_case.number in listing and other.number not in listing


def test_station_staff_see_only_their_stations_cases_in_the_list(assigned_case, client_for):
    assert assigned_case.number in client_for("staff_a").get(reverse("cases:case_list")).content.decode()
    assert assigned_case.number not in client_for("staff_b").get(reverse("cases:case_list")).content.decode()


def test_downloading_an_attachment_is_logged(objects, client_for, org):
    from core.models import AccessLog

    resp = client_for("clerk").get(reverse("cases:attachment_download", args=[objects["attachment"].pk]))
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == b"%PDF-1.4"
    log = AccessLog.objects.get(object_type="cases.Attachment")
    assert log.user == org["users"]["clerk"] and log.action == "download"


def test_the_quality_lists_show_only_records_on_cases_the_user_may_see(objects, client_for, org, clerk, reviewer):
    from tests.factories import make_case

    other = make_case(accepted_on=dt.date(2025, 11, 3), station=None)
    services.case_assign(case=other, handler=org["handlers"]["李娜"], on=dt.date(2025, 11, 4), by=clerk)
    services.complaint_record(case=other, by=reviewer, received_on=dt.date(2025, 11, 13), complainant="邻居",
                              content="态度冷淡")
    url = reverse("cases:complaint_list")
    for persona, expected in [("director", {"家属", "邻居"}), ("handler", {"家属"}), ("staff_a", {"家属"}),
                              ("staff_b", set())]:
        page = client_for(persona).get(url).context["page_obj"]
        assert {c.complainant for c in page} == expected, persona


# The 送达回证 of the assignment notice: its first print takes a 援送字 number, so only the center's staff who serve
# documents (those who assign cases) issue it; the handler (the party served) and the case's station do not
# (DOMAIN.md §2, §12). The assignment notice itself (numbered by the assignment) stays printable as SEE says.
DELIVER = ASSIGN


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_serve_the_centers_documents_issue_a_delivery_receipt(persona, objects, client_for):
    from core.models import DeliveryReceipt

    url = reverse("cases:case_print", args=[objects["case"].pk, "delivery-assignment"])
    resp = client_for(persona).get(url)
    assert resp.status_code == (302 if persona == "anonymous" else DELIVER[persona])
    assert DeliveryReceipt.objects.exists() == (resp.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_issued_delivery_receipt_is_reprinted_for_those_who_see_the_case(persona, objects, client_for):
    url = reverse("cases:case_print", args=[objects["case"].pk, "delivery-assignment"])
    assert client_for("clerk").get(url).status_code == 200
    resp = client_for(persona).get(url)
    assert resp.status_code == (302 if persona == "anonymous" else SEE[persona])
    if resp.status_code == 200:
        assert 'data-testid="reprint-mark"' in resp.content.decode()


@pytest.mark.parametrize("persona", ["handler", "staff_a"])
def test_the_case_page_offers_no_delivery_receipt_to_those_who_may_not_issue_it(persona, objects, client_for):
    page = client_for(persona).get(reverse("cases:case_detail", args=[objects["case"].pk])).content.decode()
    assert "/print/assignment/" in page and "/print/delivery-" not in page
