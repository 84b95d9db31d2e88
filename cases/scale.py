"""`seed_demo --scale N`: the N cases, from acceptance to archive (core/scale.py).

One case for each granted application (accepted on its decision day) and each criminal notice (accepted
the day it arrived), numbered per year and kind in acceptance order as core.numbering would have, and
walked through the services' states with their dates, deadlines and documents: assigned within the
three days (a few late), the aid agreement within five, closed after a time that depends on the stage
(weeks for an investigation-stage defence, months for a civil first instance), the file handed in within
thirty days, reviewed and archived, then graded. Whatever would lie after today has not happened yet, so
the recent cases are open, and some of them are past a deadline.

Assumed closing methods: criminal trials end in a judgment (55 %), probation (30 %), exemption from
punishment or other; investigation and prosecution-stage defences end when the stage ends (non-
prosecution for a quarter at the prosecution stage); civil cases by judgment (about half, most of them
won), mediation (30 %), settlement or withdrawal; labour arbitration mostly by award; administrative cases by
judgment or withdrawal after coordination. About 2.5 % of cases are terminated (Art. 48), 1.5 % change
handler (Art. 55), 85 % of closed cases get a follow-up, a third an opinion letter from the court.
Grades: 优秀 25 %, 良好 45 %, 合格 28 %, 不合格 2 %.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from applicants.scale import PersonTable
from core.choices import CASE_KIND_WORD
from core.copy import copy_rows, loading, reserve_ids
from core.models import CenterProfile
from core.numbering import DOCUMENT_WORDS
from core.registry import provided
from core.scale import Choice, Progress, Timeline, between, bump_sequences, lognormal_days, pick, user_ids
from stations.models import Handler

from . import rules
from .models import (
    ArchiveReview,
    Assignment,
    Case,
    Complaint,
    Discussion,
    FileInspection,
    FollowUp,
    GradingScale,
    HearingAttendance,
    OpinionLetter,
    ProgressEntry,
)

# Days from assignment to closing: median and the longest, by category and stage.
DURATION = {
    ("criminal", "investigation"): (40, 150), ("criminal", "prosecution"): (30, 120), ("criminal", "trial"): (45, 240),
    ("criminal", "death_review"): (120, 400), ("civil", "first_instance"): (110, 540),
    ("civil", "second_instance"): (80, 300), ("civil", "retrial"): (150, 600), ("civil", "arbitration"): (60, 240),
    ("civil", "mediation"): (30, 150), ("civil", "enforcement"): (120, 540), ("civil", "non_litigation"): (45, 240),
}
OUTCOMES = {
    "investigation": Choice([("other", 75), ("non_prosecution", 25)]),
    "prosecution": Choice([("other", 72), ("non_prosecution", 28)]),
    "trial": Choice([("judgment", 55), ("probation", 30), ("exempt", 5), ("other", 10)]),
    "death_review": Choice([("judgment", 90), ("other", 10)]),
    "first_instance": Choice([("judgment_won", 35), ("judgment_partial", 15), ("judgment_lost", 4), ("mediation", 30),
                              ("settlement", 8), ("withdrawal", 8)]),
    "second_instance": Choice([("judgment_won", 40), ("judgment_partial", 20), ("judgment_lost", 10),
                               ("mediation", 20), ("settlement", 10)]),
    "retrial": Choice([("judgment_won", 40), ("judgment_partial", 20), ("judgment_lost", 20), ("mediation", 20)]),
    "arbitration": Choice([("arbitration", 55), ("mediation", 30), ("settlement", 10), ("withdrawal", 5)]),
    "mediation": Choice([("mediation", 75), ("settlement", 20), ("other", 5)]),
    "enforcement": Choice([("settlement", 40), ("other", 60)]),
    "non_litigation": Choice([("settlement", 60), ("mediation", 30), ("other", 10)]),
    "administrative": Choice([("judgment_won", 30), ("judgment_partial", 10), ("judgment_lost", 20),
                              ("withdrawal", 25), ("mediation", 15)]),
}
RECOVERED_SHARE = {"judgment_won": (0.85, 1.0), "judgment_partial": (0.35, 0.8), "mediation": (0.5, 0.9),
                   "settlement": (0.5, 0.9), "arbitration": (0.7, 1.0)}
TERMINATION = {
    "criminal": Choice([("proceedings_ended", 40), ("own_counsel", 50), ("other", 10)]),
    "other": Choice([("recipient_request", 35), ("own_counsel", 25), ("proceedings_ended", 15),
                     ("no_longer_eligible", 10), ("concealment", 5), ("other", 10)]),
}
TERMINATION_NOTE = {"proceedings_ended": "案件终止审理", "own_counsel": "受援人已自行委托律师",
                    "recipient_request": "受援人与对方达成和解，申请终止法律援助", "no_longer_eligible": "受援人经济状况好转",
                    "concealment": "受援人隐瞒与案件有关的重要事实", "other": "其他法定情形", "fraud": "", "illegal_use": ""}
SCORE = Choice([((90, 100), 25), ((80, 89), 45), ((60, 79), 28), ((40, 59), 2)])
PROGRESS_KINDS = {
    "criminal": [("meeting", "会见犯罪嫌疑人、被告人，了解案情，告知诉讼权利。"), ("file_reading", "到法院查阅、复制案卷材料。"),
                 ("filing", "提交辩护意见书。"), ("hearing", "出庭参加庭审，发表辩护意见。")],
    "civil": [("meeting", "会见受援人，了解案情，告知权利义务。"), ("evidence", "调取合同、工资条及考勤记录等证据。"),
              ("filing", "向法院提交起诉状及证据目录。"), ("mediation", "参加调解，对方同意分期支付。"),
              ("hearing", "出庭参加诉讼，发表代理意见。")],
    "administrative": [("meeting", "会见受援人，了解案情。"), ("evidence", "收集行政行为相关材料。"),
                       ("filing", "提交行政起诉状。"), ("hearing", "出庭参加诉讼，发表代理意见。")],
}
CHANGE_REASONS = ["原承办人工作调动", "原承办人因病不能继续承办", "受援人申请更换承办人（法律援助法第五十五条）"]
PROGRESS_COUNT = Choice([(1, 45), (2, 35), (3, 20)])
FOLLOWUP_CHANNEL = Choice([("phone", 80), ("visit", 10), ("letter", 3), ("online", 7)])
SATISFACTION = Choice([("satisfied", 86), ("basically", 12), ("unsatisfied", 1), ("", 1)])


class Plan:
    """One case as the services would have left it today."""

    __slots__ = ("id", "source", "origin", "acc", "category", "stage", "cause", "station", "person", "count", "mass",
                 "opposing", "amount", "green", "advance", "role", "ground", "organ", "year", "seq", "groups",
                 "status", "handler", "kind", "assigned", "changed", "handler2", "signed", "signed2", "closed",
                 "outcome", "recovered", "submitted", "returned", "resubmitted", "archived", "graded", "score",
                 "grade", "terminated", "reason", "reason_number", "substantive", "major", "outside", "aid_form", "case_role",
                 "litigation", "followed", "heard")


def seed_scale(*, cases: int, rng, stdout) -> None:
    Cases(rng, stdout).run()


class Cases:
    def __init__(self, rng, stdout):
        self.rng = rng
        self.t = Timeline()
        self.progress = Progress(stdout, "cases")
        self.users = user_ids()
        self.profile = CenterProfile.get()
        self.scale = GradingScale.current()
        self.people = PersonTable(self.t)
        self.person_index = self.people.index_of()
        self.handlers = {pk: (kind, years, juvenile, active, user, name) for pk, kind, years, juvenile, active, user, name
                         in Handler.objects.values_list("pk", "kind", "criminal_years", "juvenile_suitable", "active",
                                                        "user_id", "name")}
        self.numbers: dict[tuple[str, int], int] = {}
        self.duration_tables: dict[tuple[str, str], list[int]] = {}
        self.lags = {"file": [lognormal_days(rng, 12, 0.6, 2, 30) for _k in range(4096)],
                     "review": [lognormal_days(rng, 9, 0.6, 1, 28) for _k in range(4096)]}
        self.clerk, self.reviewer, self.director = (self.users.get(u) for u in ("clerk", "reviewer", "director"))
        with translation.override(settings.LANGUAGE_CODE):
            self.terminated_text = gettext("Legal aid terminated")

    # --- reading what intake wrote ------------------------------------------------------------------------
    def origins(self) -> list[Plan]:
        read = provided("case_origins", kind="scale")  # intake's records, read by intake (cases sit below it)
        applications, notices = read(self.t.start) if read is not None else ([], [])
        plans = []
        for (pk, acc, category, cause, stage, station, person, count, mass, opposing, amount, green, advance,
             role) in applications:
            p = Plan()
            p.source, p.origin, p.acc, p.category, p.cause, p.station, p.person = ("application", pk, acc,
                                                                                    category, cause, station,
                                                                                    person)
            p.count, p.mass, p.opposing, p.amount, p.green, p.advance = count, mass, opposing, amount, green, \
                advance
            p.stage = stage or ("trial" if category == "criminal" else "first_instance")
            p.aid_form, p.case_role = _aid_form(category, cause, stage, role)
            p.role, p.ground, p.organ = role, "", ""
            plans.append(p)
        for pk, acc, stage, cause, station, person, organ, ground in notices:
            p = Plan()
            p.source, p.origin, p.acc, p.category, p.cause, p.station, p.person = ("notice", pk, acc, "criminal",
                                                                                    cause, station, person)
            p.count, p.mass, p.opposing, p.amount, p.green, p.advance = 1, False, "", None, False, False
            p.stage, p.aid_form, p.case_role, p.role, p.ground, p.organ = (stage, "criminal_defence", "defence",
                                                                            "", ground, organ)
            plans.append(p)
        plans.sort(key=lambda p: (p.acc, p.source, p.origin))
        return plans

    def number(self, kind: str, year: int) -> str:
        key = (kind, year)
        seq = self.numbers[key] = self.numbers.get(key, 0) + 1
        return self.profile.document_number_pattern.format(year=year, abbr=self.profile.abbr,
                                                           word=DOCUMENT_WORDS[kind], seq=seq)

    # --- the walk --------------------------------------------------------------------------------------------
    def run(self) -> None:
        t = self.t
        plans = self.origins()
        self.progress.done("(cases to open)", len(plans))
        ids = reserve_ids(Case, len(plans))
        seqs: dict[tuple[int, str], int] = {}
        pools = self.handler_pools()
        for pk, p in zip(ids, plans, strict=True):
            p.id = pk
            p.year = t.years[p.acc]
            key = (p.year, p.category)
            p.seq = seqs[key] = seqs.get(key, 0) + 1
            p.groups = self.people.groups(self.person_index[p.person], t.dates[p.acc])
            p.litigation = rules.is_litigation(aid_form=p.aid_form, stage=p.stage)
            self.walk(p, pools)
        for p in plans:
            self.follow(p)
        bump_sequences({(f"case:{category}", year): last for (year, category), last in seqs.items()})
        self.write_cases(plans)
        self.link_origins(plans)
        self.write_assignments(plans)
        self.write_work(plans)
        self.write_quality(plans)
        bump_sequences({(f"doc:{kind}", year): last for (kind, year), last in self.numbers.items()})

    def durations(self, category: str, stage: str) -> list[int]:
        """Days from assignment to closing, drawn once per kind of case (a table to pick from)."""
        key = (category, stage)
        table = self.duration_tables.get(key)
        if table is None:
            median, longest = DURATION.get(key, (150, 540))
            table = self.duration_tables[key] = [lognormal_days(self.rng, median, 0.55, 7, longest)
                                                 for _k in range(4096)]
        return table

    def handler_pools(self) -> dict[tuple[bool, bool, bool], list[tuple[int, bool]]]:
        """Handlers by (criminal, needs 3 years' criminal experience, needs juvenile suitability): (id, active)."""
        pools = {}
        lawyers = {"practising_lawyer", "aid_lawyer"}
        for criminal in (False, True):
            for senior in (False, True):
                for juvenile in (False, True):
                    pools[(criminal, senior, juvenile)] = [
                        (pk, active) for pk, (kind, years, suited, active, _u, _n) in self.handlers.items()
                        if (kind in lawyers or not criminal) and (years >= 3 or not senior) and (suited or not juvenile)
                    ] or [(pk, h[3]) for pk, h in self.handlers.items()]
        return pools

    def walk(self, p: Plan, pools) -> None:
        """Take the case through the services' states, stopping at today."""
        t, rng = self.t, self.rng
        r = rng.random
        today = t.today
        p.handler = p.kind = p.assigned = p.changed = p.handler2 = p.signed = p.signed2 = None
        p.closed = p.outcome = p.recovered = p.submitted = p.returned = p.resubmitted = None
        p.archived = p.graded = p.score = p.grade = p.terminated = p.reason = None
        p.substantive = False
        life_or_death = p.ground in rules.LIFE_OR_DEATH_GROUNDS or p.stage == "death_review"
        p.major = (r() < 0.6) if life_or_death else r() < 0.015
        p.outside = r() < 0.03
        p.status = "awaiting"
        # Terminated before anyone was assigned (the recipient engaged counsel, the proceedings ended).
        if r() < 0.008:
            day = p.acc + between(rng, 0, 3)
            if day <= today:
                p.status, p.terminated = "terminated", day
                p.reason = "own_counsel" if r() < 0.6 else "proceedings_ended"
            return
        lag = 0 if (p.green or p.advance) and r() < 0.9 else (between(rng, 4, 10) if r() < 0.04 else
                                                               pick(rng, (0, 0, 0, 0, 1, 1, 1, 2, 2, 3)))
        assigned = p.acc + lag
        if assigned > today or (today - p.acc < 60 and r() < 0.004):
            return  # still awaiting assignment (overdue once assign_due has passed)
        pool = pools[(p.category == "criminal", life_or_death,
                      "minor" in p.groups or p.ground == "minor")]
        for _attempt in range(6):
            handler, active = pick(rng, pool)
            if active or today - p.acc > 1100:
                break
        p.status, p.handler, p.assigned, p.kind = "assigned", handler, assigned, self.handlers[handler][0]
        signed = assigned + (between(rng, 6, 12) if r() < 0.03 else between(rng, 0, 5))
        p.signed = signed if signed <= today else None
        duration = pick(rng, self.durations(p.category, p.stage))
        closed = max(assigned, signed) + duration
        if duration > 40 and r() < 0.015:
            change = assigned + between(rng, 10, duration // 2)
            if change <= today:
                for _attempt in range(6):
                    other, active = pick(rng, pool)
                    if other != handler and (active or today - p.acc > 1100):
                        p.changed, p.handler2 = change, other
                        break
                if p.changed is not None:
                    signed2 = change + between(rng, 0, 5)
                    p.signed2 = signed2 if signed2 <= today else None
        if r() < 0.025:
            day = assigned + between(rng, 5, max(6, duration))
            if day <= today and (p.changed is None or day > p.changed):
                p.status, p.terminated = "terminated", day
                p.reason = TERMINATION["criminal" if p.category == "criminal" else "other"](rng)
                p.substantive = r() < 0.6
                return
        if closed > today:
            return
        # Closed (Art. 50).
        p.status, p.closed = "closed", closed
        p.outcome = OUTCOMES["administrative" if p.category == "administrative" else p.stage](rng)
        if p.amount is not None and p.outcome in RECOVERED_SHARE:
            low, high = RECOVERED_SHARE[p.outcome]
            p.recovered = f"{round(float(p.amount) * (low + r() * (high - low)), -1):.2f}"
        elif p.category != "criminal" and p.amount is not None:
            p.recovered = "0.00"
        if today - closed < 700 and r() < 0.003:
            return  # the handler never handed the file in: overdue
        submitted = closed + (between(rng, 31, 60) if r() < 0.06 else pick(rng, self.lags["file"]))
        if submitted > today:
            return
        p.submitted = submitted
        review = submitted + (between(rng, 31, 45) if r() < 0.02 else pick(rng, self.lags["review"]))
        if r() < 0.05:
            returned = submitted + between(rng, 3, 15)
            if returned > today:
                return
            p.returned = returned
            resubmitted = returned + between(rng, 2, 10)
            if resubmitted > today:
                p.submitted = None  # back with the handler
                return
            p.resubmitted = resubmitted
            review = resubmitted + between(rng, 2, 10)
        if review > today:
            return
        p.status, p.archived = "archived", review
        graded = review + between(rng, 0, 10)
        if graded > today:
            return
        low, high = SCORE(rng)
        p.graded, p.score = graded, between(rng, low, high)
        p.grade = rules.grade_for(p.score, self.scale)

    def follow(self, p: Plan) -> None:
        """The day of the case's follow-up and of the hearing attended, if any: drawn with the case, whose
        row carries the flags the database keeps from them (Case.has_followup)."""
        rng, r, today = self.rng, self.rng.random, self.t.today
        p.followed = p.heard = None
        if p.closed is not None:
            day = p.closed + between(rng, 1, 30) if r() < 0.85 else None
        elif p.status == "assigned" and r() < 0.05:
            day = p.assigned + between(rng, 15, 60)
        else:
            day = None
        if day is not None and day <= today:
            p.followed = day
        if p.closed is not None and p.litigation and r() < 0.06:
            p.heard = p.assigned + int(r() * (p.closed - p.assigned + 1))

    # --- cases ---------------------------------------------------------------------------------------------
    def write_cases(self, plans: list[Plan]) -> None:
        t, rng = self.t, self.rng
        r = rng.random
        iso = t.iso
        pattern, abbr = self.profile.case_number_pattern, self.profile.abbr
        clerk = self.users.get("clerk")
        for p in sorted((p for p in plans if p.terminated is not None), key=lambda p: (p.terminated, p.id)):
            p.reason_number = self.number("termination", t.years[p.terminated])

        assign_due = {"notice": t.due_table("notice_assign"), "application": t.due_table("case_assign")}
        agreement_due, file_due_table = t.due_table("agreement_sign"), t.due_table("file_submit")
        archive_due_table, notify_due = t.due_table("archive_review"), t.due_table("termination_notify")
        kind_word = CASE_KIND_WORD

        def notified(p: Plan) -> tuple:
            """The notice of a criminal termination to the organ, one to three days after it (none yet when
            that day is still to come); no random draw, so the rest of the data stays as it was."""
            if p.terminated is None or p.category != "criminal":
                return None, ""
            day = p.terminated + 1 + p.id % 3
            return (iso[day], "served" if p.id % 2 else "post") if day <= t.today else (None, "")

        def rows():
            for p in plans:
                status = p.status
                assigned, changed, closed, terminated = p.assigned, p.changed, p.closed, p.terminated
                current = changed if changed is not None else assigned
                signed = p.signed2 if changed is not None else p.signed
                submitted = p.resubmitted if p.resubmitted is not None else p.submitted
                handler_name = self.handlers[p.handler2 or p.handler][5] if p.handler else ""
                yield (
                    p.id, pattern.format(year=p.year, abbr=abbr, kind=kind_word[p.category], seq=p.seq), p.year,
                    p.seq, status, p.category, p.source,
                    p.organ, p.stage, p.aid_form, p.case_role, p.cause, p.litigation, p.person,
                    "{" + ",".join(p.groups) + "}", p.count, p.mass, p.opposing, p.amount, p.station, p.green,
                    p.advance, p.major, p.outside, iso[p.acc], iso[assign_due[p.source][p.acc]],
                    p.handler2 or p.handler, None if assigned is None else iso[assigned], p.kind or "",
                    None if current is None else iso[agreement_due[current]],
                    None if signed is None else iso[signed],
                    None if closed is None else iso[closed], p.outcome or "", p.recovered,
                    "" if closed is None else f"本案已办结，承办人{handler_name}依法履行职责，维护了受援人合法权益。",
                    None if closed is None else iso[file_due_table[p.returned if p.returned is not None else closed]],
                    None if submitted is None else iso[submitted],
                    iso[archive_due_table[submitted]] if status == "closed" and submitted is not None else None,
                    None if p.archived is None else iso[p.archived],
                    None if terminated is None else iso[terminated],
                    "" if terminated is None else p.reason_number,
                    iso[notify_due[terminated]] if terminated is not None and p.category == "criminal" else None,
                    *notified(p),
                    p.reason or "", "" if terminated is None else TERMINATION_NOTE.get(p.reason, ""),
                    p.substantive, p.grade or "", p.score, None if p.graded is None else iso[p.graded], "",
                    t.stamp(p.acc, 540 + int(r() * 420)), clerk, p.followed is not None, p.heard is not None)

        with loading(Case):
            count = copy_rows(Case, [
                "id", "number", "year", "seq", "status", "category", "source", "organ",
                "stage", "aid_form", "role", "cause", "is_litigation", "recipient_id", "recipient_groups",
                "recipient_count", "is_mass", "opposing_party", "amount_involved", "station_id", "green_channel",
                "advance_aid", "major", "outside_county", "accepted_on", "assign_due", "handler_id", "assigned_on",
                "handler_kind", "agreement_due", "agreement_signed_on", "closed_on", "outcome", "amount_recovered",
                "closing_report", "file_due", "file_submitted_on", "archive_due", "archived_on", "terminated_on",
                "termination_number", "termination_notify_due", "termination_notified_on", "termination_notify_means",
                "termination_reason", "termination_note",
                "substantive_work", "grade", "score", "graded_on", "import_fingerprint", "created_at",
                "created_by_id", "has_followup", "has_hearing"], rows())
        self.progress.done("cases", count)

    def link_origins(self, plans: list[Plan]) -> None:
        """Each granted application and each notice links to the case opened from it (the link is intake's)."""
        link = provided("link_cases", kind="scale")
        if link is not None:
            for source in ("application", "notice"):
                link(source, [(p.origin, p.id) for p in plans if p.source == source])

    def write_assignments(self, plans: list[Plan]) -> None:
        t = self.t
        iso = t.iso
        clerk = self.users.get("clerk")
        entries = []  # (day, case plan, second?)
        for p in plans:
            if p.assigned is not None:
                entries.append((p.assigned, p.id, p, False))
                if p.changed is not None:
                    entries.append((p.changed, p.id, p, True))
        entries.sort(key=lambda e: (e[0], e[1], e[3]))

        def rows():
            for day, _pk, p, second in entries:
                year = t.years[day]
                number = self.number("assignment", year)
                letter = self.number("letter", year) if p.source == "notice" else ""
                if second:
                    handler, signed, ended, reason = p.handler2, p.signed2, p.terminated, ""
                    if ended is not None:
                        reason = self.terminated_text
                else:
                    handler, signed = p.handler, p.signed
                    ended = p.changed if p.changed is not None else p.terminated
                    reason = pick(self.rng, CHANGE_REASONS) if p.changed is not None else (
                        self.terminated_text if ended is not None else "")
                # A notice case's 法律援助公函: due as the assignment's own 3 days (Art. 36), sent within two days of
                # the assignment (never after today).
                letter_due = iso[t.due("notice_assign", day)] if letter else None
                letter_sent = iso[min(day + int(self.rng.random() * 3), t.today)] if letter else None
                yield (p.id, handler, self.handlers[handler][0], number, iso[day], clerk, letter, "",
                       iso[ended] if ended is not None else None, reason, iso[t.due("agreement_sign", day)],
                       iso[signed] if signed is not None else None, letter_due, letter_sent)

        with loading(Assignment):
            count = copy_rows(Assignment, ["case_id", "handler_id", "handler_kind", "number", "assigned_on",
                                           "assigned_by_id", "letter_number", "override_reason", "ended_on",
                                           "end_reason", "agreement_due", "agreement_signed_on", "letter_due",
                                           "letter_sent_on"], rows())
        self.progress.done("assignments", count)

    def write_work(self, plans: list[Plan]) -> None:
        """Progress entries and collective discussions, dated between the assignment and the end."""
        t, rng = self.t, self.rng
        r = rng.random
        iso = t.iso
        clerk = self.clerk

        def progress_rows():
            for p in plans:
                if p.assigned is None:
                    continue
                start = p.signed if p.signed is not None else p.assigned
                end = min(t.today, p.closed if p.closed is not None else (
                    p.terminated if p.terminated is not None else t.today))
                if end < start:
                    continue
                kinds = PROGRESS_KINDS[p.category]
                user = self.handlers[p.handler2 or p.handler][4] or clerk
                n = PROGRESS_COUNT(rng) if end - start > 5 else 1
                span = end - start + 1
                # The first meeting, then further work in the order it usually comes, on days that follow.
                days = sorted(start + int(r() * span) for _k in range(n))
                picked = sorted(int(r() * len(kinds)) for _k in range(n - 1))
                for day, k in zip(days, [0, *picked], strict=True):
                    kind, note = kinds[k]
                    if kind == "hearing" and not p.litigation:
                        kind, note = "meeting", "与受援人沟通案件进展。"
                    yield (p.id, kind, iso[day], note, user, t.stamp(day, 900 + int(r() * 180)))

        with loading(ProgressEntry):
            count = copy_rows(ProgressEntry, ["case_id", "kind", "date", "note", "recorded_by_id", "created_at"],
                              progress_rows())
        self.progress.done("progress entries", count)

        def discussions():
            for p in plans:
                if not p.major or p.assigned is None:
                    continue
                day = min(t.today, p.assigned + between(rng, 2, 20))
                for end in (p.closed, p.terminated):
                    if end is not None:
                        day = min(day, end)
                name = self.handlers[p.handler][5]
                yield (p.id, iso[day], f"周主任、郑审查、{name}", "案情重大复杂，经集体讨论，确定辩护（代理）思路，由承办人按讨论意见办理。")
        with loading(Discussion):
            count = copy_rows(Discussion, ["case_id", "held_on", "participants", "conclusion"], discussions())
        self.progress.done("collective discussions", count)

    def write_quality(self, plans: list[Plan]) -> None:
        t, rng = self.t, self.rng
        r = rng.random
        iso = t.iso
        today = t.today
        reviewer, director = self.reviewer, self.director
        full = {"application": json.dumps({code: True for code, _l in rules.ARCHIVE_ITEMS}),
                "notice": json.dumps({code: True for code, _l in rules.ARCHIVE_ITEMS
                                      if code not in ("hardship", "decision")})}
        short = {k: json.dumps({**json.loads(v), "opinion_form": False}) for k, v in full.items()}

        def reviews():
            for p in plans:
                if p.returned is not None:
                    yield (p.id, iso[p.returned], reviewer, "returned", short[p.source], "缺征询意见表，请补充后重新提交。")
                if p.archived is not None:
                    yield (p.id, iso[p.archived], reviewer, "passed", full[p.source], "")

        with loading(ArchiveReview):
            count = copy_rows(ArchiveReview, ["case_id", "reviewed_on", "reviewer_id", "result", "checklist",
                                              "reasons"], reviews())
        self.progress.done("archive reviews", count)

        def followups():
            for p in plans:
                if p.followed is None:
                    continue
                day = p.followed
                satisfaction = SATISFACTION(rng)
                yield (p.id, iso[day], FOLLOWUP_CHANNEL(rng), satisfaction,
                       "回访受援人，对承办人工作表示满意。" if satisfaction in ("satisfied", "basically") else
                       ("受援人对案件结果有意见，已作解释。" if satisfaction else "未能取得联系，已留言。"),
                       reviewer if r() < 0.8 else director)

        with loading(FollowUp):
            count = copy_rows(FollowUp, ["case_id", "date", "channel", "satisfaction", "notes", "recorded_by_id"],
                              followups())
        self.progress.done("follow-ups", count)

        def opinions():
            for p in plans:
                if p.closed is None or not p.litigation or r() >= 0.35:
                    continue
                sent = p.closed + between(rng, 0, 10)
                if sent > today:
                    continue
                received = sent + between(rng, 5, 30)
                organ = "人民检察院" if p.stage in ("investigation", "prosecution") else "人民法院"
                got = received <= today
                yield (p.id, f"示范县{organ}", iso[sent], iso[received] if got else None,
                       (SATISFACTION(rng) or "satisfied") if got else "", "承办人认真负责，按时出庭。" if got else "")

        with loading(OpinionLetter):
            count = copy_rows(OpinionLetter, ["case_id", "organ", "sent_on", "received_on", "satisfaction",
                                              "content"], opinions())
        self.progress.done("opinion letters", count)

        def hearings():
            for p in plans:
                if p.heard is not None:
                    yield (p.id, iso[p.heard], "周主任", "示范县人民法院", "庭前准备充分，代理意见条理清楚。")

        with loading(HearingAttendance):
            count = copy_rows(HearingAttendance, ["case_id", "date", "attendee", "court", "assessment"], hearings())
        self.progress.done("hearing attendances", count)

        def inspections():
            for p in plans:
                if p.archived is None or r() >= 0.08:
                    continue
                day = min(today, p.archived + between(rng, 0, 30))
                yield (p.id, iso[day], "郑审查", "案卷装订规范，材料齐全。")

        with loading(FileInspection):
            count = copy_rows(FileInspection, ["case_id", "date", "inspector", "findings"], inspections())
        self.progress.done("file inspections", count)

        names = self.people.rows
        index = self.person_index

        def complaints():
            for p in plans:
                if p.assigned is None or r() >= 0.0015:
                    continue
                day = p.assigned + between(rng, 5, 60)
                if day > today:
                    continue
                resolved = day + between(rng, 3, 20)
                done = resolved <= today
                yield (p.id, iso[day], names[index[p.person]][9], "反映承办人与受援人沟通不及时。",
                       "已约谈承办人，督促其及时告知案件进展。" if done else "", iso[resolved] if done else None,
                       (r() < 0.2) if done else None)

        with loading(Complaint):
            count = copy_rows(Complaint, ["case_id", "received_on", "complainant", "content", "handling",
                                          "resolved_on", "substantiated"], complaints())
        self.progress.done("complaints", count)


def _aid_form(category: str, cause: str, stage: str, criminal_role: str) -> tuple[str, str]:
    """The aid form and role a granted application opens its case with (as intake.services._aid_form)."""
    if category == "criminal":
        return ("criminal_defence", "defence") if criminal_role != "victim" else ("criminal_representation", "victim")
    if cause == "state_compensation":
        return "state_compensation", "plaintiff"
    if stage == "arbitration":
        return "labour_arbitration", "plaintiff"
    if stage == "mediation":
        return "labour_mediation", "plaintiff"
    if stage == "non_litigation":
        return "non_litigation", "plaintiff"
    if category == "administrative":
        return "admin_litigation", "plaintiff"
    return "civil_litigation", "plaintiff"
