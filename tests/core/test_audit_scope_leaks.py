"""Audit: what a user learns of records and persons outside their scope (DOMAIN.md §2 and §13).

DOMAIN.md §2: "default deny. A record of another station answers 404 (not 403) so its existence does not leak.
Handlers see only their cases. Every list and every selector filters by what the user may see."
DOMAIN.md §13: "ID numbers and phone numbers are masked in lists and exports unless the user's role needs them;
viewing a person's full record is logged (who, when). [...] Station staff learn nothing about a person outside
their scope, not even a name from a duplicate-ID check."

The data is made through the real services: station A's staff take a preliminary intake for a person registered
by station B (the duplicate-ID path of applicants.views), forward it, the center reviews and grants it, and the
case opens at station A with station B's person as its recipient.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import ConsultationFactory, MatterFactory, PersonFactory, make_case, resident_id

pytestmark = pytest.mark.django_db

NAME = "胡家豪"
PHONE = "13977770001"


@pytest.fixture
def elsewhere(station_b):
    """A person registered by station B, with details station A must not learn."""
    return PersonFactory(name=NAME, id_number=resident_id(301), phone=PHONE, station=station_b,
                         address="新桥镇幸福村3组", declared_groups=["disabled"])


def granted_at_station_a(org, person):
    """Station A's preliminary intake for `person`, forwarded, reviewed and granted: (application, case)."""
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
    return app, case


def _year() -> str:
    return str(timezone.localdate().year)


def test_it_names_no_person_registered_elsewhere_in_the_figure_lists_station_staff_open(client_for, org, station_a,
                                                                                         elsewhere):
    """§13: station staff learn nothing about a person outside their scope. The application and the case pages
    (and their lists and exports) show station A's staff only "registered person" for station B's applicant;
    the lists behind the dashboard's figures (reports/drilldown.py), which their station panel links to, write
    the name in the 申请人 / 受援人 column."""
    app, case = granted_at_station_a(org, elsewhere)
    assert case.station == station_a and case.recipient == elsewhere
    staff = client_for("staff_a")
    # the product's own pages keep the person out of sight (the premise)
    assert NAME not in staff.get(f"/cases/{case.pk}/").content.decode()
    assert NAME not in staff.get(f"/intake/applications/{app.pk}/").content.decode()
    leaked = []
    for code in ("cases.accepted", "applications.received", "applications.granted"):
        response = staff.get(f"/reports/figures/{code}/", {"period": _year()})
        assert response.status_code == 200
        assert response.context["sections"][0].total == 1, code  # the record is counted and listed
        if NAME in response.content.decode():
            leaked.append(code)
    assert leaked == [], f"figure lists naming station B's person to station A's staff: {leaked}"


def test_it_does_not_list_matters_and_their_persons_to_station_staff_in_a_figure_list(client_for, station_a):
    """§2: default deny; every list filters by what the user may see. Station staff have no access to duty-lawyer
    help and drafting matters (the matter list answers 403: they are the center's), yet the list behind the
    figure 值班律师法律帮助 shows them each matter of their station with the person helped."""
    MatterFactory(station=station_a, person_name="欧阳震华", date=timezone.localdate())
    staff = client_for("staff_a")
    assert staff.get("/intake/matters/").status_code == 403
    response = staff.get("/reports/figures/matters.duty_lawyer/", {"period": _year()})
    assert response.status_code == 200
    assert "欧阳震华" not in response.content.decode()


def test_it_does_not_show_complainants_names_to_finance_in_the_complaints_figure_list(client_for, station_a):
    """§2 / §13: finance has the dashboard but does not work with people (the product hides recipients' and
    applicants' names from it in every figure list, reports/drilldown.py `personal`). It may not open cases or
    the complaint list (403), yet the list behind the figure 投诉 names every complainant."""
    from cases.models import Complaint

    case = make_case(station=station_a)
    Complaint.objects.create(case=case, received_on=timezone.localdate(), complainant="司马光明",
                             content="承办律师态度差")
    finance = client_for("finance")
    assert finance.get("/cases/complaints/").status_code == 403
    response = finance.get("/reports/figures/complaints.total/", {"period": _year()})
    assert response.status_code == 200 and response.context["sections"][0].total == 1
    assert "司马光明" not in response.content.decode()


def test_it_does_not_reveal_a_hidden_recipients_groups_through_the_case_list_filter(client_for, org, station_a,
                                                                                     elsewhere):
    """§13: station staff learn nothing about a person outside their scope. The case page hides the groups of a
    recipient registered elsewhere (cases.views.case_detail: "not named, nor its groups"), but the case list's
    "beneficiary group" filter picks that case out: ?group=disabled tells station A that B's person is disabled."""
    _app, hidden = granted_at_station_a(org, elsewhere)
    assert "disabled" in hidden.recipient_groups
    staff = client_for("staff_a")
    page = staff.get(f"/cases/{hidden.pk}/")
    assert page.status_code == 200 and page.context["recipient_hidden"] and page.context["groups"] == []
    found = [c.pk for c in staff.get("/cases/", {"group": "disabled"}).context["page_obj"]]
    assert hidden.pk not in found


def test_it_does_not_name_another_station_to_station_staff_through_the_case_lists_station_filter(
        client_for, station_a, station_b):
    """§2: a record of another station answers 404 so its existence does not leak; every selector filters by
    what the user may see. Station B's page answers 404 to station A's staff and the station type-ahead leaves
    it out, but the case lists' station filter reads any key it is given and writes the station's name into
    the select: /cases/?station=<pk> names every station of the county, one key after another."""
    staff = client_for("staff_a")
    assert staff.get(f"/stations/{station_b.pk}/").status_code == 404
    leaked = []
    for url in ("/cases/", "/cases/complaints/", "/cases/discussions/"):
        response = staff.get(url, {"station": station_b.pk})
        if station_b.name in response.content.decode():
            leaked.append(url)
    assert leaked == []


def test_it_logs_viewing_a_persons_full_record_in_the_admin(client_for, elsewhere):
    """§13: viewing a person's full record is logged (who, when). The person's page logs it (AccessLog
    view_person); the admin's change page of the same person shows the full ID and phone numbers and logs
    nothing."""
    from core.models import AccessLog

    response = client_for("superuser").get(f"/admin/applicants/person/{elsewhere.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert elsewhere.id_number in html and PHONE in html  # the full record
    assert AccessLog.objects.filter(object_id=str(elsewhere.pk), action="view_person").exists()


def test_it_masks_the_phone_number_in_the_consultation_edit_form_for_station_staff(client_for, station_a):
    """§13: phone numbers are masked unless the user's role needs them (station staff have no
    applicant_view_full). The consultation's list, page and export mask the person's phone for station staff,
    and the person's own edit form keeps it masked; the consultation's edit form puts it in full in its input."""
    c = ConsultationFactory(station=station_a, person_name="林小燕", person_phone="13977770002")
    staff = client_for("staff_a")
    assert "13977770002" not in staff.get(f"/intake/consultations/{c.pk}/").content.decode()
    form = staff.get(f"/intake/consultations/{c.pk}/edit/")
    assert form.status_code == 200
    assert "13977770002" not in form.content.decode()
