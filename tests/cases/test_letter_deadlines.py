"""The 法律援助公函 of a criminal notice has its due date (Art. 36: assign AND notify the organ within 3 days of
the notice), is overdue past it, waits on the clerk's to-do and workbench until sent; the case list's `phase`
filter opens exactly what each workbench panel counts (DECISIONS.md: one definition, one list)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case
from cases.workflow import PHASES, due_soon_q, in_phase_q, overdue_q, todo_q
from core.workflow import matches
from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def _notice_case(received_on):
    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                   received_on=received_on, ground="other")
    return make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft", accepted_on=received_on,
                     recipient=notice.person)


def _ids(q) -> set[int]:
    return set(Case.objects.filter(q).values_list("pk", flat=True))


def _panels(user):
    from django.test import RequestFactory
    from django.utils import translation

    from cases.home import panels

    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return {str(p.title): p.context for p in panels(request)}


def _listed(client, link) -> set[int]:
    response = client.get(reverse("cases:case_list") + link)
    assert response.status_code == 200
    return {c.pk for c in response.context["page_obj"].paginator.object_list}


def test_the_letter_is_due_with_the_assignment_or_on_a_late_assignments_day(org, clerk, handler_profile,
                                                                           other_handler, frozen):
    in_time = _notice_case(D(2025, 11, 10))  # Mon: assign and notify by Thu 13 Nov
    first = services.case_assign(case=in_time, handler=handler_profile, on=D(2025, 11, 11), by=clerk)
    assert first.letter_number and first.letter_due == D(2025, 11, 13)
    late = _notice_case(D(2025, 11, 3))  # due Thu 6 Nov, assigned on the 10th: the letter is late already
    assert services.case_assign(case=late, handler=handler_profile, on=D(2025, 11, 10), by=clerk).letter_due == D(
        2025, 11, 10)
    # a change of handler tells the organ who defends now, within 3 days of the change (Mon 17 → Thu 20)
    changed = services.case_change_handler(case=Case.objects.get(pk=in_time.pk), handler=other_handler,
                                           on=D(2025, 11, 17), reason="回避", by=clerk)
    assert changed.letter_number and changed.letter_due == D(2025, 11, 20)
    civil = make_case(accepted_on=D(2025, 11, 17))
    assignment = services.case_assign(case=civil, handler=handler_profile, on=D(2025, 11, 18), by=clerk)
    assert assignment.letter_number == "" and assignment.letter_due is None


def test_an_unsent_letter_is_overdue_past_its_date_and_the_clerks_to_do_until_sent(org, clerk, handler_profile,
                                                                                  frozen):
    late = _notice_case(D(2025, 11, 10))
    late_letter = services.case_assign(case=late, handler=handler_profile, on=D(2025, 11, 11), by=clerk)
    soon = _notice_case(D(2025, 11, 19))
    services.case_assign(case=soon, handler=handler_profile, on=D(2025, 11, 19), by=clerk)  # due Sat 22 → Mon 24
    civil = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=civil, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    for case in (late, soon, civil):  # no other step is late
        services.case_sign_agreement(case=Case.objects.get(pk=case.pk), signed_on=D(2025, 11, 19), by=clerk,
                                     late_reason="补签")
    today = frozen
    letters = in_phase_q("letter_to_send")
    assert late.pk in _ids(overdue_q(today)) and soon.pk not in _ids(overdue_q(today))
    assert soon.pk in _ids(due_soon_q(today, 4)) and soon.pk not in _ids(due_soon_q(today, 2))
    assert {late.pk, soon.pk} <= _ids(todo_q(clerk)) and _ids(letters) == {late.pk, soon.pk}
    # the same definition decides one loaded row
    for case in Case.objects.filter(pk__in=[late.pk, soon.pk, civil.pk]):
        for q in (letters, overdue_q(today), due_soon_q(today, 4)):
            assert matches(case, q) == (case.pk in _ids(q)), (case, q)
    services.assignment_letter_sent(assignment=late_letter, on=D(2025, 11, 20), by=clerk)
    assert late.pk not in _ids(overdue_q(today)) | _ids(letters)
    # a letter no longer owed once the case is closed
    services.case_close(case=Case.objects.get(pk=soon.pk), closed_on=D(2025, 11, 20), outcome="judgment",
                        closing_report="判决。", by=clerk)
    assert soon.pk not in _ids(letters) and soon.pk not in _ids(overdue_q(D(2025, 12, 1)))


def test_a_change_of_handler_owes_the_new_letter_not_the_old_one(org, clerk, handler_profile, other_handler,
                                                                 frozen):
    case = _notice_case(D(2025, 11, 3))
    services.case_assign(case=case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)  # letter due 6 Nov
    services.case_change_handler(case=Case.objects.get(pk=case.pk), handler=other_handler, on=D(2025, 11, 19),
                                 reason="回避", by=clerk)  # the new handler's letter is due Sat 22 → Mon 24
    services.case_sign_agreement(case=Case.objects.get(pk=case.pk), signed_on=D(2025, 11, 20), by=clerk)
    assert case.pk not in _ids(overdue_q(frozen))  # the first handler's letter is no longer the one to send
    assert case.pk in _ids(in_phase_q("letter_to_send")) and case.pk in _ids(overdue_q(D(2025, 11, 25)))


def test_the_clerks_letter_panel_opens_the_cases_it_counts(org, clerk, handler_profile, client_for, frozen):
    case = _notice_case(D(2025, 11, 10))
    services.case_assign(case=case, handler=handler_profile, on=D(2025, 11, 11), by=clerk)
    panel = _panels(org["users"]["clerk"])["Legal-aid letters to send"]
    assert panel["count"] == 1 and panel["rows"][0]["due"] == D(2025, 11, 13)
    assert _listed(client_for("clerk"), panel["link"]) == {case.pk}
    assert panel["link"] == "?phase=letter_to_send"


def test_the_awaiting_assignment_panel_opens_its_cases_with_approval_on(org, clerk, client_for, frozen):
    from core.models import CenterProfile

    profile = CenterProfile.get()
    profile.assignment_approval = True
    profile.save()
    proposed = make_case(accepted_on=D(2025, 11, 20))
    waiting = make_case(accepted_on=D(2025, 11, 20))
    services.case_propose_assignment(case=proposed, handler=org["handlers"]["张伟"], by=clerk)
    panel = _panels(org["users"]["clerk"])["Cases awaiting assignment"]
    assert panel["count"] == 1 and _listed(client_for("clerk"), panel["link"]) == {waiting.pk}
    profile.assignment_approval = False
    profile.save()
    panel = _panels(org["users"]["clerk"])["Cases awaiting assignment"]
    assert panel["count"] == 2 and _listed(client_for("clerk"), panel["link"]) == {waiting.pk, proposed.pk}


def test_the_phase_filter_takes_several_phases_and_offers_every_phase(org, clerk, handler, handler_profile,
                                                                      client_for, frozen):
    from cases.filters import CaseFilter

    assert [c for c, _l in CaseFilter.base_filters["phase"].extra["choices"]] == [p.name for p in PHASES]
    closed = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=closed, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    services.case_close(case=closed, closed_on=D(2025, 11, 10), outcome="mediation", closing_report="调解。",
                        by=handler)
    submitted = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=submitted, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    services.case_close(case=submitted, closed_on=D(2025, 11, 10), outcome="mediation", closing_report="调解。",
                        by=handler)
    services.case_submit_file(case=submitted, submitted_on=D(2025, 11, 12), by=handler)
    c = client_for("clerk")
    assert _listed(c, "?phase=awaiting_file") == {closed.pk}
    assert _listed(c, "?phase=awaiting_review") == {submitted.pk}
    assert _listed(c, "?phase=awaiting_file&phase=awaiting_review") == {closed.pk, submitted.pk}
    assert c.get(reverse("cases:case_list") + "?phase=nonsense").status_code == 200
