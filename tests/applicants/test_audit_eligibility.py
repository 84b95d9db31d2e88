"""Audit of DOMAIN.md §4 (applicants and eligibility) and the parts of §13 that touch persons.

Each test names a rule of the contract that the product breaks today.
"""

from datetime import date
from decimal import Decimal

import pytest

from applicants.eligibility import NOT_ELIGIBLE, Facts, PolicySpec, evaluate
from applicants.models import Person, VulnerableEntry
from intake.models import Application
from tests.factories import PersonFactory, resident_id

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def person_data(**kw):
    data = dict(name="王建国", id_type="resident", id_number="", phone="", ethnicity="汉族", household_size=1,
                household_income="", hukou="")
    data.update(kw)
    return data


def test_it_hides_the_stored_eligibility_reasons_of_a_person_outside_the_station_scope(client_for, clerk,
                                                                                        station_a, station_b):
    """DOMAIN.md §13: "Station staff learn nothing about a person outside their scope".

    Station A took an application for a person registered by station B (the duplicate-ID path). Once the
    center has run the check, the application page shows station A the stored reasons, which say that the
    person is on the vulnerable-persons registry as 低保 and which unit listed them. The live preview is
    already hidden for such a person; the stored reasons are not."""
    from intake import services

    elsewhere = PersonFactory(name="胡家豪", id_number=resident_id(301), station=station_b, hukou="rural")
    VulnerableEntry.objects.create(name="胡家豪", id_number=elsewhere.id_number, category="dibao",
                                   source="县民政局")
    app = services.application_receive(application=Application(
        applicant=elsewhere, station=station_a, received_on=date.today(), category="civil", cause="labour_pay"),
        by=clerk)
    app.materials.update(received=True)
    app = services.application_submit_review(application=app, by=clerk)
    assert any("困难群体信息库" in r for r in app.eligibility_reasons)  # the center's record holds them

    r = client_for("staff_a")
    page = r.get(f"/intake/applications/{app.pk}/")
    assert page.status_code == 200 and page.context["person_hidden"]
    html = page.content.decode()
    assert "困难群体信息库" not in html
    assert "县民政局" not in html


def test_it_finds_a_person_by_the_landline_number_as_it_was_registered(client_for, station_a):
    """DOMAIN.md §4: "intake finds the existing record (search by name, ID, phone) instead of creating a
    duplicate".

    The person form stores a landline with its dash (0551-1234567, the form's own example); the search box
    strips dashes from what is typed and then looks for 05511234567 inside the stored text, so neither the
    number as registered nor its digits find the person."""
    staff = client_for("staff_a")
    registered = staff.post("/applicants/new/", person_data(id_number=resident_id(9), phone="0551-1234567"))
    assert registered.status_code == 302
    person = Person.objects.get()
    assert person.phone == "0551-1234567"  # stored as typed, with its dash
    for typed in ("0551-1234567", "05511234567"):
        found = list(staff.get("/applicants/", {"q": typed}).context["page_obj"])
        assert found == [person], typed


def test_it_does_not_register_a_second_person_for_an_id_number_typed_in_full_width_digits(client_for, station_a):
    """DOMAIN.md §4: "One person per ID number: intake finds the existing record ... instead of creating a
    duplicate"; ID numbers are "validated by their check digit".

    A Chinese input method types full-width digits. `idcard.parse` accepts them (its pattern's \\d matches
    any Unicode digit, and int() reads them) when the check character is X, and `normalise` keeps them, so the
    same number is stored a second time under another spelling and the duplicate check misses it."""
    existing = PersonFactory(name="王建国", id_number=resident_id(4), station=station_a)
    assert existing.id_number.endswith("X")
    typed = existing.id_number[:17].translate(FULL_WIDTH) + "x"
    r = client_for("staff_a").post("/applicants/new/", person_data(id_number=typed))
    assert Person.objects.count() == 1, list(Person.objects.values_list("id_number", flat=True))
    assert r.status_code == 200 and "id_number" in r.context["form"].errors


def test_it_does_not_round_the_income_per_person_down_onto_the_line():
    """DOMAIN.md §4 (Art. 34): the base line × multiplier is "compared with monthly household income per
    person".

    Rural 610 × 2.0 = 1,220.00 a month per person. A household of 3 earning 3,660.01 has
    1,220.0033… per person: above the line, so not eligible. The check first rounds the income per person
    to 1,220.00 and then finds it "≤" the line."""
    policy = PolicySpec(year=2025, urban_base=Decimal("700"), rural_base=Decimal("610"), multiplier=Decimal("2.0"),
                        matters={"injury": ("请求交通事故人身损害赔偿", frozenset({"traffic"}))})
    r = evaluate(policy=policy, facts=Facts(category="civil", cause="traffic", hukou="rural",
                                            household_income=Decimal("3660.01"), household_size=3))
    assert r.result == NOT_ELIGIBLE, r.reasons


def test_it_derives_birth_date_and_sex_from_the_id_number_a_merge_brings(director):
    """DOMAIN.md §4: resident ID numbers are validated and "birth date and sex are derived from them";
    duplicates "can be merged by a director".

    The clerk registered 王秀英 without her ID card, with an estimated birth date and no sex; a station
    registered her again with her ID (born 15 Jun 1950, female). The director merges the second record into
    the first: the kept record takes the ID number but keeps the estimated birth date and no sex, so the
    record now contradicts its own ID number and she is neither 老年人 nor 妇女."""
    from applicants.groups import groups_at
    from applicants.services import person_merge

    keep = PersonFactory(name="王秀英", id_number="", sex="", birth_date=date(1990, 1, 1), phone="")
    number = resident_id(77, born=date(1950, 6, 15), female=True)
    drop = PersonFactory(name="王秀英", id_number=number, sex="F", birth_date=date(1950, 6, 15))
    person_merge(keep=keep, drop=drop, by=director, reason="同一人")
    keep.refresh_from_db()
    assert keep.id_number == number
    assert (keep.birth_date, keep.sex) == (date(1950, 6, 15), "F")
    assert {"elderly", "women"} <= set(groups_at(keep, date(2026, 1, 1)))


def test_it_masks_the_id_and_phone_numbers_on_the_edit_page_for_station_staff(client_for, station_a):
    """DOMAIN.md §13: "ID numbers and phone numbers are masked ... unless the user's role needs them; viewing
    a person's full record is logged".

    Station staff lack `applicant_view_full`: the person's page masks both numbers. The edit page of the
    same person (one click away) puts the full ID and phone numbers in its inputs, and logs nothing."""
    person = PersonFactory(name="王建国", id_number=resident_id(8), phone="13912345678", station=station_a)
    staff = client_for("staff_a")
    detail = staff.get(f"/applicants/{person.pk}/").content.decode()
    assert person.id_number not in detail and "13912345678" not in detail  # the page masks them
    edit = staff.get(f"/applicants/{person.pk}/edit/")
    assert edit.status_code == 200
    html = edit.content.decode()
    assert person.id_number not in html
    assert "13912345678" not in html



def test_it_does_not_register_the_same_resident_id_number_again_under_another_document_type(client_for,
                                                                                              station_a):
    """DOMAIN.md §4: "One person per ID number: intake finds the existing record ... instead of creating a
    duplicate".

    The duplicate check (and the unique constraint) compare (ID type, number): the same 18-digit resident
    number, saved with the type 其他证件 by a slip of the select, registers a second person for it (with no
    birth date or sex derived). The ledger import already treats such a number as a resident ID
    (`idcard.is_resident_number`)."""
    existing = PersonFactory(name="王建国", id_number=resident_id(5), station=station_a)
    r = client_for("staff_a").post("/applicants/new/", person_data(id_type="other", id_number=existing.id_number))
    assert Person.objects.count() == 1, list(Person.objects.values_list("id_type", "id_number"))
    assert r.status_code == 200 and "id_number" in r.context["form"].errors


def test_it_does_not_name_a_person_registered_elsewhere_on_the_case_of_a_station(client_for, clerk, reviewer,
                                                                                 station_a, station_b):
    """DOMAIN.md §13: "Station staff learn nothing about a person outside their scope, not even a name from a
    duplicate-ID check."

    Station A took the application for a person registered by station B through the duplicate-ID path; its
    application page rightly says only "registered person". Once the reviewer grants it, the case (station
    A's) names the person on its page and in the case list, with the ID number's region and last four, and
    the case search confirms a guessed name."""
    from intake import services

    name = "胡家豪"
    elsewhere = PersonFactory(name=name, id_number=resident_id(301), phone="13977770001", station=station_b,
                              hukou="rural")
    app = services.application_receive(application=Application(
        applicant=elsewhere, station=station_a, received_on=date.today(), category="civil", cause="labour_pay"),
        by=clerk)
    app.materials.update(received=True)
    app = services.application_submit_review(application=app, by=clerk)
    app, case = services.application_grant(application=app, by=reviewer)
    staff = client_for("staff_a")
    assert name not in staff.get(f"/intake/applications/{app.pk}/").content.decode()  # hidden there

    page = staff.get(f"/cases/{case.pk}/")
    assert page.status_code == 200  # the case is station A's
    html = page.content.decode()
    assert name not in html
    assert elsewhere.id_number[-4:] not in html
    assert name not in staff.get("/cases/").content.decode()
    assert not list(staff.get("/cases/", {"q": name}).context["page_obj"])
