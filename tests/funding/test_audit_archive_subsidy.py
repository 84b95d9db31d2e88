"""Audit of DOMAIN.md §6 (closing, archive review, quality and grades) and §7 (subsidies), through the real
services, with adversarial dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from cases import rules
from cases import services as cases
from funding import services
from funding.models import Spending, Subsidy, SubsidyPolicy
from stations.models import DutyShift
from tests.factories import make_case

D = Decimal
pytestmark = pytest.mark.django_db


def checklist(case):
    return {code: True for code, _l in rules.archive_items(case)}


def walk(*, clerk, handler, reviewer, accepted, assigned, closed, submitted=None, archived=None, graded=None,
         score=85, **fields):
    """A case brought through the real services as far as the dates given."""
    case = make_case(accepted_on=accepted, **fields)
    cases.case_assign(case=case, handler=handler, on=assigned, by=clerk)
    case.refresh_from_db()
    cases.case_close(case=case, closed_on=closed, outcome="mediation", closing_report="调解结案。",
                     amount_recovered=D("5000"), by=clerk)
    case.refresh_from_db()
    if submitted:
        cases.case_submit_file(case=case, submitted_on=submitted, by=clerk)
        case.refresh_from_db()
    if archived:
        cases.case_archive_review(case=case, result="passed", checklist=checklist(case), on=archived, by=reviewer)
        case.refresh_from_db()
    if graded:
        cases.case_grade(case=case, score=score, on=graded, by=reviewer)
        case.refresh_from_db()
    return case



@freeze_time("2026-05-10 10:00:00+08:00")
def test_it_does_not_pay_duty_days_that_have_not_been_served_yet(org, subsidy_defaults, finance, handler_profile):
    """DOMAIN.md §7: "duty lawyers and consultation duty per day"; "Money is never dated after today".

    On 10 May the roster already plans a duty day on 20 May. Posting May's duty subsidies now pays the 20th,
    a day nobody has served yet, in an entry dated today; and as a month posts only once, a day added to
    the roster after the posting is never paid. Only days served by the posting date may be paid."""
    SubsidyPolicy.objects.update_or_create(year=2026, defaults={"duty_day_rate": D("200"),
                                                                "consultation_day_rate": D("150")})
    DutyShift.objects.create(date=dt.date(2026, 5, 5), handler=handler_profile, place_kind="court", place="县法院")
    DutyShift.objects.create(date=dt.date(2026, 5, 20), handler=handler_profile, place_kind="court", place="县法院")
    try:
        services.duty_subsidy_post(year=2026, month=5, by=finance)
    except ValidationError:
        pass  # refusing a month that has not ended is one right answer
    posted = sum((s.amount for s in Spending.objects.filter(category="duty_subsidy")), D("0"))
    assert posted <= D("200.00"), f"posted {posted} yuan on 10 May, incl. the duty day of 20 May"


def test_it_refuses_a_resubmitted_file_dated_before_the_file_was_returned(org, clerk, reviewer, handler_profile):
    """DOMAIN.md §6: the center reviews the file and passes it "or return[s it] with reasons"; the handler then
    submits it again. A resubmission cannot be dated before the return it answers (bad input: a clear message,
    nothing changed); otherwise the file is on record as handed in (10 May) while the center still had it
    back with the handler (returned 20 May), and the case can be archived on a day before its return."""
    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4), submitted=dt.date(2026, 5, 6))
    cases.case_archive_review(case=case, result="returned", checklist={}, on=dt.date(2026, 5, 20), by=reviewer,
                              reasons="缺少征询意见表")
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        cases.case_submit_file(case=case, submitted_on=dt.date(2026, 5, 10), by=clerk)
    case.refresh_from_db()
    assert case.file_submitted_on is None


def test_it_refuses_a_subsidy_payment_dated_before_the_case_was_graded(org, subsidy_defaults, clerk, reviewer,
                                                                      handler_profile, finance):
    """DOMAIN.md §7: "A case's subsidy is computed only after the archive passes and the grade is set" and
    STATISTICS.md: facts are taken as they were when they happened ("a past period never moves",
    DECISIONS.md, Money). A batch of a case graded on 21 May cannot be paid on 15 January: that payment
    would move subsidy.paid.total and funding.spent.subsidy of a quarter long reported, for a subsidy
    that did not exist then. Expected: refused with a message, nothing paid."""
    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4), submitted=dt.date(2026, 5, 10),
                archived=dt.date(2026, 5, 20), graded=dt.date(2026, 5, 21))
    subsidy = Subsidy.objects.get(case=case)
    batch = services.batch_create(subsidies=[subsidy], by=finance)
    with pytest.raises(ValidationError):
        services.batch_pay(batch=batch, paid_on=dt.date(2026, 1, 15), by=finance)
    assert not Spending.objects.filter(category="case_subsidy").exists()


def test_it_does_not_pay_a_termination_subsidy_once_the_termination_was_overturned(org, subsidy_defaults, clerk,
                                                                                  reviewer, handler_profile,
                                                                                  finance):
    """DOMAIN.md §7: "terminated cases pay a share if substantive work was done"; Art. 49 / DECISIONS.md: a
    termination the justice bureau overturned is not a termination (the product's own rule,
    funding.services.case_subsidy_ready: "the subsidy waits until the termination stands"). A termination
    subsidy computed before the objection must not then be batched and paid while the bureau has
    overturned the termination: the case goes on and will get its full subsidy when archived."""
    from cases.models import TerminationObjection

    case = make_case(accepted_on=dt.date(2026, 3, 2))
    cases.case_assign(case=case, handler=handler_profile, on=dt.date(2026, 3, 3), by=clerk)
    case.refresh_from_db()
    cases.case_terminate(case=case, reason="fraud", on=dt.date(2026, 4, 1), by=reviewer, substantive_work=True)
    case.refresh_from_db()
    subsidy = services.subsidy_compute(case=case, by=finance)
    cases.termination_objection_file(case=case, by=clerk, filed_on=dt.date(2026, 4, 2), grounds="不服")
    cases.termination_objection_decide(case=case, by=reviewer, outcome=TerminationObjection.Outcome.OVERTURNED,
                                       decided_on=dt.date(2026, 4, 6))
    subsidy.refresh_from_db()
    try:
        batch = services.batch_create(subsidies=[subsidy], by=finance)
        services.batch_pay(batch=batch, paid_on=dt.date(2026, 4, 8), by=finance)
    except ValidationError:
        pass
    subsidy.refresh_from_db()
    assert subsidy.status != Subsidy.Status.PAID
    assert not Spending.objects.filter(category="case_subsidy").exists()


def test_it_refuses_a_follow_up_dated_before_the_case_was_accepted(org, clerk, reviewer, handler_profile):
    """DOMAIN.md §6 (回访 with the recipient of the case) and STATISTICS.md rate.satisfaction ("follow-ups
    rated ... in the period"; facts as they were when they happened). A follow-up of a case accepted on
    2 March 2026 cannot be dated 15 June 2025: it would change the 2025 satisfaction rate, a period
    already reported, with a follow-up of a case that did not exist. Bad input: refused, nothing saved."""
    from cases.models import FollowUp

    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4))
    with pytest.raises(ValidationError):
        cases.followup_record(case=case, by=reviewer, date=dt.date(2025, 6, 15), channel="phone",
                              satisfaction="unsatisfied", notes="")
    assert not FollowUp.objects.exists()



def test_it_keeps_a_late_archive_review_overdue_at_a_past_end_date(org, clerk, reviewer, handler_profile):
    """DOMAIN.md §6: "the center reviews within 30 days"; STATISTICS.md cases.overdue_at_end: "cases past any
    deadline at the end date", facts as they were when they happened (DECISIONS.md: "file submitted, not
    archived, past archive_due" ... judged by the dates).

    File submitted 10 Jan 2026, review due 9 Feb; at 31 Mar (end of 2026Q1) it is still not reviewed, so Q1's
    期末逾期事项 is 1. The review is done late, on 15 Apr: case_archive_review clears archive_due, and Q1's
    figure drops to 0 - a past period moves, and the late review disappears from the statistics."""
    from core.periods import parse_period
    from reports import indicators as ind

    q1 = parse_period("2026-01-01:2026-03-31")
    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2025, 12, 1),
                assigned=dt.date(2025, 12, 2), closed=dt.date(2026, 1, 5), submitted=dt.date(2026, 1, 10))
    assert case.archive_due < dt.date(2026, 3, 31)
    before = ind.compute_all(q1)["cases.overdue_at_end"]
    assert before == 1
    cases.case_archive_review(case=case, result="passed", checklist=checklist(case), on=dt.date(2026, 4, 15),
                              by=reviewer)
    assert ind.compute_all(q1)["cases.overdue_at_end"] == before



def test_the_quarterly_public_list_publishes_masked_names_and_no_id_or_phone(org, subsidy_defaults, clerk, reviewer,
                                                                            handler_profile, finance, client_for):
    """Guard. DOMAIN.md §7 (the quarterly public list, Art. 58) and §13 (ID numbers and phone numbers masked in
    exports): the list of 2026Q2 shows the case paid on 30 June - its number, the recipient's family name
    only, the handler, the amount - and neither the recipient's full name, ID number nor phone; a payment of
    1 July belongs to Q3."""
    import io

    import openpyxl

    from tests.factories import PersonFactory

    person = PersonFactory(name="欧阳小明")
    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4), submitted=dt.date(2026, 5, 10),
                archived=dt.date(2026, 5, 20), graded=dt.date(2026, 5, 21), recipient=person)
    other = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                 assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4), submitted=dt.date(2026, 5, 10),
                 archived=dt.date(2026, 5, 20), graded=dt.date(2026, 5, 21))
    june = services.batch_create(subsidies=[Subsidy.objects.get(case=case)], by=finance)
    services.batch_pay(batch=june, paid_on=dt.date(2026, 6, 30), by=finance)
    july = services.batch_create(subsidies=[Subsidy.objects.get(case=other)], by=finance)
    services.batch_pay(batch=july, paid_on=dt.date(2026, 7, 1), by=finance)
    response = client_for("finance").get("/funding/public-list/?year=2026&quarter=2")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)][2:]  # below the title lines
    assert rows[0] == ["案号", "受援人", "承办人", "承办机构", "补贴金额（元）", "发放日期"]
    assert [r[:3] for r in rows[1:-1]] == [[case.number, "欧***", handler_profile.name]]
    assert rows[-1][0] == "合计 1 件"
    text = " ".join(str(c) for r in rows for c in r)
    assert person.id_number not in text and person.phone not in text and "欧阳小明" not in text


def test_a_zero_subsidy_settled_in_a_batch_is_no_case_paid_and_does_not_lower_the_average(
        org, subsidy_defaults, clerk, reviewer, handler_profile, finance):
    """DOMAIN.md §7: "不合格 pays a reduced share or nothing"; STATISTICS.md subsidy.paid.cases: "cases whose subsidy
    was paid in the period", subsidy.average = total / cases. A 0.00 subsidy (不合格 at a 0 % share) may be settled
    in a batch with its reason, but nothing is paid: it counts in no subsidy.paid.cases, leaves subsidy.average
    at the paid case's amount and is not on the Art. 58 public list (DECISIONS.md, Money)."""
    from funding import selectors

    SubsidyPolicy.objects.filter(year=2026).update(fail_share=D("0"))
    dates = dict(accepted=dt.date(2026, 3, 2), assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4),
                 submitted=dt.date(2026, 5, 10), archived=dt.date(2026, 5, 20), graded=dt.date(2026, 5, 21))
    good = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, score=85, **dates)
    failed = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, score=50, **dates)
    paid, zero = Subsidy.objects.get(case=good), Subsidy.objects.get(case=failed)
    assert failed.grade == "fail" and zero.amount == D("0.00") and paid.amount > 0
    batch = services.batch_create(subsidies=[paid, zero], by=finance, zero_reason="不合格，不予补贴，随批结清")
    services.batch_pay(batch=batch, paid_on=dt.date(2026, 6, 1), by=finance)
    figures = selectors.indicators(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert figures["subsidy.paid.cases"] == 1
    assert figures["subsidy.paid.total"] == paid.amount
    assert figures["subsidy.average"] == paid.amount
    listed = [p.subsidy_id for p in selectors.finally_paid(dt.date(2026, 4, 1), dt.date(2026, 7, 1))]
    assert listed == [paid.pk]


def test_it_refuses_a_complaint_resolved_or_an_opinion_letter_sent_in_the_future(org, clerk, reviewer,
                                                                               handler_profile):
    """DOMAIN.md §6 (quality records: opinion letters, complaints and their handling) and "dates never after
    today": a complaint cannot be resolved tomorrow, nor an opinion letter sent (or its reply received) tomorrow.
    Bad input: refused with a message, nothing changed."""
    from django.utils import timezone, translation

    from cases.models import Complaint, OpinionLetter

    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2026, 3, 2),
                assigned=dt.date(2026, 3, 3), closed=dt.date(2026, 5, 4))
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    complaint = cases.complaint_record(case=case, by=reviewer, received_on=dt.date(2026, 5, 6),
                                       complainant="受援人家属", content="联系不及时")
    with translation.override("en"), pytest.raises(ValidationError, match="future"):
        cases.complaint_handle(complaint=complaint, handling="约谈承办人", resolved_on=tomorrow, substantiated=False,
                               by=reviewer)
    complaint.refresh_from_db()
    assert complaint.resolved_on is None and complaint.handling == ""
    with translation.override("en"), pytest.raises(ValidationError, match="future"):
        cases.opinion_record(case=case, by=reviewer, organ="示范县人民法院", sent_on=tomorrow)
    with translation.override("en"), pytest.raises(ValidationError, match="future"):
        cases.opinion_record(case=case, by=reviewer, organ="示范县人民法院", sent_on=dt.date(2026, 5, 6),
                             received_on=tomorrow)
    assert not OpinionLetter.objects.exists()
    cases.complaint_handle(complaint=complaint, handling="约谈承办人", resolved_on=today, substantiated=False,
                           by=reviewer)
    assert Complaint.objects.get().resolved_on == today


def test_a_file_returned_after_the_end_date_stays_overdue_at_it(org, clerk, reviewer, handler_profile):
    """DOMAIN.md §6 and STATISTICS.md cases.overdue_at_end, facts as they stood at the end date: a file submitted
    on 10 Jan, due for review by 9 Feb and returned only on 15 Apr was overdue at 31 Mar. The return gives the
    file back to the handler (due again, not overdue at once) but moves no past figure: Q1 stays 1; the file
    resubmitted and archived, the case is overdue at no later end date."""
    from cases.models import Case
    from cases.workflow import WORKFLOW, overdue_q
    from core.periods import parse_period
    from reports import indicators as ind

    q1 = parse_period("2026-01-01:2026-03-31")
    case = walk(clerk=clerk, handler=handler_profile, reviewer=reviewer, accepted=dt.date(2025, 12, 1),
                assigned=dt.date(2025, 12, 2), closed=dt.date(2026, 1, 5), submitted=dt.date(2026, 1, 10))
    assert ind.compute_all(q1)["cases.overdue_at_end"] == 1
    cases.case_archive_review(case=case, result="returned", checklist={}, on=dt.date(2026, 4, 15), by=reviewer,
                              reasons="缺少征询意见表")
    case.refresh_from_db()
    assert case.file_submitted_on is None and case.file_due > dt.date(2026, 4, 15)  # due again from the handler
    assert WORKFLOW.phase(case).name == "awaiting_file"
    assert ind.compute_all(q1)["cases.overdue_at_end"] == 1
    assert ind.compute_all(parse_period("2026-04-01:2026-04-20"))["cases.overdue_at_end"] == 0
    cases.case_submit_file(case=case, submitted_on=dt.date(2026, 4, 20), by=clerk)
    case.refresh_from_db()
    cases.case_archive_review(case=case, result="passed", checklist=checklist(case), on=dt.date(2026, 4, 25),
                              by=reviewer)
    case.refresh_from_db()
    assert case.status == "archived" and case.archive_due is not None
    # archived: no longer late anywhere the workflow looks, although it keeps the due date it was reviewed against
    assert not Case.objects.filter(overdue_q(dt.date(2026, 12, 31)), pk=case.pk).exists()
    assert ind.compute_all(q1)["cases.overdue_at_end"] == 1
    assert ind.compute_all(parse_period("2026-04-01:2026-06-30"))["cases.overdue_at_end"] == 0


@freeze_time("2026-05-10 10:00:00+08:00")
def test_the_duty_page_of_a_month_not_ended_shows_the_days_served_so_far_and_why_it_cannot_be_posted(
        org, subsidy_defaults, handler_profile, client_for):
    """DOMAIN.md §7 (duty per day served): on 10 May, May's page counts the day served on 5 May, not the day the
    roster plans on 20 May, says the month can be posted from 1 June and offers no posting."""
    SubsidyPolicy.objects.update_or_create(year=2026, defaults={"duty_day_rate": D("200"),
                                                                "consultation_day_rate": D("150")})
    DutyShift.objects.create(date=dt.date(2026, 5, 5), handler=handler_profile, place_kind="court", place="县法院")
    DutyShift.objects.create(date=dt.date(2026, 5, 20), handler=handler_profile, place_kind="court", place="县法院")
    response = client_for("finance").get("/funding/duty/?month=2026-05")
    assert [(r["duty"], r["amount"]) for r in response.context["rows"]] == [(1, D("200.00"))]
    assert "2026-06-01" in response.context["not_yet"]
    page = response.content.decode()
    assert 'data-testid="duty-not-yet"' in page and "bi-journal-plus" not in page  # no "Post to spending" button
