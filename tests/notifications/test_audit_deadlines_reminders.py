"""Audit of deadlines and the reminders about them (DOMAIN.md §5, §6; Legal Aid Law Art. 36, 43, 48, 49).

The deadline arithmetic itself (calendar days from the day after the start, the last day moved past weekends and
the 2025/2026 Spring Festival and National Day holidays, make-up Saturdays and Sundays counted as working days)
was checked by hand for every rule and found right; what follows are the reminders and lists around it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def _panels(user):
    from django.test import RequestFactory
    from django.utils import translation

    from cases.home import panels

    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return {str(p.title): p.context for p in panels(request)}


def _listed(client, url) -> list[int]:
    resp = client.get(url)
    assert resp.status_code == 200
    return [c.pk for c in resp.context["page_obj"].paginator.object_list]


def _notice_case(org, clerk, handler_profile, *, received_on, assigned_on, signed_on):
    """A criminal notice of the police (Art. 36) received on `received_on`, assigned in time, agreement signed."""
    from cases.services import case_assign, case_sign_agreement

    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                   received_on=received_on, ground="other")
    case = make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft", accepted_on=received_on,
                     recipient=notice.person)
    assignment = case_assign(case=case, handler=handler_profile, on=assigned_on, by=clerk)
    case_sign_agreement(case=case, signed_on=signed_on, by=clerk)
    case.refresh_from_db()
    return case, assignment


# --- the workbench: a panel's count is the list its "Show all" opens ---------------------------------------

@pytest.mark.parametrize("persona, title", [
    ("handler", "My cases: next steps"),
    ("reviewer", "Case files to review"),
    ("clerk", "Terminations to notify to the organ"),
])
def test_it_opens_from_each_workbench_panel_the_list_of_exactly_the_cases_it_counts(
        org, clerk, handler, reviewer, handler_profile, client_for, frozen, persona, title):
    """DOMAIN.md §5: "Every open item shows its due date; overdue items are listed for the responsible role";
    DECISIONS.md "One definition, one list" (the home panels evaluate the same definitions: a count equals the
    list's total). The panel's badge counts the to-dos; its "Show all" link must open those same cases, not
    every case of a status (the handler's closed cases whose file is due are counted but not in ?status=assigned;
    files awaiting review are one part of ?status=closed; terminations owing the organ's notice one part of
    ?status=terminated)."""
    from cases.services import case_assign, case_close, case_submit_file, case_terminate

    assigned = make_case(accepted_on=D(2025, 11, 17))
    case_assign(case=assigned, handler=handler_profile, on=D(2025, 11, 18), by=clerk)
    file_due = make_case(accepted_on=D(2025, 11, 3))  # closed; the handler's file is due by 10 Dec
    case_assign(case=file_due, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    case_close(case=file_due, closed_on=D(2025, 11, 10), outcome="mediation", closing_report="调解结案", by=handler)
    in_review = make_case(accepted_on=D(2025, 11, 3))  # file submitted: the center reviews it
    case_assign(case=in_review, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    case_close(case=in_review, closed_on=D(2025, 11, 5), outcome="mediation", closing_report="调解结案", by=handler)
    case_submit_file(case=in_review, submitted_on=D(2025, 11, 6), by=handler)
    owing = make_case(accepted_on=D(2025, 11, 3), category="criminal", source="notice", stage="trial",
                      aid_form="criminal_defence", cause="theft")  # the organ is to be told within 3 days
    case_terminate(case=owing, reason="other", on=D(2025, 11, 18), by=reviewer)
    civil = make_case(accepted_on=D(2025, 11, 3))  # a civil termination owes no notice
    case_terminate(case=civil, reason="other", on=D(2025, 11, 18), by=reviewer)

    panel = _panels(org["users"][persona])[title]
    listed = _listed(client_for(persona), reverse("cases:case_list") + panel["link"])
    assert len(listed) == panel["count"]


# --- the 法律援助公函 of a criminal notice (Art. 36: assign AND notify the organ within 3 days) -----------------

def test_it_lists_as_overdue_a_notice_case_whose_legal_aid_letter_was_not_sent_within_three_days(
        org, clerk, handler_profile, client_for, frozen):
    """DOMAIN.md §5 (criminal notices): "**Assign within 3 days** of receipt and send the 法律援助公函 to the
    organ"; Art. 36: 收到通知后，应当在三日内指派律师并通知人民法院、人民检察院、公安机关; and "Every open item shows
    its due date; overdue items are listed for the responsible role". A notice received Mon 10 Nov 2025 was
    assigned on the 11th, but its letter has not gone to the court by Thu 20 Nov (due 13 Nov): the product keeps
    no due date for the letter (Assignment has none) and lists it in no overdue list."""
    case, assignment = _notice_case(org, clerk, handler_profile, received_on=D(2025, 11, 10),
                                    assigned_on=D(2025, 11, 11), signed_on=D(2025, 11, 12))
    assert assignment.letter_number and assignment.letter_sent_on is None
    overdue = _listed(client_for("clerk"), reverse("cases:case_list") + "?overdue=1")
    assert case.pk in overdue


def test_it_lists_as_overdue_a_stage_letter_past_its_own_due_date(org, clerk, handler_profile, client_for, frozen):
    """DOMAIN.md §5: "Every open item shows its due date; overdue items are listed for the responsible role".
    A change of stage of a notice case issues a new 公函 with its own due date (StageChange.letter_due, shown on
    the case as "send by …", 3 days from the new notice, Art. 36). Past that date and not sent, the case is in
    no overdue list: cases.workflow.overdue_q knows only the phases' deadlines."""
    from cases import editing
    from cases.services import assignment_letter_sent

    case, assignment = _notice_case(org, clerk, handler_profile, received_on=D(2025, 11, 3),
                                    assigned_on=D(2025, 11, 4), signed_on=D(2025, 11, 5))
    assignment_letter_sent(assignment=assignment, on=D(2025, 11, 5), by=clerk)  # the first letter went in time
    change = editing.case_change_stage(case=case, to_stage="prosecution", on=D(2025, 11, 10), by=clerk,
                                       organ="procuratorate", organ_name="示范县人民检察院",
                                       notice_number="示检通〔2025〕12号", notice_received_on=D(2025, 11, 10))
    assert change.letter_number and change.letter_due == D(2025, 11, 13) and change.letter_sent_on is None
    overdue = _listed(client_for("clerk"), reverse("cases:case_list") + "?overdue=1")
    assert case.pk in overdue


# --- messages -----------------------------------------------------------------------------------------------

def test_it_does_not_tell_the_handler_of_a_terminated_case_that_it_went_to_another_handler(
        org, clerk, reviewer, handler, handler_profile, frozen):
    """README (Notifications): a handler is told "when a case is assigned to them, handed to them after a change
    of handler, or taken from them (with the reason)"; DOMAIN.md §6 keeps a change of handler (Art. 55) and a
    termination (Art. 48) apart. Terminating a case (no other handler anywhere) tells its handler
    "案件…已改由其他承办人办理" with "更换承办人：终止法律援助": a change of handler that never happened."""
    from cases.services import case_assign, case_terminate
    from notifications.models import Notification

    case = make_case(accepted_on=D(2025, 11, 17))
    case_assign(case=case, handler=handler_profile, on=D(2025, 11, 18), by=clerk)
    case_terminate(case=case, reason="other", on=D(2025, 11, 19), by=reviewer)
    last = Notification.objects.filter(recipient=handler).order_by("-pk").first()
    assert last.kind != "assigned"  # the message about the termination exists
    assert "其他承办人" not in last.title and "更换承办人" not in last.body


def test_it_sends_no_mail_to_a_deactivated_account(org, director, finance, frozen):
    """Brief/README: messages go to active people only (notify() refuses an inactive recipient, the digest skips
    them); DOMAIN.md §13 (personal data: case and applicant details only to those whose role needs them). The
    ten-minute catch-up (notifications.catch_up → deliveries_catch_up → notification_deliver) e-mails a message
    of the last day to its recipient without looking whether the account is still active: someone whose
    account was switched off after the morning digest still gets it, with case numbers and names, by e-mail."""
    from django.core import mail

    from notifications.services import deliveries_catch_up, notify, preference_save

    for user, address in ((director, "director@example.cn"), (finance, "finance@example.cn")):
        user.email = address
        user.save()
        preference_save(user=user, email=True, sms=False, phone="")
    gone = notify(recipient=director, kind="digest", title="2025-11-20 提醒：3 项", body="（2025）示法援民字第1号",
                  dedupe_key="digest:2025-11-20")
    notify(recipient=finance, kind="digest", title="2025-11-20 提醒：1 项", dedupe_key="digest:2025-11-20")
    director.is_active = False  # left the center after the digest was made, before it was mailed
    director.save()
    mail.outbox.clear()
    deliveries_catch_up(now=gone.created_at + dt.timedelta(minutes=10))
    recipients = [address for m in mail.outbox for address in m.to]
    assert "finance@example.cn" in recipients  # the catch-up works for an active account
    assert "director@example.cn" not in recipients
