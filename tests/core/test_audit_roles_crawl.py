"""Audit: every role against every URL of the project, crawled (DOMAIN.md §2 Organisation and roles, §13 Personal
data).

DOMAIN.md §2: "default deny. A record of another station answers 404 (not 403) so its existence does not leak.
Handlers see only their cases. Every list and every selector filters by what the user may see."
DOMAIN.md §13: "ID numbers and phone numbers are masked in lists and exports unless the user's role needs them;
[...] Files and reports are served only through views that check permission [...] Station staff learn nothing
about a person outside their scope, not even a name from a duplicate-ID check."

A crawl of every URL pattern (its <int:pk> filled with records of station A, station B, the center, the handler's
own case and another handler's) for each persona found the statuses, masks and lists in order; what it did not
find in order is below, each proved on the smallest data that shows it.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import PersonFactory, resident_id

pytestmark = pytest.mark.django_db

NAME = "欧阳春花"
PHONE = "13977770011"


@pytest.fixture
def elsewhere(station_b):
    """A person registered by station B: station A's staff may learn nothing about her."""
    return PersonFactory(name=NAME, id_number=resident_id(311, female=True), phone=PHONE, station=station_b,
                         sex="F")


def granted_at_station_a(org, person):
    """Station A's preliminary intake for `person` (the duplicate-ID path: the person is station B's), forwarded,
    reviewed and granted, and the case assigned to 张伟 (the `handler` persona): (application, case)."""
    from cases import services as case_services
    from intake import services
    from intake.models import Application

    staff, clerk, reviewer = (org["users"][n] for n in ("staff_a", "clerk", "reviewer"))
    app = Application(applicant=person, received_on=timezone.localdate(), category="civil", cause="labour_pay",
                      recipient_count=1, facts="欠薪三个月")
    app = services.application_receive(application=app, by=staff)
    app = services.application_forward(application=app, by=staff)
    services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk)
    app = services.application_submit_review(application=app, by=clerk)
    app, case = services.application_grant(application=app, by=reviewer, override_reason="经审查符合条件")
    case_services.case_assign(case=case, handler=org["handlers"]["张伟"], on=timezone.localdate(), by=clerk)
    case.refresh_from_db()
    return app, case


def test_it_does_not_hand_station_staff_the_judgment_of_a_recipient_registered_elsewhere(client_for, org,
                                                                                          station_a, elsewhere):
    """§13: station staff learn nothing about a person outside their scope. Station A's staff see their station's
    case of station B's person without her name, her groups or the printed documents ("the documents name the
    recipient", cases.document_views.case_print: 404); the judgment the handler uploaded names her as much, yet
    its link is on the case page and /cases/attachments/<pk>/ hands the file over."""
    from cases import services

    _app, case = granted_at_station_a(org, elsewhere)
    assert case.station == station_a and case.recipient == elsewhere
    judgment = services.attachment_add(
        case=case, by=org["users"]["handler"], kind="judgment",
        upload=SimpleUploadedFile(f"{NAME}劳动争议判决书.pdf", f"%PDF-1.4 {NAME}".encode(),
                                  content_type="application/pdf"))
    staff = client_for("staff_a")
    page = staff.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and page.context["recipient_hidden"]  # the premise: she is hidden here
    assert staff.get(f"/cases/{case.pk}/print/assignment/").status_code == 404  # and the documents naming her
    assert client_for("clerk").get(f"/cases/attachments/{judgment.pk}/").status_code == 200
    leaked = []
    if NAME in page.content.decode():
        leaked.append("case page names the file")
    if staff.get(f"/cases/attachments/{judgment.pk}/").status_code != 404:
        leaked.append("download")
    assert leaked == []


def test_it_logs_who_exported_the_applicants_full_records(client_for, org, station_a):
    """§13: "viewing a person's full record is logged (who, when)". Opening one person's page with the full numbers
    writes an AccessLog row (view_person), and so does downloading a long list exported in the background
    (ledger.views.export_download); the export of the applicant list with every person's full ID and phone
    number, address, household income and disability (applicants.sheets.person_rows), streamed at once for a
    list under EXPORT_BACKGROUND_ROWS, leaves no trace of who took it."""
    import io
    import zipfile

    from core.models import AccessLog

    people = [PersonFactory(name=f"导出人{i}", id_number=resident_id(320 + i), station=station_a) for i in range(3)]
    clerk = org["users"]["clerk"]
    response = client_for("clerk").get("/applicants/", {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = zipfile.ZipFile(io.BytesIO(body))
    sheet = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert all(p.id_number in sheet for p in people)  # the full numbers are in the file (the clerk may see them)
    assert AccessLog.objects.filter(user=clerk).exists(), "nothing records that the clerk took the full records"


ADMIN_REFUSED = ["/applicants/", "/applicants/{person}/", "/intake/consultations/", "/intake/applications/",
                 "/cases/", "/cases/{case}/", "/funding/subsidies/"]


def test_the_administrator_account_opens_no_personal_data_or_case_files(client_for, org, station_a):
    """§2: default deny; the administrator's role is "users, stations, configuration" (and the README's demo
    accounts: `admin` — 系统管理员 administrator — sees "users, stations, holiday calendar, configuration").
    §13: ID numbers and phone numbers are shown in full only where the role needs them. The demo `admin`
    account is a Django superuser, and accounts.User.can() gives a superuser every capability: it lists every
    applicant with the full ID and phone number, and opens every consultation, application, case and subsidy of
    the county. (Commit 5c9471a had made capabilities come from the roles alone — "the demo administrator should
    see the administrator's work, not the director's" — and 226325c put has_perm back.)"""
    from tests.factories import make_case

    person = PersonFactory(name="管理员不应见", id_number=resident_id(330), phone="13977770033", station=station_a)
    case = make_case(recipient=person, station=station_a)
    admin = client_for("admin")
    listing = admin.get("/applicants/", {"q": "管理员不应见"}).content.decode()
    opened = {url: admin.get(url.format(person=person.pk, case=case.pk)).status_code for url in ADMIN_REFUSED}
    assert person.id_number not in listing and "13977770033" not in listing, "full numbers listed to the admin"
    assert opened == {url: 403 for url in ADMIN_REFUSED}


def test_the_intake_clerk_does_not_record_or_edit_publicity(client_for, station_b):
    """§2: default deny. The intake clerk may do "consultations, applicants, applications, materials, notices,
    documents, assignment proposals" (the README's demo accounts: "consultations, applicants, applications,
    notices, assignment"); publicity is station staff's (for their own station, §2 and §8) and the director's.
    The clerk's role carries publicity_log (accounts.roles.ROLE_CAPABILITIES): the clerk lists, records and edits
    the events and media reports of every station of the county."""
    from tests.factories import EventFactory

    event = EventFactory(station=station_b)
    clerk = client_for("clerk")
    reached = {url: clerk.get(url).status_code for url in
               ("/publicity/", "/publicity/new/", f"/publicity/{event.pk}/", f"/publicity/{event.pk}/edit/",
                "/publicity/media/new/")}
    assert reached == {url: 403 for url in reached}
