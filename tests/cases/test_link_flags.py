"""Case.has_followup and Case.has_hearing are kept by the database (cases/migrations/0018) from the case's
follow-ups and hearing attendances, whatever writes them: the ORM one at a time or in bulk, an edit that
moves a record to another case, a removal; a save of a case read before a change never undoes it."""

from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case, FollowUp, HearingAttendance
from tests.factories import make_case

LINKED = [
    (FollowUp, "has_followup", {"satisfaction": "satisfied"}),
    (HearingAttendance, "has_hearing", {"attendee": "周主任"}),
]


def flag(case, name) -> bool:
    return Case.objects.values_list(name, flat=True).get(pk=case.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("model, name, fields", LINKED)
def test_a_record_added_sets_the_flag_and_the_last_one_removed_clears_it(org, model, name, fields):
    case = make_case()
    assert flag(case, name) is False
    first = model.objects.create(case=case, date=date(2025, 3, 1), **fields)
    assert flag(case, name) is True
    second = model.objects.create(case=case, date=date(2025, 4, 1), **fields)
    first.delete()
    assert flag(case, name) is True  # the other one still counts
    second.delete()
    assert flag(case, name) is False


@pytest.mark.django_db
@pytest.mark.parametrize("model, name, fields", LINKED)
def test_a_stale_save_of_the_case_keeps_the_flag(org, model, name, fields):
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    model.objects.create(case=case, date=date(2025, 3, 1), **fields)
    assert getattr(stale, name) is False
    stale.closing_report = "结案报告"
    stale.save()
    assert flag(case, name) is True
    assert Case.objects.get(pk=case.pk).closing_report == "结案报告"
    # nor can an update of the column itself set it against the records
    Case.objects.filter(pk=case.pk).update(**{name: False})
    assert flag(case, name) is True


@pytest.mark.django_db
@pytest.mark.parametrize("model, name, fields", LINKED)
def test_a_record_moved_to_another_case_moves_the_flag(org, model, name, fields):
    old, new = make_case(), make_case()
    record = model.objects.create(case=old, date=date(2025, 3, 1), **fields)
    record.case = new
    record.save()
    assert (flag(old, name), flag(new, name)) == (False, True)
    other = model.objects.create(case=old, date=date(2025, 5, 1), **fields)
    other.date = date(2025, 5, 2)
    other.save()  # an edit on the same case changes nothing
    assert (flag(old, name), flag(new, name)) == (True, True)


@pytest.mark.django_db
@pytest.mark.parametrize("model, name, fields", LINKED)
def test_many_records_in_one_statement_each_flag_their_case(org, model, name, fields):
    cases = [make_case() for _i in range(5)]
    model.objects.bulk_create([model(case=c, date=date(2025, 3, 1), **fields) for c in cases[:3]])
    assert [flag(c, name) for c in cases] == [True, True, True, False, False]
    model.objects.filter(case__in=cases[:2]).delete()
    assert [flag(c, name) for c in cases] == [False, False, True, False, False]
