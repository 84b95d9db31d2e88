"""A duplicate-ID check names the existing person only to those who may see it (DOMAIN.md §13).

Station staff who type an ID number registered elsewhere learn only that it is registered, and go on
with that person: the application (and the consultation it came from) links to the existing record,
while the person's page, name and details stay out of their reach. The clerk gets name and link.
"""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from applicants.models import Person
from intake.models import Application, Consultation
from tests.factories import ConsultationFactory, PersonFactory, resident_id

pytestmark = pytest.mark.django_db

NAME = "胡家豪"
PHONE = "13977770001"


@pytest.fixture
def elsewhere(station_b):
    """A person registered by station B, with details station A must not learn."""
    return PersonFactory(name=NAME, id_number=resident_id(301), phone=PHONE, station=station_b,
                         address="新桥镇幸福村3组", declared_groups=["disabled"])


@pytest.fixture
def own(station_a):
    return PersonFactory(name="林小燕", id_number=resident_id(302), station=station_a)


def person_data(**kw):
    data = dict(name="胡某", id_type="resident", id_number=resident_id(301), phone="", ethnicity="汉族",
                household_size=1, household_income="", hukou="")
    data.update(kw)
    return data


def application_data(**kw):
    data = dict(received_on=date.today().isoformat(), category="civil", cause="labour_pay", recipient_count=1,
                facts="欠薪三个月")
    data.update(kw)
    return data


def assert_nothing_of(person, html: str):
    assert person.name not in html
    assert person.phone not in html
    assert person.address not in html
    assert f"/applicants/{person.pk}/" not in html


def test_station_staff_are_told_only_that_the_id_number_is_registered(client_for, elsewhere):
    r = client_for("staff_a").post("/applicants/new/", person_data())
    html = r.content.decode()
    assert r.status_code == 200 and "id_number" in r.context["form"].errors
    assert r.context["duplicate"] is None and r.context["duplicate_hidden"]
    assert 'data-testid="duplicate-id"' in html
    assert_nothing_of(elsewhere, html)
    assert Person.objects.count() == 1


def test_the_reference_station_staff_are_handed_reveals_nothing_of_the_person(client_for, elsewhere):
    """DOMAIN.md §13: station staff learn nothing about a person outside their scope. A signed reference
    carries its payload in clear base64; this one is encrypted, so not even the internal number shows."""
    import base64
    import zlib

    staff = client_for("staff_a")
    ref = parse_qs(urlsplit(staff.post("/applicants/new/", person_data()).context["use_url"]).query)["person_ref"][0]
    readable = []
    for part in ref.split(":")[0].split("."):
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        readable += [raw, zlib.decompress(raw) if raw[:1] == b"x" else b""]
    assert not any(f'"p":{elsewhere.pk}'.encode() in r or f'"p": {elsewhere.pk}'.encode() in r for r in readable)
    tampered = ref[:-6] + ("A" * 6 if not ref.endswith("A" * 6) else "B" * 6)
    assert staff.get("/intake/applications/new/", {"person_ref": tampered}).status_code == 404
    assert client_for("staff_b").get("/intake/applications/new/", {"person_ref": ref}).status_code == 404


def test_the_clerk_gets_the_name_and_the_link(client_for, elsewhere):
    r = client_for("clerk").post("/applicants/new/", person_data())
    html = r.content.decode()
    assert r.context["duplicate"] == elsewhere
    assert NAME in html and f"/applicants/{elsewhere.pk}/" in html
    assert Person.objects.count() == 1


def test_station_staff_go_on_to_an_application_for_the_registered_person(client_for, elsewhere):
    staff = client_for("staff_a")
    r = staff.post("/applicants/new/", person_data())
    use = r.context["use_url"]
    assert use.startswith("/intake/applications/new/?person_ref=") and str(elsewhere.pk) not in use.split("=")[0]
    form = staff.get(use)
    html = form.content.decode()
    assert form.status_code == 200 and form.context["person_hidden"]
    assert 'data-testid="person-hidden"' in html and 'name="person_ref"' in html
    assert_nothing_of(elsewhere, html)
    ref = parse_qs(urlsplit(use).query)["person_ref"][0]
    done = staff.post("/intake/applications/new/", application_data(person_ref=ref))
    assert done.status_code == 302
    app = Application.objects.get()
    assert app.applicant == elsewhere and app.status == "draft"
    # The application is the station's; the person still is not.
    detail = staff.get(f"/intake/applications/{app.pk}/").content.decode()
    assert_nothing_of(elsewhere, detail)
    assert_nothing_of(elsewhere, staff.get("/intake/applications/").content.decode())
    assert_nothing_of(elsewhere, staff.get("/").content.decode())
    assert staff.get(f"/applicants/{elsewhere.pk}/").status_code == 404
    # nor in the list's Excel export
    import io

    import openpyxl

    export = staff.get("/intake/applications/", {"export": "xlsx"})
    cells = [str(v) for row in openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
             .iter_rows(values_only=True) for v in row if v is not None]
    from applicants.idcard import mask, mask_phone

    assert "已登记人员" in cells and NAME not in cells
    assert not {elsewhere.id_number, mask(elsewhere.id_number), PHONE, mask_phone(PHONE)} & set(cells)
    clerk_cells = [str(v) for row in openpyxl.load_workbook(io.BytesIO(b"".join(client_for("clerk").get(
        "/intake/applications/", {"export": "xlsx"}).streaming_content))).active.iter_rows(values_only=True)
        for v in row if v is not None]
    assert NAME in clerk_cells  # the center's export names the applicant
    # Guessing the name or part of the number in the search finds nothing; the whole number finds it.
    assert not staff.get("/intake/applications/", {"q": NAME}).context["page_obj"].object_list
    assert not staff.get("/intake/applications/", {"q": elsewhere.id_number[-6:]}).context["page_obj"].object_list
    assert list(staff.get("/intake/applications/", {"q": elsewhere.id_number}).context["page_obj"]) == [app]
    # The center sees who it is.
    assert NAME in client_for("clerk").get(f"/intake/applications/{app.pk}/").content.decode()


def test_a_consultation_that_leads_to_an_application_links_to_the_registered_person(client_for, station_a,
                                                                                  elsewhere):
    c = ConsultationFactory(station=station_a, person_name="胡先生", person_phone="")
    staff = client_for("staff_a")
    to_person = staff.get(f"/intake/consultations/{c.pk}/apply/")["Location"]
    nxt = parse_qs(urlsplit(to_person).query)["next"][0]
    r = staff.post("/applicants/new/", person_data(next=nxt))
    use = r.context["use_url"]
    assert use.startswith(f"/intake/applications/new/?consultation={c.pk}&person_ref=")
    assert_nothing_of(elsewhere, r.content.decode())
    query = parse_qs(urlsplit(use).query)
    done = staff.post(use, application_data(person_ref=query["person_ref"][0], consultation=c.pk))
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.application.applicant == elsewhere and c.person == elsewhere
    html = staff.get(f"/intake/consultations/{c.pk}/").content.decode()
    assert_nothing_of(elsewhere, html)
    assert "胡先生" in html  # what the station wrote down itself


def test_the_clerk_goes_on_with_the_record_by_its_id(client_for, elsewhere):
    r = client_for("clerk").post("/applicants/new/", person_data(next="/intake/applications/new/"))
    assert r.context["use_url"] == f"/intake/applications/new/?person={elsewhere.pk}"


@pytest.mark.parametrize("ref", ["", "garbage", "eyJwIjoxfQ:forged:signature"])
def test_a_missing_or_forged_reference_opens_nothing(client_for, elsewhere, ref):
    r = client_for("staff_a").get("/intake/applications/new/", {"person_ref": ref} if ref else {"person": elsewhere.pk})
    assert r.status_code == 404
    assert not Application.objects.exists()


def test_a_reference_given_to_one_user_does_not_work_for_another(client_for, org, elsewhere):
    from accounts.models import User

    r = client_for("staff_a").post("/applicants/new/", person_data())
    use = r.context["use_url"]
    colleague = User.objects.create_user(username="staff_a2", password="x", full_name="同事",
                                         station=org["users"]["staff_a"].station)
    colleague.groups.set(org["users"]["staff_a"].groups.all())
    from django.test import Client

    other = Client()
    other.force_login(colleague)
    assert other.get(use).status_code == 404


def test_station_staff_cannot_print_documents_naming_a_person_they_may_not_see(client_for, elsewhere, clerk,
                                                                               station_a):
    from intake import services

    app = services.application_receive(application=Application(
        applicant=elsewhere, station=station_a, received_on=date.today(), category="civil", cause="labour_pay"),
        by=clerk)
    assert app.number
    staff = client_for("staff_a")
    assert staff.get(f"/intake/applications/{app.pk}/").status_code == 200
    assert staff.get(f"/intake/applications/{app.pk}/print/receipt/").status_code == 404
    assert client_for("clerk").get(f"/intake/applications/{app.pk}/print/receipt/").status_code == 200


def test_editing_an_own_person_to_an_id_of_another_person_is_refused_neutrally(client_for, own, elsewhere):
    r = client_for("staff_a").post(f"/applicants/{own.pk}/edit/", person_data(name=own.name,
                                                                              id_number=elsewhere.id_number))
    html = r.content.decode()
    assert r.status_code == 200 and "id_number" in r.context["form"].errors
    assert r.context["duplicate_hidden"] and r.context["duplicate"] is None
    assert_nothing_of(elsewhere, html)
    own.refresh_from_db()
    assert own.id_number == resident_id(302)


def test_the_clerk_editing_to_a_registered_id_number_sees_whose_it_is(client_for, own, elsewhere):
    r = client_for("clerk").post(f"/applicants/{own.pk}/edit/", person_data(name=own.name,
                                                                            id_number=elsewhere.id_number))
    html = r.content.decode()
    assert "id_number" in r.context["form"].errors
    assert NAME in html and f"/applicants/{elsewhere.pk}/" in html
    own.refresh_from_db()
    assert own.id_number == resident_id(302)


def test_station_staff_still_see_the_name_of_a_duplicate_of_their_own_station(client_for, own):
    r = client_for("staff_a").post("/applicants/new/", person_data(id_number=own.id_number))
    assert r.context["duplicate"] == own and own.name in r.content.decode()
    assert Consultation.objects.count() == 0
