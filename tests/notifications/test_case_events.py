"""A handler is told of a termination as a termination (Art. 48), not as a change of handler (Art. 55); of a
resumption (Art. 49) as the case coming back; each termination once; and nothing goes by e-mail to an account
switched off since the message was made."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import TerminationObjection
from notifications.models import Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db
D = dt.date


def _messages(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def _assigned(clerk, handler_profile):
    from cases.services import case_assign

    case = make_case(accepted_on=D(2025, 11, 3))
    case_assign(case=case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    case.refresh_from_db()
    return case


def _terminate(case, reviewer, on):
    from cases.services import case_terminate

    case_terminate(case=case, reason="fraud", on=on, by=reviewer)
    case.refresh_from_db()
    return case


def _resume(case, clerk, reviewer, on):
    from cases import services

    services.termination_objection_file(case=case, by=clerk, filed_on=on)
    services.termination_objection_decide(case=case, by=reviewer, outcome=TerminationObjection.Outcome.OVERTURNED,
                                          decided_on=on)
    services.case_resume(case=case, by=reviewer, on=on)
    case.refresh_from_db()
    return case


def test_a_termination_resumption_and_second_termination_each_tell_the_handler(org, clerk, reviewer, handler,
                                                                               handler_profile, frozen):
    case = _assigned(clerk, handler_profile)
    first = _terminate(case, reviewer, D(2025, 11, 12)).termination_number
    _resume(case, clerk, reviewer, D(2025, 11, 14))
    second = _terminate(case, reviewer, D(2025, 11, 18)).termination_number
    kinds_titles = [(n.kind, n.title, n.body) for n in _messages(handler)]
    assert [k for k, _t, _b in kinds_titles] == ["assigned", "reassigned", "assigned", "reassigned"]
    assigned, ended, resumed, ended_again = kinds_titles
    for _kind, title, body in (ended, ended_again):
        assert "terminated" in title or "终止" in title
        assert "其他承办人" not in title and "another handler" not in title and "更换承办人" not in body
    assert first in ended[2] and second in ended_again[2]
    assert "resumed" in resumed[1] or "恢复" in resumed[1]
    assert all(n.url == f"/cases/{case.pk}/" for n in _messages(handler))


def test_saving_a_terminated_case_again_tells_nobody_again(org, clerk, reviewer, handler, handler_profile, frozen):
    from cases.services import case_termination_notified

    case = make_case(accepted_on=D(2025, 11, 3), category="criminal", source="notice", stage="trial",
                     aid_form="criminal_defence", cause="theft")
    from cases.services import case_assign

    case_assign(case=case, handler=handler_profile, on=D(2025, 11, 4), by=clerk)
    case.refresh_from_db()
    _terminate(case, reviewer, D(2025, 11, 18))
    case_termination_notified(case=case, on=D(2025, 11, 19), means="post", by=clerk)
    assert [n.kind for n in _messages(handler)] == ["assigned", "reassigned"]


def test_a_change_of_handler_the_day_of_a_termination_tells_each_handler_their_own_event(
        org, clerk, reviewer, handler, handler_profile, other_handler, frozen):
    from accounts.models import User
    from cases.services import case_change_handler

    li = User.objects.create_user(username="lina", full_name="李娜")
    other_handler.user = li
    other_handler.save()
    case = _assigned(clerk, handler_profile)
    case_change_handler(case=case, handler=other_handler, on=D(2025, 11, 18), reason="原承办人回避", by=clerk)
    _terminate(case, reviewer, D(2025, 11, 18))
    mine = _messages(handler)
    assert [n.kind for n in mine] == ["assigned", "reassigned"] and "原承办人回避" in mine[1].body
    theirs = _messages(li)
    assert [n.kind for n in theirs] == ["reassigned", "reassigned"]  # handed to them, then terminated
    assert "terminated" in theirs[1].title or "终止" in theirs[1].title


def test_an_imported_past_assignment_tells_nobody(org, clerk, handler, handler_profile, frozen):
    from cases.models import Assignment

    case = make_case(accepted_on=D(2025, 11, 3))
    Assignment.objects.create(case=case, handler=handler_profile, assigned_on=D(2025, 11, 4),
                              ended_on=D(2025, 11, 10), end_reason="结案")
    assert not Notification.objects.filter(recipient=handler).exists()


def test_a_message_to_an_account_switched_off_is_not_mailed(org, director, frozen):
    from django.core import mail

    from notifications.services import notification_deliver, notify, preference_save

    director.email = "director@example.cn"
    director.save()
    preference_save(user=director, email=True, sms=False, phone="")
    note = notify(recipient=director, kind="digest", title="提醒", dedupe_key="digest:x")
    director.is_active = False
    director.save()
    mail.outbox.clear()
    assert notification_deliver(notification_id=note.pk) == []
    assert not mail.outbox


def test_the_clerks_digest_lists_the_legal_aid_letters_overdue_or_due_soon(org, clerk, handler_profile, frozen):
    from cases.services import assignment_letter_sent, case_assign
    from notifications.rules import digest_for
    from tests.factories import CriminalNoticeFactory

    def notice_case(received_on):
        notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                       received_on=received_on, ground="other")
        return make_case(category="criminal", source="notice", notice=notice, organ="police",
                         stage="investigation", aid_form="criminal_defence", role="defence", cause="theft",
                         accepted_on=received_on, recipient=notice.person)

    late, soon, sent = notice_case(D(2025, 11, 10)), notice_case(D(2025, 11, 19)), notice_case(D(2025, 11, 10))
    late_letter = case_assign(case=late, handler=handler_profile, on=D(2025, 11, 11), by=clerk)  # due 13 Nov
    case_assign(case=soon, handler=handler_profile, on=D(2025, 11, 19), by=clerk)  # due Mon 24 Nov
    assignment_letter_sent(assignment=case_assign(case=sent, handler=handler_profile, on=D(2025, 11, 11), by=clerk),
                           on=D(2025, 11, 12), by=clerk)
    from core.models import DeadlineRule

    DeadlineRule.objects.filter(code="notice_assign").update(warn_days=4)  # 20 + 4: the 24th is due soon
    section = next(s for s in digest_for(clerk, frozen) if s.url.endswith("?phase=letter_to_send"))
    text = section.text()
    assert section.count == 2 and late.number in text and soon.number in text and sent.number not in text
    assert late_letter.letter_number in text and "2025-11-13" in text and "2025-11-24" in text
