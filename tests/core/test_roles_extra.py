"""Roles and personal data, beyond the crawl (tests/core/test_audit_roles_crawl.py): a report whose workbook is
gone is refused in words, not with a 500; a consultation carried over to an application keeps the person's
name and phone out of the address (DOMAIN.md §13)."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from freezegun import freeze_time

from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


@freeze_time("2026-01-10 10:00:00+08:00")
def test_it_refuses_to_submit_a_report_whose_workbook_is_gone_with_a_message(org, director, client_for):
    from reports.models import ReportRun
    from reports.services import report_run_execute, report_run_request

    run = report_run_request(period="2025H2", station=None, want_docx=True, by=director)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.xlsx_sha256, run.error
    os.remove(run.xlsx.path)  # lost on disk (a restored backup without the files, a disk cleaned by hand)
    director_client = client_for("director")
    page = director_client.get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="submit-report"' not in page  # not offered: it would fail
    response = director_client.post(f"/reports/runs/{run.pk}/submit/", follow=True)
    assert response.status_code == 200
    said = " ".join(str(m) for m in response.context["messages"])
    assert "workbook" in said or "工作簿" in said or "Excel" in said, said
    run.refresh_from_db()
    assert run.submitted_at is None and not run.submitted_figures.exists()
    assert ReportRun.objects.filter(submitted_at__isnull=False).count() == 0


def test_the_service_itself_refuses_a_missing_workbook(org, director):
    from django.core.exceptions import ValidationError

    from reports.services import report_run_execute, report_run_request
    from reports.submission import report_run_submit

    with freeze_time("2026-01-10 10:00:00+08:00"):
        run = report_run_request(period="2025H2", station=None, want_docx=False, by=director)
        report_run_execute(run_id=run.pk)
        run.refresh_from_db()
        os.remove(run.xlsx.path)
        with pytest.raises(ValidationError):
            report_run_submit(run=run, by=director)


NAME, PHONE = "钱小满", "13977770066"


@pytest.mark.parametrize("persona,station", [("clerk", None), ("staff_a", "station-a")])
def test_a_consultation_carried_to_an_application_keeps_the_person_out_of_the_address(client_for, org, persona,
                                                                                       station):
    c = ConsultationFactory(station=org["stations"].get(station), person_name=NAME, person_phone=PHONE,
                            person_sex="F")
    client = client_for(persona)
    location = client.get(f"/intake/consultations/{c.pk}/apply/")["Location"]
    assert PHONE not in unquote(location) and NAME not in unquote(location)
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"next", "consultation"} and query["consultation"] == [str(c.pk)]
    page = client.get(location)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert (initial.get("name"), initial.get("phone"), initial.get("sex")) == (NAME, PHONE, "F")
    assert page.context["q"] == NAME  # the search before registering runs as before


def test_a_consultation_the_user_may_not_see_carries_nothing(client_for, org):
    c = ConsultationFactory(station=org["stations"]["station-b"], person_name=NAME, person_phone=PHONE)
    page = client_for("staff_a").get("/applicants/new/", {"consultation": c.pk, "next": "/intake/applications/new/"})
    assert page.status_code == 404
    assert NAME not in page.content.decode() and PHONE not in page.content.decode()
    assert client_for("staff_a").get("/applicants/new/", {"consultation": "abc"}).status_code == 404


CONFIGURATION = ["/admin/", "/admin/stations/station/", "/admin/stations/contactpoint/", "/admin/auth/group/",
                 "/admin/core/centerprofile/", "/admin/core/deadlinerule/", "/admin/core/calendaryear/",
                 "/admin/core/vocabularyterm/", "/admin/applicants/eligibilitypolicy/", "/admin/cases/gradingscale/",
                 "/admin/funding/subsidystandard/", "/admin/accounts/user/"]
RECORDS = ["/admin/applicants/person/", "/admin/applicants/vulnerableentry/", "/admin/intake/consultation/",
           "/admin/intake/application/", "/admin/funding/budget/", "/admin/funding/subsidy/",
           "/admin/publicity/event/", "/admin/core/accesslog/", "/admin/reports/reportrun/"]


def test_the_administrator_keeps_the_configuration_in_the_admin_and_opens_no_records_there(client_for, org):
    """DOMAIN.md §2: administrator = users, stations, configuration; the demo `admin` is that role with the Django
    admin's access, not a superuser (stations.demo_base, accounts migration 0012)."""
    admin = org["users"]["admin"]
    assert admin.is_staff and not admin.is_superuser
    client = client_for("admin")
    assert {url: client.get(url).status_code for url in CONFIGURATION} == {url: 200 for url in CONFIGURATION}
    assert {url: client.get(url).status_code for url in RECORDS} == {url: 403 for url in RECORDS}
    # Accounts are kept on 管理 › 用户, whose rules the admin's user form would skip: only viewed there.
    assert client.get(f"/admin/accounts/user/{admin.pk}/change/").status_code == 200
    assert client.post(f"/admin/accounts/user/{admin.pk}/change/",
                       {"username": "admin", "is_superuser": "on"}).status_code == 403
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_a_superuser_made_for_it_keeps_every_capability(superuser):
    """User.can keeps Django's convention: a real superuser (createsuperuser, for IT) holds every capability."""
    assert superuser.can("applicant_view_full") and superuser.can("case_view_all")


def test_the_seed_gives_a_role_group_made_afresh_its_admin_permissions(org):
    """A test that flushes the tables loses the groups; roles_sync makes them again with their capabilities, and the
    seed gives the administrator its Django admin permissions again (as migration 0012 did)."""
    from django.contrib.auth.models import Group

    from stations.demo_base import seed_organisation

    Group.objects.filter(name="administrator").delete()
    users = seed_organisation()["users"]
    admin = type(users["admin"]).objects.get(pk=users["admin"].pk)
    assert admin.has_perm("stations.change_station") and admin.has_perm("core.change_centerprofile")
    assert not admin.has_perm("applicants.view_person") and not admin.has_perm("accounts.change_user")


def test_the_intake_clerk_is_offered_no_publicity_in_the_navigation(client_for):
    html = client_for("clerk").get("/").content.decode()
    assert "/publicity/" not in html
    assert "/publicity/" in client_for("staff_a").get("/").content.decode()
