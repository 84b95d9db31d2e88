"""Indicators of cases and their quality (STATISTICS.md), each defined once (core/indicators.py).

Facts are read from what the case stored when the event happened: `recipient_groups` (the groups at
acceptance), `station` (taken at acceptance), `accepted_stage` (the stage at acceptance: a later change of
stage, cases/editing.py, moves no past figure), `handler_kind` (the type at the first assignment),
`assigned_on` (the first assignment). Editing a handler, a person or a station later changes nothing
here. Decisions: reports/DECISIONS.md."""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from core.choices import GROUP, LAWYER_KINDS
from core.indicators import Family, Measure, found_in
from core.periods import Period

from .models import (
    ArchiveReview,
    Assignment,
    Case,
    Complaint,
    Discussion,
    FollowUp,
    StageChange,
    TerminationObjection,
)
from .workflow import ENTERED_ON

GROUPS = ["migrant_worker", "women", "minor", "elderly", "disabled", "military", "low_income"]
GROUP_NAMES = {"migrant_worker": "农民工", "women": "妇女", "minor": "未成年人", "elderly": "老年人",
               "disabled": "残疾人", "military": "军人军属", "low_income": "低保特困"}
assert set(GROUPS) <= set(GROUP.codes)


def _cases(p: Period):
    return Case.objects.annotate(
        # empty on records written without it (ledger, generated data), whose stage never moved
        accepted_stage=Coalesce(F("stage_at_acceptance"), F("stage")),
    )


# A hearing attended or a follow-up made at any date counts for the case (DECISIONS.md): columns the
# database keeps on the case (Case.has_followup), so that the year's cases are counted in one parallel scan.
def has_hearing() -> Q:
    return Q(has_hearing=True)


def has_followup() -> Q:
    return Q(has_followup=True)


def agreement_late_at(end) -> Q:
    """The handler holding the case at the end date had an agreement due before it and not signed by it."""
    return found_in("pk", Assignment.objects.filter(assigned_on__lte=end, agreement_due__lt=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)).filter(
        Q(agreement_signed_on__isnull=True) | Q(agreement_signed_on__gt=end)).values("case_id"))


def returned_late_at(end) -> Q:
    """A file returned after the end date that was late at it: then with the handler past the `file_due` it was
    submitted against, or submitted and not reviewed by it past its `archive_due`. The return cleared those dates
    on the case; its review keeps them (ArchiveReview.file_due, submitted_on, archive_due)."""
    return found_in("pk", ArchiveReview.objects.filter(result=ArchiveReview.Result.RETURNED, reviewed_on__gt=end).filter(
        Q(file_due__lt=end, submitted_on__gt=end) | Q(submitted_on__lte=end, archive_due__lt=end)).values("case_id"))


def letters_late_at(end) -> Q:
    """A 法律援助公函 due before the end date and not sent by it (DOMAIN §5, Art. 36: assign and send within 3
    days): the letter of the assignment current at the end date, or of a change of stage made by it (as
    cases.workflow.letters_overdue_q judges it today)."""
    unsent = Q(letter_sent_on__isnull=True) | Q(letter_sent_on__gt=end)
    current = (Assignment.objects.filter(assigned_on__lte=end, letter_due__lt=end).exclude(letter_number="")
               .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end)).filter(unsent))
    stages = StageChange.objects.filter(changed_on__lte=end, letter_due__lt=end).exclude(letter_number="").filter(unsent)
    return found_in("pk", current.values("case_id")) | found_in("pk", stages.values("case_id"))


CASES = Family("cases", _cases, "station")


def _between(field: str, p: Period) -> Q:
    return Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


def accepted(p: Period) -> Q:
    return _between("accepted_on", p)


def closed(p: Period) -> Q:
    # A case closed then archived keeps its closing date; terminated cases are never closed.
    return _between("closed_on", p) & Q(status__in=["closed", "archived"])


def entered_by(state: str, end) -> Q:
    """Cases that had entered `state` by `end`, by the date the workflow table says the state is entered on."""
    field = ENTERED_ON[state]
    return Q(**{f"{field}__isnull": False, f"{field}__lte": end})


def open_at_end(p: Period) -> Q:
    end = p.end
    closed_by_end = entered_by(Case.Status.CLOSED, end)
    terminated_by_end = entered_by(Case.Status.TERMINATED, end)
    # A case terminated on a date the ledger did not give is not open at any end date.
    return (Q(accepted_on__lte=end) & ~closed_by_end & ~terminated_by_end
            & ~Q(status="terminated", terminated_on__isnull=True))


def overdue_at_end(p: Period) -> Q:
    """Cases past a deadline at the end date, each once (DECISIONS.md)."""
    end = p.end
    closed_by_end = entered_by(Case.Status.CLOSED, end)
    terminated_by_end = entered_by(Case.Status.TERMINATED, end)
    # Without an assignment date we only know the case was unassigned if it still is (or was terminated
    # unassigned); a closed or assigned case without the date (ledger gap) is not taken as overdue.
    not_assigned_by_end = Q(assigned_on__gt=end) | Q(assigned_on__isnull=True, status__in=["awaiting", "terminated"])
    # a case resumed after the end date had, at the end date, the deadline it had before the resumption
    resumed_later = found_in("pk", TerminationObjection.objects.filter(resumed_on__gt=end).values("case_id"))
    due_before_resumption = found_in("pk", TerminationObjection.objects.filter(
        resumed_on__gt=end, assign_due_before__lt=end).values("case_id"))
    return (open_at_end(p) & (
        (not_assigned_by_end & ((Q(assign_due__lt=end) & ~resumed_later) | due_before_resumption))
        | (Q(assigned_on__lte=end) & agreement_late_at(end))
        | letters_late_at(end)
    )) | (
        closed_by_end & ~terminated_by_end & Q(file_due__lt=end)
        & (Q(file_submitted_on__isnull=True) | Q(file_submitted_on__gt=end))
    ) | (
        Q(file_submitted_on__lte=end) & Q(archive_due__lt=end)
        & (Q(archived_on__isnull=True) | Q(archived_on__gt=end))
    ) | returned_late_at(end) | termination_notice_late_at(end)


def termination_notice_late_at(end) -> Q:
    """A criminal case terminated by the end date whose notice to the organ (Art. 48, 3 days) was due before
    the end date and not recorded by it (DECISIONS.md)."""
    return (entered_by(Case.Status.TERMINATED, end) & Q(termination_notify_due__lt=end)
            & (Q(termination_notified_on__isnull=True) | Q(termination_notified_on__gt=end)))


def _acc(extra: Q):
    return lambda p: accepted(p) & extra


def _crim(extra: Q):
    return lambda p: accepted(p) & Q(category="criminal") & extra


def _closed(extra: Q):
    return lambda p: closed(p) & extra


def _graded(p: Period) -> Q:
    return _between("graded_on", p) & ~Q(grade="")


def _grade(grade: str):
    return lambda p: _graded(p) & Q(grade=grade)


def _assigned(p: Period) -> Q:
    return _between("assigned_on", p)


def _by_lawyer(p: Period) -> Q:
    # The handler type taken at the first assignment (a ledger row: its own 承办人类型), never the roster's
    # type today, so editing a handler changes no past figure.
    return accepted(p) & Q(handler_kind__in=sorted(LAWYER_KINDS))


accepted_measures = [
    Measure("cases.accepted", "受理案件", "件", CASES, accepted),
    Measure("cases.accepted.criminal", "受理刑事案件", "件", CASES, _acc(Q(category="criminal"))),
    Measure("cases.accepted.civil", "受理民事案件", "件", CASES, _acc(Q(category="civil"))),
    Measure("cases.accepted.administrative", "受理行政案件", "件", CASES, _acc(Q(category="administrative"))),
    Measure("cases.accepted.criminal.notified", "通知辩护案件", "件", CASES, _crim(Q(source="notice"))),
    Measure("cases.accepted.criminal.investigation", "侦查阶段", "件", CASES, _crim(Q(accepted_stage="investigation"))),
    Measure("cases.accepted.criminal.prosecution", "审查起诉阶段", "件", CASES, _crim(Q(accepted_stage="prosecution"))),
    Measure("cases.accepted.criminal.trial", "审判阶段", "件", CASES, _crim(Q(accepted_stage__in=["trial", "death_review"]))),
    Measure("cases.accepted.litigation", "诉讼案件", "件", CASES, _acc(Q(is_litigation=True))),
    Measure("cases.accepted.non_litigation", "非诉讼案件", "件", CASES, _acc(Q(is_litigation=False))),
    *[Measure(f"cases.accepted.group.{g}", GROUP_NAMES[g], "件", CASES, _acc(Q(recipient_groups__contains=[g])))
      for g in GROUPS],
    Measure("cases.accepted.migrant_wage", "农民工讨薪案件", "件", CASES,
            _acc(Q(recipient_groups__contains=["migrant_worker"], cause="labour_pay"))),
    Measure("cases.accepted.mass", "群体性案件", "件", CASES, _acc(Q(is_mass=True))),
    Measure("recipients.total", "受援人数", "人", CASES, accepted, "recipient_count"),
    Measure("cases.accepted.by_lawyer", "律师承办案件", "件", CASES, _by_lawyer),
]

closed_measures = [
    Measure("cases.closed", "结案", "件", CASES, closed),
    Measure("cases.closed.criminal", "刑事结案", "件", CASES, _closed(Q(category="criminal"))),
    Measure("cases.closed.civil", "民事结案", "件", CASES, _closed(Q(category="civil"))),
    Measure("cases.closed.administrative", "行政结案", "件", CASES, _closed(Q(category="administrative"))),
]

stock_measures = [
    Measure("cases.terminated", "终止援助", "件", CASES, lambda p: _between("terminated_on", p)),
    Measure("cases.open_at_end", "期末未结案件", "件", CASES, open_at_end, stock=True),
    Measure("amount.recovered", "挽回经济损失", "元", CASES, closed, "amount_recovered", money=True),
    Measure("amount.involved", "涉案金额", "元", CASES, accepted, "amount_involved", money=True),
]

assignment_measures = [
    Measure("cases.assigned", "本期指派案件", "件", CASES, _assigned, published=False),
    Measure("cases.assigned.on_time", "按期指派案件", "件", CASES,
            lambda p: _assigned(p) & (Q(assign_due__isnull=True) | Q(assigned_on__lte=F("assign_due"))),
            published=False),
    Measure("cases.overdue", "期末逾期的案件", "件", CASES, overdue_at_end, stock=True, published=False),
]

quality_measures = [
    Measure("quality.graded", "质量评估案件", "件", CASES, _graded),
    *[Measure(f"quality.{g}", name, "件", CASES, _grade(g))
      for g, name in [("excellent", "评为优秀"), ("good", "评为良好"), ("pass", "评为合格"), ("fail", "评为不合格")]],
    Measure("quality.hearings", "旁听庭审", "件", CASES, lambda p: closed(p) & Q(is_litigation=True) & has_hearing()),
    Measure("cases.closed.litigation", "本期结案的诉讼案件", "件", CASES, _closed(Q(is_litigation=True)),
            published=False),
    Measure("followups.total", "回访", "件", CASES, lambda p: closed(p) & has_followup()),
]

FOLLOWUPS = Family("followups", lambda p: FollowUp.objects.exclude(satisfaction=""), "case__station")
followup_measures = [
    Measure("followups.rated", "本期有满意度评价的回访", "件", FOLLOWUPS, lambda p: _between("date", p),
            published=False),
    Measure("followups.satisfied", "评价满意或基本满意的回访", "件", FOLLOWUPS,
            lambda p: _between("date", p) & Q(satisfaction__in=["satisfied", "basically"]), published=False),
]

DISCUSSIONS = Family("discussions", lambda p: Discussion.objects.all(), "case__station")
COMPLAINTS = Family("complaints", lambda p: Complaint.objects.all(), "case__station")
discussions = Measure("quality.discussions", "集体讨论", "次", DISCUSSIONS, lambda p: _between("held_on", p))
complaints = Measure("complaints.total", "投诉", "件", COMPLAINTS, lambda p: _between("received_on", p))
