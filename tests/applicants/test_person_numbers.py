"""A person's numbers: the edit page masks them for roles that may not see them and keeps the stored ones when
the masked value comes back; phones are found by their digits, whatever the stored spelling (DOMAIN.md §4, §13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.timezone import now

from applicants import idcard
from applicants.eligibility import NOT_ELIGIBLE, Facts, PolicySpec, evaluate
from applicants.models import Person
from core.models import AccessLog
from tests.factories import PersonFactory, resident_id

pytestmark = pytest.mark.django_db


def _posted(person: Person, **kw) -> dict:
    data = dict(name=person.name, id_type=person.id_type, id_number=idcard.mask(person.id_number),
                sex=person.sex, birth_date=person.birth_date.isoformat() if person.birth_date else "",
                ethnicity=person.ethnicity, phone=idcard.mask_phone(person.phone), address="新地址",
                hukou=person.hukou, township="", occupation="", disability_type="",
                household_size=person.household_size, household_income=person.household_income or "",
                assets_note="")
    data.update(kw)
    return data


def test_it_keeps_the_stored_numbers_when_station_staff_save_the_masked_ones(client_for, station_a):
    person = PersonFactory(id_number=resident_id(8), phone="0551-1234567", station=station_a)
    r = client_for("staff_a").post(f"/applicants/{person.pk}/edit/", _posted(person))
    assert r.status_code == 302, r.context["form"].errors
    person.refresh_from_db()
    assert (person.id_number, person.phone, person.address) == (resident_id(8), "0551-1234567", "新地址")


def test_it_takes_a_whole_new_number_and_refuses_a_half_masked_one(client_for, station_a):
    person = PersonFactory(id_number=resident_id(8), phone="13912345678", station=station_a)
    staff = client_for("staff_a")
    r = staff.post(f"/applicants/{person.pk}/edit/", _posted(person, phone="139****1111"))
    assert r.status_code == 200 and "phone" in r.context["form"].errors
    r = staff.post(f"/applicants/{person.pk}/edit/", _posted(person, phone="13800001111"))
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13800001111" and person.id_number == resident_id(8)


def test_it_logs_the_opening_of_the_edit_page_by_a_role_that_sees_full_numbers(client_for, station_a):
    person = PersonFactory(id_number=resident_id(8), phone="13912345678", station=station_a)
    start = now()
    html = client_for("clerk").get(f"/applicants/{person.pk}/edit/").content.decode()
    assert person.id_number in html and "13912345678" in html
    assert AccessLog.objects.filter(action="view_person", object_id=str(person.pk), at__gte=start).count() == 1
    client_for("staff_a").get(f"/applicants/{person.pk}/edit/")
    assert AccessLog.objects.filter(action="view_person", object_id=str(person.pk)).count() == 1


def test_it_finds_a_consultation_by_the_digits_of_a_landline(client_for, clerk):
    from intake.models import Consultation

    c = Consultation.objects.create(occurred_at=now(), channel="visit", person_name="王伟", person_phone="0551-1234567",
                                    topic="labour_pay", summary="s", answer="a", outcome="answered", person_count=1,
                                    handled_by=clerk)
    for typed in ("0551-1234567", "05511234567", "５５１１２３"):
        found = list(client_for("clerk").get("/intake/consultations/", {"q": typed}).context["page_obj"])
        assert found == [c], typed


def test_it_takes_a_resident_number_typed_under_another_type_as_a_resident_id(client_for, station_a):
    r = client_for("staff_a").post("/applicants/new/", dict(
        name="王建国", id_type="other", id_number=resident_id(12), phone="", ethnicity="汉族", household_size=1,
        household_income="", hukou=""))
    assert r.status_code == 302
    person = Person.objects.get()
    assert person.id_type == "resident" and person.birth_date is not None and person.sex


def test_it_shows_the_division_when_cents_would_hide_that_the_income_is_above_the_line():
    policy = PolicySpec(year=2025, urban_base=Decimal("700"), rural_base=Decimal("610"), multiplier=Decimal("2.0"),
                        matters={"injury": ("请求交通事故人身损害赔偿", frozenset({"traffic"}))})
    r = evaluate(policy=policy, facts=Facts(category="civil", cause="traffic", hukou="rural",
                                            household_income=Decimal("3660.01"), household_size=3))
    assert r.result == NOT_ELIGIBLE
    assert "月人均收入 3,660.01 元 ÷ 3 人 ≈ 1,220.0033 元 > 2.0 × 农村低保 610.00 元 = 1,220.00 元，不符合经济困难标准" \
        in r.reasons
