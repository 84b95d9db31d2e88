from applicants.idcard import parse
from tests.factories import PersonFactory, make_case


def test_factory_persons_carry_valid_resident_ids(db):
    person = PersonFactory()
    assert parse(person.id_number).birth_date == person.birth_date


def test_cases_opened_through_the_service_get_consecutive_numbers(org):
    first = make_case()
    second = make_case()
    assert second.seq == first.seq + 1
    assert first.number.endswith(f"第{first.seq}号")
    assert "法援民字" in first.number
