"""DOMAIN §7: grading an archived case computes its subsidy; a missing standard does not block the grade."""

from datetime import date

from cases.models import Case
from cases.services import case_grade
from funding.models import Subsidy, SubsidyStandard
from tests.factories import make_case


def archived_case(handler_profile, **kw):
    case = make_case(accepted_on=date(2025, 3, 3), **kw)
    Case.objects.filter(pk=case.pk).update(status="archived", handler=handler_profile, assigned_on=date(2025, 3, 4),
                                           closed_on=date(2025, 5, 6), archived_on=date(2025, 5, 20))
    return Case.objects.get(pk=case.pk)


def test_grading_an_archived_case_computes_its_subsidy(reviewer, handler_profile):
    case = archived_case(handler_profile)
    case_grade(case=case, score=85, on=date(2025, 5, 21), by=reviewer)
    subsidy = Subsidy.objects.get(case=case)
    assert subsidy.status == "computed"
    assert subsidy.amount > 0
    assert subsidy.handler == handler_profile


def test_a_case_without_a_standard_keeps_its_grade_and_waits_for_finance(reviewer, handler_profile):
    SubsidyStandard.objects.filter(year=2025).delete()
    case = archived_case(handler_profile)
    case_grade(case=case, score=92, on=date(2025, 5, 21), by=reviewer)
    case.refresh_from_db()
    assert case.grade == "excellent"
    assert not Subsidy.objects.filter(case=case).exists()
