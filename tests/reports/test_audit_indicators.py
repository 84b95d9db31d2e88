"""Audit: every indicator of the 指标 sheet against a hand count on one adversarial dataset built through
the real services (STATISTICS.md, reports/DECISIONS.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from applicants import services as person_services
from applicants.models import VulnerableEntry
from cases import editing as case_editing
from cases import rules
from cases import services as cs
from cases.models import Case
from funding import services as fs
from funding.models import Subsidy, SubsidyPayment
from intake import services as ins
from intake.models import Application, Consultation, CriminalNotice, Matter
from publicity import services as pub
from reports import indicators as ind
from reports.periods import parse_period
from stations import services as st
from stations.models import ContactPoint, Liaison, Station, Volunteer
from tests.factories import HandlerFactory, PersonFactory, resident_id

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = date
TODAY = D(2026, 12, 5)
NOW = "2026-12-05 10:00:00+08:00"


def on(day: date):
    return freeze_time(datetime(day.year, day.month, day.day, 10, 0, tzinfo=SH))


def tick_all(app, by):
    ins.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=by, on=app.received_on)


def receive(by, person, received_on, **kw):
    kw.setdefault("category", "civil")
    kw.setdefault("cause", "labour_pay")
    app = ins.application_receive(application=Application(applicant=person, received_on=received_on, **kw), by=by)
    return app


def to_review(app, clerk):
    tick_all(app, clerk)
    return ins.application_submit_review(application=app, by=clerk)


CHIEF = [None]


def archive(case, by, closed, submitted, archived, score=None, graded=None, recovered=None, outcome="mediation"):
    cs.case_close(case=case, closed_on=closed, outcome=outcome, closing_report="结案", by=by,
                  amount_recovered=recovered)
    if submitted:
        cs.case_submit_file(case=case, submitted_on=submitted, by=by)
    if archived:
        items = rules.archive_items(case)
        cs.case_archive_review(case=case, result="passed", checklist={c: True for c, _l in items}, on=archived,
                               by=CHIEF[0])
    if graded:
        cs.case_grade(case=Case.objects.get(pk=case.pk), score=score, on=graded, by=CHIEF[0])
    return Case.objects.get(pk=case.pk)



# --- the world ----------------------------------------------------------------------------------------

class W:
    """What was created, as facts written down while creating it (the oracle reads only these)."""

    def __init__(self):
        self.cases = {}  # name → dict of facts
        self.apps = {}
        self.consultations = []  # (local datetime, channel, count, station?)
        self.matters = []  # (date, kind, count, plea, station?)
        self.events = []  # (date, materials, onsite, audience, station?)
        self.media = []  # (date, level, station?)
        self.budgets = []  # (year, source, amount)
        self.spending = []  # (date, category, amount)
        self.payments = []  # (date, amount, case name)
        self.followups = []  # (date, satisfaction, case name)
        self.discussions = []  # (date, case name)
        self.complaints = []  # (date, case name)
        self.network = []  # (kind, station pk or None, opened, closed spans [(from, to or None)])


def person(n, born, sex="M", **kw):
    return PersonFactory(id_number=resident_id(n, born=born, female=sex == "F"), birth_date=born, sex=sex, **kw)


def build(org, station_a, staff_a) -> W:
    u = org["users"]
    director, clerk, reviewer, finance = u["director"], u["clerk"], u["reviewer"], u["finance"]
    w = W()
    CHIEF[0] = director
    sa = station_a.pk
    law = HandlerFactory(kind="practising_lawyer", juvenile_suitable=True, criminal_years=10)
    grass = HandlerFactory(kind="grassroots_worker", juvenile_suitable=True, criminal_years=10)
    aid = HandlerFactory(kind="aid_lawyer", juvenile_suitable=True, criminal_years=10)

    teen = person(101, D(2007, 3, 15), "F")  # 18 on 15 March 2025
    old = person(102, D(1965, 7, 1))  # 60 on 1 July 2025
    late = person(103, D(1980, 1, 1))  # declares 农民工 after his first case
    reg = person(104, D(1975, 5, 5))  # 低保 until 31 May 2025
    VulnerableEntry.objects.create(name=reg.name, id_number=reg.id_number, category="dibao",
                                   valid_until=D(2025, 5, 31))
    woman = person(105, D(1990, 2, 2), "F")
    plain = person(106, D(1985, 6, 15))
    plain2 = person(107, D(1986, 6, 15))
    kid = person(108, D(2009, 6, 1))
    woman2 = person(109, D(1991, 2, 2), "F")

    def fact(name, case, **f):
        case.refresh_from_db()
        base = dict(pk=case.pk, accepted=case.accepted_on, category=case.category, source=case.source,
                    station=case.station_id, litigation=None, groups=set(), cause=case.cause, mass=False, count=1,
                    involved=Decimal("0"), lawyer=False, assigned=None, closed=None, terminated=None,
                    recovered=Decimal("0"), graded=None, grade=None, hearing=False, followup=False,
                    stage=case.stage)
        base.update(f)
        w.cases[name] = base
        return case

    def assign(case, h, day, signed):
        cs.case_assign(case=case, handler=h, on=day, by=clerk, override_reason="审计")
        cs.case_sign_agreement(case=Case.objects.get(pk=case.pk), signed_on=signed, by=clerk)

    with freeze_time(NOW):
        # C1: granted application (2 recipients), lawyer, closed 30 June, archived, graded excellent in H2.
        a1 = receive(clerk, woman, D(2025, 1, 2), recipient_count=2, amount_involved=Decimal("10000.50"))
        to_review(a1, clerk)
        a1, c1 = ins.application_grant(application=a1, by=reviewer, decided_on=D(2025, 1, 6))
        assign(c1, law, D(2025, 1, 7), D(2025, 1, 8))
        cs.hearing_record(case=Case.objects.get(pk=c1.pk), by=director, date=D(2025, 3, 1), attendee="周主任")
        c1 = archive(c1, clerk, D(2025, 6, 30), D(2025, 7, 2), D(2025, 7, 5), 95, D(2025, 7, 10),
                     recovered=Decimal("1000.50"), outcome="judgment_won")
        cs.followup_record(case=Case.objects.get(pk=c1.pk), by=director, date=D(2025, 7, 20), satisfaction="satisfied")
        w.followups.append((D(2025, 7, 20), "satisfied", "c1"))
        fact("c1", c1, litigation=True, groups={"women"}, count=2, involved=Decimal("10000.50"), lawyer=True,
             assigned=D(2025, 1, 7), closed=D(2025, 6, 30), recovered=Decimal("1000.50"), graded=D(2025, 7, 10),
             grade="excellent", hearing=True, followup=True)
        w.apps["a1"] = dict(received=D(2025, 1, 2), decided=D(2025, 1, 6), status="granted", station=None,
                            due=Application.objects.get(pk=a1.pk).review_due)

        # C2: 59 on acceptance; grassroots worker who later becomes an aid lawyer; closed after 2025.
        c2 = cs.case_open(recipient=old, category="civil", accepted_on=D(2025, 6, 30), by=clerk, stage="first_instance",
                          aid_form="civil_litigation", cause="labour_pay")
        assign(c2, grass, D(2025, 7, 1), D(2025, 7, 2))
        # C3: 17 the day before her birthday: a minor, not a woman; terminated unassigned.
        c3 = cs.case_open(recipient=teen, category="civil", accepted_on=D(2025, 3, 14), by=clerk,
                          stage="first_instance", aid_form="civil_litigation", cause="labour_pay")
        cs.case_terminate(case=c3, reason="own_counsel", on=D(2025, 4, 1), by=director)
        fact("c3", c3, litigation=True, groups={"minor"}, terminated=D(2025, 4, 1))
        # C4: 18 on the day: a woman; mediation (non-litigation); handler changed; closed on 30 Sept.
        c4 = cs.case_open(recipient=teen, category="civil", accepted_on=D(2025, 3, 15), by=clerk, stage="mediation",
                          aid_form="labour_mediation", cause="labour_pay", amount_involved=Decimal("333.33"))
        assign(c4, law, D(2025, 3, 16), D(2025, 3, 17))
        cs.case_change_handler(case=c4, handler=grass, on=D(2025, 8, 1), reason="律师调离", by=director)
        cs.case_sign_agreement(case=Case.objects.get(pk=c4.pk), signed_on=D(2025, 8, 2), by=clerk)
        c4 = archive(c4, clerk, D(2025, 9, 30), D(2025, 10, 2), D(2025, 10, 5), 85, D(2025, 10, 6),
                     recovered=Decimal("500.00"))
        fact("c4", c4, litigation=False, groups={"women"}, involved=Decimal("333.33"), lawyer=True,
             assigned=D(2025, 3, 16), closed=D(2025, 9, 30), recovered=Decimal("500.00"), graded=D(2025, 10, 6),
             grade="good")
        # C5: 60 on the day: elderly; administrative; never assigned.
        c5 = cs.case_open(recipient=old, category="administrative", accepted_on=D(2025, 7, 1), by=clerk,
                          stage="first_instance", aid_form="admin_litigation", cause="administrative")
        cs.discussion_record(case=Case.objects.get(pk=c5.pk), held_on=D(2025, 7, 2), participants="全体", conclusion="同意", by=director)
        w.discussions.append((D(2025, 7, 2), "c5"))
        fact("c5", c5, litigation=True, groups={"elderly"})
        # C6: 低保 valid on the day (31 May), station A; terminated, overturned and resumed.
        c6 = cs.case_open(recipient=reg, category="civil", accepted_on=D(2025, 5, 31), by=clerk, stage="first_instance",
                          aid_form="civil_litigation", cause="labour_pay", station=station_a)
        assign(c6, aid, D(2025, 6, 2), D(2025, 6, 3))
        cs.case_terminate(case=Case.objects.get(pk=c6.pk), reason="own_counsel", on=D(2025, 10, 10), by=director)
        cs.termination_objection_file(case=Case.objects.get(pk=c6.pk), by=director, filed_on=D(2025, 10, 12),
                                      grounds="不服")
        cs.termination_objection_decide(case=Case.objects.get(pk=c6.pk), by=director, outcome="overturned",
                                        decided_on=D(2025, 10, 15))
        cs.case_resume(case=Case.objects.get(pk=c6.pk), by=director, on=D(2025, 10, 20))
        cs.discussion_record(case=Case.objects.get(pk=c6.pk), held_on=D(2026, 1, 1), participants="全体", conclusion="同意", by=director)
        w.discussions.append((D(2026, 1, 1), "c6"))
        fact("c6", c6, litigation=True, groups={"low_income"}, lawyer=True, assigned=D(2025, 6, 2))
        # C7: the registry entry expired the day before; station A; closed 31 Dec, graded 不合格 in 2026.
        c7 = cs.case_open(recipient=reg, category="civil", accepted_on=D(2025, 6, 1), by=clerk, stage="first_instance",
                          aid_form="civil_litigation", cause="labour_pay", station=station_a)
        assign(c7, law, D(2025, 6, 2), D(2025, 6, 3))
        c7 = archive(c7, clerk, D(2025, 12, 31), D(2026, 1, 5), D(2026, 1, 10), 50, D(2026, 1, 15),
                     recovered=Decimal("300.00"))
        cs.complaint_record(case=Case.objects.get(pk=c7.pk), by=director, received_on=D(2025, 12, 31), complainant="某甲", content="态度")
        w.complaints.append((D(2025, 12, 31), "c7"))
        fact("c7", c7, litigation=True, groups=set(), lawyer=True, assigned=D(2025, 6, 2), closed=D(2025, 12, 31),
             recovered=Decimal("300.00"), graded=D(2026, 1, 15), grade="fail")
        # C8: criminal notice at investigation; stage moves twice; closed in December, file never handed in.
        n1, c8 = ins.notice_register(notice=CriminalNotice(
            organ="police", received_on=D(2025, 2, 10), person=plain2, ground="minor", stage="investigation",
            cause="theft"), by=clerk)
        assign(c8, law, D(2025, 2, 11), D(2025, 2, 12))
        case_editing.case_change_stage(case=c8, to_stage="prosecution", on=D(2025, 5, 1), by=director,
                                       organ="procuratorate", notice_number="检通1", notice_received_on=D(2025, 5, 1))
        case_editing.case_change_stage(case=c8, to_stage="trial", on=D(2025, 9, 1), by=director,
                                       organ="court", notice_number="法通1", notice_received_on=D(2025, 9, 1))
        cs.hearing_record(case=Case.objects.get(pk=c8.pk), by=director, date=D(2025, 11, 1), attendee="周主任")
        cs.case_close(case=Case.objects.get(pk=c8.pk), closed_on=D(2025, 12, 15), outcome="judgment", closing_report="结案",
                      by=clerk)
        cs.followup_record(case=Case.objects.get(pk=c8.pk), by=director, date=D(2026, 1, 10), satisfaction="")
        w.followups.append((D(2026, 1, 10), "", "c8"))
        fact("c8", c8, litigation=True, groups=set(), lawyer=True, assigned=D(2025, 2, 11), closed=D(2025, 12, 15),
             hearing=True, followup=True, stage="investigation")
        # C9: notice at death-penalty review, station A, received on 31 Dec; a minor.
        n2, c9 = ins.notice_register(notice=CriminalNotice(
            organ="court", received_on=D(2025, 12, 31), person=kid, ground="minor", stage="death_review",
            cause="theft", station=station_a), by=clerk)
        assign(c9, aid, D(2026, 1, 2), D(2026, 1, 3))
        fact("c9", c9, litigation=True, groups={"minor"}, lawyer=True, assigned=D(2026, 1, 2), stage="death_review")
        # C10: a group case of 3, labour pay; the recipient declares 农民工 only later.
        c10 = cs.case_open(recipient=late, category="civil", accepted_on=D(2025, 4, 10), by=clerk,
                           stage="first_instance", aid_form="civil_litigation", cause="labour_pay", recipient_count=3,
                           is_mass=True, amount_involved=Decimal("2000.00"))
        assign(c10, grass, D(2025, 4, 20), D(2025, 4, 21))
        cs.case_close(case=Case.objects.get(pk=c10.pk), closed_on=D(2025, 5, 20), outcome="withdrawal",
                      closing_report="结案", by=clerk)
        fact("c10", c10, litigation=True, groups=set(), mass=True, count=3, involved=Decimal("2000.00"),
             assigned=D(2025, 4, 20), closed=D(2025, 5, 20))
        late.declared_groups = ["migrant_worker"]
        person_services.person_save(person=late, by=clerk)
        # C11: his next case: a migrant worker's wage claim in 2026, never assigned.
        c11 = cs.case_open(recipient=late, category="civil", accepted_on=D(2026, 2, 1), by=clerk,
                           stage="first_instance", aid_form="civil_litigation", cause="labour_pay",
                           amount_involved=Decimal("777.77"))
        fact("c11", c11, litigation=True, groups={"migrant_worker"}, involved=Decimal("777.77"))
        # C12: accepted in 2024, closed on 1 Jan 2025, followed up (rated) in 2024.
        c12 = cs.case_open(recipient=plain, category="civil", accepted_on=D(2024, 11, 1), by=clerk,
                           stage="arbitration", aid_form="labour_arbitration", cause="labour_pay")
        assign(c12, law, D(2024, 11, 4), D(2024, 11, 5))
        cs.followup_record(case=Case.objects.get(pk=c12.pk), by=director, date=D(2024, 12, 1), satisfaction="basically")
        w.followups.append((D(2024, 12, 1), "basically", "c12"))
        c12 = archive(c12, clerk, D(2025, 1, 1), D(2025, 1, 5), D(2025, 1, 10), recovered=Decimal("100.00"))
        fact("c12", c12, litigation=False, lawyer=True, assigned=D(2024, 11, 4), closed=D(2025, 1, 1),
             recovered=Decimal("100.00"), followup=True)
        # C13: 2026, station A, terminated.
        c13 = cs.case_open(recipient=woman2, category="civil", accepted_on=D(2026, 3, 2), by=clerk,
                           stage="first_instance", aid_form="civil_litigation", cause="labour_pay", station=station_a,
                           amount_involved=Decimal("50.05"))
        assign(c13, aid, D(2026, 3, 3), D(2026, 3, 4))
        cs.case_terminate(case=Case.objects.get(pk=c13.pk), reason="own_counsel", on=D(2026, 4, 1), by=director)
        fact("c13", c13, litigation=True, groups={"women"}, involved=Decimal("50.05"), lawyer=True,
             assigned=D(2026, 3, 3), terminated=D(2026, 4, 1))

        # Applications.
        a2 = to_review(receive(clerk, plain, D(2025, 6, 25)), clerk)
        ins.application_refuse(application=a2, by=reviewer, reasons="不符合条件", decided_on=D(2025, 7, 1))
        w.apps["a2"] = dict(received=D(2025, 6, 25), decided=D(2025, 7, 1), status="refused", station=None,
                            due=Application.objects.get(pk=a2.pk).review_due)
        a3 = receive(clerk, plain, D(2025, 3, 3))
        ins.application_withdraw(application=a3, by=clerk, on=D(2025, 3, 5))
        w.apps["a3"] = dict(received=D(2025, 3, 3), withdrawn=D(2025, 3, 5), status="withdrawn", station=None,
                            due=Application.objects.get(pk=a3.pk).review_due)
    with on(D(2025, 12, 30)):
        a4 = receive(staff_a, plain2, D(2025, 12, 30))
    with on(D(2026, 1, 3)):
        ins.application_forward(application=a4, by=staff_a)
    with freeze_time(NOW):
        w.apps["a4"] = dict(received=D(2026, 1, 3), status="received", station=sa,
                            due=Application.objects.get(pk=a4.pk).review_due)
        a6 = to_review(receive(clerk, woman, D(2026, 11, 20)), clerk)
        w.apps["a6"] = dict(received=D(2026, 11, 20), status="under_review", station=None,
                            due=Application.objects.get(pk=a6.pk).review_due)
        # C2's facts: the grassroots worker becomes an aid lawyer later; closed in January 2026.
        grass.kind = "aid_lawyer"
        grass.save()
        cs.case_close(case=Case.objects.get(pk=c2.pk), closed_on=D(2026, 1, 5), outcome="mediation",
                      closing_report="结案", by=clerk)
        fact("c2", c2, litigation=True, groups=set(), assigned=D(2025, 7, 1), closed=D(2026, 1, 5))

        # Consultations (Shanghai wall-clock), matters, publicity.
        for when, channel, n, stn in [
            (datetime(2024, 12, 31, 23, 59), "visit", 2, None), (datetime(2025, 1, 1, 0, 0), "phone", 3, None),
            (datetime(2025, 6, 30, 23, 59, 59), "hotline", 4, sa), (datetime(2025, 7, 1, 0, 0), "letter", 1, None),
            (datetime(2025, 2, 28, 23, 59), "online", 1, None), (datetime(2025, 3, 1, 0, 0), "online", 5, sa),
            (datetime(2025, 9, 30, 23, 59), "event", 2, sa), (datetime(2025, 10, 1, 0, 0), "visit", 7, None),
            (datetime(2025, 12, 5, 8, 0), "phone", 1, None), (datetime(2026, 12, 5, 8, 0), "visit", 2, sa),
            (datetime(2026, 1, 1, 0, 0), "hotline", 6, None),
        ]:
            by = staff_a if stn else clerk
            ins.consultation_save(consultation=Consultation(
                occurred_at=when.replace(tzinfo=SH), channel=channel, person_count=n, topic="labour_pay",
                summary="咨询", answer="答复", outcome="answered", station_id=stn), by=by)
            w.consultations.append((when, channel, n, stn))
        for day, kind, n, plea, stn in [
            (D(2025, 1, 1), "duty_lawyer", 2, True, None), (D(2025, 6, 30), "duty_lawyer", 1, False, sa),
            (D(2025, 7, 1), "drafting", 3, False, None), (D(2026, 1, 1), "drafting", 1, False, sa),
            (D(2025, 9, 30), "duty_lawyer", 4, True, sa),
        ]:
            ins.matter_save(matter=Matter(kind=kind, date=day, person_count=n, plea=plea, station_id=stn,
                                          place="法院", lawyer_name="张伟", person_name="某某"), by=clerk)
            w.matters.append((day, kind, n, plea, stn))
        for day, m, o, a, stn in [(D(2025, 6, 30), 100, 10, 50, sa), (D(2025, 7, 1), 200, 20, 150, None),
                                  (D(2026, 5, 1), 10, 1, 5, None)]:
            pub.event_create(data=dict(date=day, title="宣传", form="community", place="广场", materials=m,
                                       onsite=o, audience=a, station=station_a if stn else None), by=director)
            w.events.append((day, m, o, a, stn))
        for day, level, stn in [(D(2025, 1, 1), "city", None), (D(2025, 9, 30), "county", sa),
                                (D(2025, 10, 1), "province", None), (D(2026, 3, 3), "national", sa)]:
            pub.media_create(data=dict(date=day, outlet="报社", level=level, title="报道",
                                       station=station_a if stn else None), by=director)
            w.media.append((day, level, stn))

        # Budgets and manual spending.
        for year, source, amount in [(2025, "county", "500000"), (2025, "central", "100000.50"),
                                     (2026, "provincial", "80000"), (2026, "other", "20000"),
                                     (2024, "county", "1000")]:
            fs.budget_create(year=year, source=source, amount=Decimal(amount), by=finance)
            w.budgets.append((year, source, Decimal(amount)))
        fs.spending_create(date=D(2025, 3, 1), category="publicity", amount=Decimal("3000"), by=finance)
        w.spending.append((D(2025, 3, 1), "publicity", Decimal("3000")))
        training = fs.spending_create(date=D(2025, 9, 30), category="training", amount=Decimal("500.25"), by=finance)
        w.spending.append((D(2025, 9, 30), "training", Decimal("500.25")))
        fs.spending_create(date=D(2026, 3, 1), category="publicity", amount=Decimal("100"), by=finance)
        w.spending.append((D(2026, 3, 1), "publicity", Decimal("100")))
    with on(D(2025, 10, 15)):
        fs.spending_correct(spending=training, reason="录入错误", by=finance)
        w.spending.append((D(2025, 10, 15), "training", Decimal("-500.25")))

    # Subsidies: C1 paid 1 Aug, reversed 10 Nov, paid again 2 Feb 2026; C4 paid 20 Oct; C7 0.00 paid 2 Feb.
    def subsidy(case, amount):
        s = Subsidy.objects.get(case_id=case.pk)
        if s.amount != Decimal(amount):
            s = fs.subsidy_adjust(subsidy=s, amount=Decimal(amount), reason="审计", by=director)
        return Subsidy.objects.get(pk=s.pk)

    def pay(subs, day, zero=""):
        with freeze_time(NOW):
            batch = fs.batch_create(subsidies=subs, by=finance, zero_reason=zero)
            fs.batch_pay(batch=batch, paid_on=day, by=finance)
        return batch

    with freeze_time(NOW):
        s1 = subsidy(c1, "1200.00")
        s4 = subsidy(c4, "800.50")
        s7 = subsidy(c7, "0.00")
    b1 = pay([s1], D(2025, 8, 1))
    w.payments.append((D(2025, 8, 1), Decimal("1200.00"), "c1"))
    w.spending.append((D(2025, 8, 1), "case_subsidy", Decimal("1200.00")))
    pay([s4], D(2025, 10, 20))
    w.payments.append((D(2025, 10, 20), Decimal("800.50"), "c4"))
    w.spending.append((D(2025, 10, 20), "case_subsidy", Decimal("800.50")))
    with on(D(2025, 11, 10)):
        rev = fs.reversal_request(batch=b1, payments=list(SubsidyPayment.objects.filter(batch=b1)), reason="标准适用错误",
                                  by=finance)
        fs.reversal_approve(reversal=rev, by=director)
    w.payments.append((D(2025, 11, 10), Decimal("-1200.00"), "c1"))
    w.spending.append((D(2025, 11, 10), "case_subsidy", Decimal("-1200.00")))
    pay([Subsidy.objects.get(pk=s1.pk), s7], D(2026, 2, 2), zero="不合格")
    w.payments.append((D(2026, 2, 2), Decimal("1200.00"), "c1"))
    w.payments.append((D(2026, 2, 2), Decimal("0.00"), "c7"))
    w.spending.append((D(2026, 2, 2), "case_subsidy", Decimal("1200.00")))

    # Network: a station opened and closed in 2025 with its point and liaison; a point of station A closed in
    # May and reopened on 1 August, its liaison on 2 August; a volunteer closed 30 June, back on 1 December.
    with freeze_time(NOW):
        for s in Station.objects.all():
            w.network.append(("stations", s.pk, s.opened_on, [], s.active))
        for p_ in ContactPoint.objects.all():
            w.network.append(("contact_points", p_.station_id, p_.opened_on, [], p_.active))
        for li in Liaison.objects.select_related("contact_point"):
            w.network.append(("liaisons", li.contact_point.station_id, li.opened_on, [], li.active))
        new = st.station_create(data=dict(name="审计新站", code="audit-new", township="新镇", opened_on=D(2025, 3, 1)),
                                by=director)
        p1 = st.contact_point_create(station=new, data=dict(name="新点", opened_on=D(2025, 3, 1)), by=director)
        st.liaison_create(station=new, data=dict(contact_point=p1, name="新联络员", opened_on=D(2025, 4, 1)), by=director)
        st.station_deactivate(station=new, closed_on=D(2025, 9, 30), by=director)
        w.network += [("stations", new.pk, D(2025, 3, 1), [(D(2025, 9, 30), None)], True),
                      ("contact_points", new.pk, D(2025, 3, 1), [(D(2025, 9, 30), None)], True),
                      ("liaisons", new.pk, D(2025, 4, 1), [(D(2025, 9, 30), None)], True)]
        p2 = st.contact_point_create(station=station_a, data=dict(name="A点", opened_on=D(2025, 1, 1)), by=director)
        st.liaison_create(station=station_a, data=dict(contact_point=p2, name="A联络员", opened_on=D(2025, 1, 1)),
                          by=director)
        st.contact_point_deactivate(point=p2, closed_on=D(2025, 5, 1), by=director)
        v1 = st.volunteer_create(data=dict(name="志愿者甲", station=station_a, opened_on=D(2025, 2, 1)), by=director)
        st.volunteer_deactivate(volunteer=v1, closed_on=D(2025, 6, 30), by=director)
        st.volunteer_create(data=dict(name="志愿者乙", opened_on=D(2026, 6, 1)), by=director)
    with on(D(2025, 8, 1)):
        st.contact_point_reactivate(point=ContactPoint.objects.get(pk=p2.pk), by=director)
    with on(D(2025, 8, 2)):
        st.liaison_reactivate(liaison=Liaison.objects.get(contact_point=p2), by=director)
    with on(D(2025, 12, 1)):
        st.volunteer_reactivate(volunteer=Volunteer.objects.get(pk=v1.pk), by=director)
    w.network += [("contact_points", sa, D(2025, 1, 1), [(D(2025, 5, 1), D(2025, 8, 1))], True),
                  ("liaisons", sa, D(2025, 1, 1), [(D(2025, 5, 1), D(2025, 8, 2))], True),
                  ("volunteers", sa, D(2025, 2, 1), [(D(2025, 6, 30), D(2025, 12, 1))], True),
                  ("volunteers", None, D(2026, 6, 1), [], True)]
    w.station_a = sa
    return w



# --- the hand count -----------------------------------------------------------------------------------

LATE_ASSIGNED = {"c10"}  # assigned 20 April, due 14 April; every other first assignment was on time
# Past a deadline at an end date (worked out from the deadlines printed on each record; DECISIONS.md):
# c5 awaits assignment from 4 July 2025, c11 from 4 Feb 2026; c10's file was due 19 June 2025, c8's 14 Jan 2026,
# c2's 4 Feb 2026, none handed in; applications a4 (due 12 Jan 2026, station A) and a6 (due 27 Nov 2026).
# The notice cases' 法律援助公函 are never recorded as sent (DOMAIN §5, Art. 36: within 3 days): c8's letters
# (assignment 11 Feb, stage changes 1 May and 1 Sep 2025) are late while it is open, until it closes on 15 Dec;
# c9's (assigned 2 Jan 2026, station A) from early January 2026 on.
OVERDUE = {D(2025, 6, 30): {"c10", "c8"}, D(2025, 9, 30): {"c5", "c10", "c8"}, D(2025, 12, 31): {"c5", "c10"},
           D(2025, 12, 5): {"c5", "c10", "c8"}, TODAY: {"c5", "c10", "c11", "c8", "c2", "a4", "a6", "c9"}}
GROUPS = ["migrant_worker", "women", "minor", "elderly", "disabled", "military", "low_income"]


def pct(num, den):
    if not den:
        return None
    return float((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


def yuan(x):
    return Decimal(x).quantize(Decimal("0.01"))


def expected(w: W, start: date, end: date, station=None) -> dict:
    def inp(d):
        return d is not None and start <= d <= end

    def mine(stn):
        return station is None or stn == station

    cases = {n: f for n, f in w.cases.items() if mine(f["station"])}
    acc = [f for f in cases.values() if inp(f["accepted"])]
    closed = [f for f in cases.values() if inp(f["closed"])]
    graded = [f for f in cases.values() if inp(f["graded"])]
    e = {}
    apps = [a for a in w.apps.values() if mine(a["station"])]
    e["applications.received"] = sum(inp(a["received"]) for a in apps)
    e["applications.granted"] = sum(inp(a.get("decided")) and a["status"] == "granted" for a in apps)
    e["applications.refused"] = sum(inp(a.get("decided")) and a["status"] == "refused" for a in apps)
    e["cases.accepted"] = len(acc)
    for cat in ["criminal", "civil", "administrative"]:
        e[f"cases.accepted.{cat}"] = sum(f["category"] == cat for f in acc)
    crim = [f for f in acc if f["category"] == "criminal"]
    e["cases.accepted.criminal.notified"] = sum(f["source"] == "notice" for f in crim)
    e["cases.accepted.criminal.investigation"] = sum(f["stage"] == "investigation" for f in crim)
    e["cases.accepted.criminal.prosecution"] = sum(f["stage"] == "prosecution" for f in crim)
    e["cases.accepted.criminal.trial"] = sum(f["stage"] in ("trial", "death_review") for f in crim)
    e["cases.accepted.litigation"] = sum(f["litigation"] for f in acc)
    e["cases.accepted.non_litigation"] = sum(not f["litigation"] for f in acc)
    for g in GROUPS:
        e[f"cases.accepted.group.{g}"] = sum(g in f["groups"] for f in acc)
    e["cases.accepted.migrant_wage"] = sum("migrant_worker" in f["groups"] and f["cause"] == "labour_pay" for f in acc)
    e["cases.accepted.mass"] = sum(f["mass"] for f in acc)
    e["recipients.total"] = sum(f["count"] for f in acc)
    e["cases.accepted.by_lawyer"] = sum(f["lawyer"] for f in acc)
    e["rate.by_lawyer"] = pct(e["cases.accepted.by_lawyer"], e["cases.accepted"])
    e["cases.closed"] = len(closed)
    for cat in ["criminal", "civil", "administrative"]:
        e[f"cases.closed.{cat}"] = sum(f["category"] == cat for f in closed)
    e["rate.closure"] = pct(e["cases.closed"], e["cases.accepted"])
    e["cases.terminated"] = sum(inp(f["terminated"]) for f in cases.values())
    e["cases.open_at_end"] = sum(f["accepted"] <= end and not (f["closed"] and f["closed"] <= end)
                                 and not (f["terminated"] and f["terminated"] <= end) for f in cases.values())
    e["amount.recovered"] = yuan(sum((f["recovered"] for f in closed), Decimal(0)))
    e["amount.involved"] = yuan(sum((f["involved"] for f in acc), Decimal(0)))
    cons = [c for c in w.consultations if start <= c[0].date() <= end and mine(c[3])]

    def ch(*names):
        return sum(c[2] for c in cons if not names or c[1] in names)
    e["consultations.total"] = ch()
    e["consultations.visit"] = ch("visit")
    e["consultations.phone"] = ch("phone", "hotline")
    e["consultations.hotline"] = ch("hotline")
    e["consultations.letter"] = ch("letter")
    e["consultations.online"] = ch("online")
    e["consultations.event"] = ch("event")
    mats = [m for m in w.matters if inp(m[0]) and mine(m[4])]
    e["matters.duty_lawyer"] = sum(m[2] for m in mats if m[1] == "duty_lawyer")
    e["matters.duty_lawyer.plea"] = sum(m[2] for m in mats if m[1] == "duty_lawyer" and m[3])
    e["matters.drafting"] = sum(m[2] for m in mats if m[1] == "drafting")
    e["services.total"] = (e["recipients.total"] + e["consultations.total"] + e["matters.duty_lawyer"]
                           + e["matters.drafting"])
    decided = [a for a in apps if inp(a.get("decided"))]
    e["rate.review_on_time"] = pct(sum(a["decided"] <= a["due"] for a in decided), len(decided))
    assigned = [n for n, f in cases.items() if inp(f["assigned"])]
    e["rate.assign_on_time"] = pct(sum(n not in LATE_ASSIGNED for n in assigned), len(assigned))
    over = OVERDUE.get(end, set())
    e["cases.overdue_at_end"] = sum(1 for n in over if (n in cases) or (n in w.apps and mine(w.apps[n]["station"])))
    e["quality.graded"] = len(graded)
    for g in ["excellent", "good", "pass", "fail"]:
        e[f"quality.{g}"] = sum(f["grade"] == g for f in graded)
    e["rate.quality_pass"] = pct(len(graded) - e["quality.fail"], len(graded))
    e["quality.hearings"] = sum(f["litigation"] and f["hearing"] for f in closed)
    e["rate.hearing"] = pct(e["quality.hearings"], sum(f["litigation"] for f in closed))
    e["followups.total"] = sum(f["followup"] for f in closed)
    e["rate.followup"] = pct(e["followups.total"], e["cases.closed"])
    rated = [x for x in w.followups if inp(x[0]) and x[1] and x[2] in cases]
    e["rate.satisfaction"] = pct(sum(x[1] in ("satisfied", "basically") for x in rated), len(rated))
    e["quality.discussions"] = sum(inp(x[0]) and x[1] in cases for x in w.discussions)
    e["complaints.total"] = sum(inp(x[0]) and x[1] in cases for x in w.complaints)
    pays = [x for x in w.payments if inp(x[0]) and x[2] in cases]
    e["subsidy.paid.total"] = yuan(sum((x[1] for x in pays), Decimal(0)))
    e["subsidy.paid.cases"] = sum((1 if x[1] > 0 else -1) for x in pays if x[1] != 0)
    e["subsidy.average"] = (yuan(e["subsidy.paid.total"] / e["subsidy.paid.cases"])
                            if e["subsidy.paid.cases"] else None)
    years = set(range(start.year, end.year + 1))
    bud = [b for b in w.budgets if b[0] in years]
    e["funding.budget"] = yuan(sum((b[2] for b in bud), Decimal(0)))
    for src in ["central", "provincial", "municipal", "county", "other"]:
        e[f"funding.budget.{src}"] = yuan(sum((b[2] for b in bud if b[1] == src), Decimal(0)))
    spent = [s for s in w.spending if inp(s[0])]
    e["funding.spent"] = yuan(sum((s[2] for s in spent), Decimal(0)))
    e["funding.spent.subsidy"] = yuan(sum((s[2] for s in spent if s[1] == "case_subsidy"), Decimal(0)))
    e["funding.spent.publicity"] = yuan(sum((s[2] for s in spent if s[1] == "publicity"), Decimal(0)))
    e["rate.funding_used"] = pct(e["funding.spent"], e["funding.budget"])
    e["rate.subsidy_share"] = pct(e["funding.spent.subsidy"], e["funding.spent"])
    if station is not None:
        for code in [c for c in e if c.startswith("funding.")] + ["rate.funding_used", "rate.subsidy_share"]:
            e[code] = None
    ev = [x for x in w.events if inp(x[0]) and mine(x[4])]
    e["publicity.events"] = len(ev)
    e["publicity.materials"] = sum(x[1] for x in ev)
    e["publicity.onsite"] = sum(x[2] for x in ev)
    e["publicity.audience"] = sum(x[3] for x in ev)
    med = [x for x in w.media if inp(x[0]) and mine(x[2])]
    e["publicity.media_reports"] = len(med)
    e["publicity.media_reports.city_plus"] = sum(x[1] in ("city", "province", "national") for x in med)

    def active(opened, spans, flag):
        if opened and opened > end:
            return False
        return flag and not any(a <= end and (b is None or end < b) for a, b in spans)
    for kind in ["stations", "contact_points", "liaisons", "volunteers"]:
        e[f"network.{kind}"] = sum(active(o, sp, fl) for k, stn, o, sp, fl in w.network
                                   if k == kind and mine(stn))
    return e


PERIODS = ["2025", "2025H1", "2025H2", "2025-03-01:2025-09-30", "2026"]


def shift(d: date) -> date:
    return d.replace(year=d.year - 1)


@pytest.fixture
def world(org, station_a, staff_a):
    return build(org, station_a, staff_a)


def compare(w, station_pk=None):
    from stations.models import Station as S

    station = S.objects.get(pk=station_pk) if station_pk else None
    wrong = []
    with freeze_time(NOW):
        for text in PERIODS:
            p = parse_period(text, today=TODAY)
            got = ind.compute(p, station)
            last = ind.compute(p.last_year(), station)
            exp = expected(w, p.start, p.end, station_pk)
            exp_last = expected(w, p.last_year().start, p.last_year().end, station_pk)
            assert list(got) == ind.CODES
            for code in ind.CODES:
                if got[code] != exp[code]:
                    wrong.append(f"{text} {code}: product {got[code]!r}, hand {exp[code]!r}")
                if last[code] != exp_last[code]:
                    wrong.append(f"{text} LAST {code}: product {last[code]!r}, hand {exp_last[code]!r}")
    return wrong



def test_every_indicator_of_the_sheet_equals_a_hand_count_through_the_services(world, station_a):
    """STATISTICS.md, the `指标` sheet and its counting rules (facts as they were when the event happened,
    同比 empty when last is 0, rates one decimal and empty on a 0 denominator, money two decimals): for
    2025, 2025H1, 2025H2, 2025-03-01:2025-09-30 and the running 2026 (today 5 Dec 2026), county and station
    A, every code of the registry and its 上年同期 and 同比 equal the hand count of `expected`. The data went
    through the real services: age 18/60 on the acceptance day, groups declared and registry entries expiring
    later, handler types changed after assignment and a change of handler, stage changes, a termination
    revoked on objection, a reversal and a re-payment, a 0.00 subsidy, a correcting spending entry, network
    rows closed and reactivated."""
    wrong = []
    with freeze_time(NOW):
        for text in PERIODS:
            p = parse_period(text, today=TODAY)
            for scope, spk in ((None, None), (station_a, station_a.pk)):
                rows = ind.indicator_rows(p, scope, with_targets=False)
                assert [r.code for r in rows] == ind.CODES
                exp = expected(world, p.start, p.end, spk)
                last = expected(world, p.last_year().start, p.last_year().end, spk)
                for r in rows:
                    t, l_ = exp[r.code], last[r.code]
                    ch = None if t is None or l_ in (None, 0) else float(
                        ((Decimal(str(t)) - Decimal(str(l_))) * 100 / Decimal(str(l_))).quantize(
                            Decimal("0.1"), rounding="ROUND_HALF_UP"))
                    if (r.value, r.last, r.change) != (t, l_, ch):
                        wrong.append(f"{text} {spk} {r.code}: {(r.value, r.last, r.change)} vs {(t, l_, ch)}")
                    if r.unit == "元" and r.value is not None and r.value.as_tuple().exponent != -2:
                        wrong.append(f"{text} {r.code}: money not in two decimals {r.value!r}")
    assert wrong == []


# --- bugs ----------------------------------------------------------------------------------------------

def test_it_does_not_count_a_refusal_made_in_time_as_overdue_once_it_is_overturned_and_granted(
        org, clerk, reviewer, director):
    """STATISTICS.md: "cases.overdue_at_end | open applications and cases past any deadline at the end date";
    "Facts are taken as they were when the event happened"; DECISIONS.md: overdue applications are those
    "received on or before the end, not decided and not withdrawn by it, due date strictly before the end date".

    An application received 10 June 2025 (review due 17 June) was refused on 13 June, in time. The bureau
    overturned the refusal and the center granted on 15 July. On 30 June it had been decided: it was never
    overdue, and 2025H1's figure (0 before the grant) must not move. The grant overwrites `decided_on`, so the
    application looks undecided on 30 June and past its due date: 2025H1 says 1."""
    h1 = parse_period("2025H1", today=TODAY)
    with freeze_time(NOW):
        app = to_review(receive(clerk, PersonFactory(), D(2025, 6, 10)), clerk)
        assert Application.objects.get(pk=app.pk).review_due < D(2025, 6, 30)
        ins.application_refuse(application=app, by=reviewer, reasons="不符合条件", decided_on=D(2025, 6, 13))
        assert Application.objects.get(pk=app.pk).review_due >= D(2025, 6, 13)  # refused in time
        before = ind.compute(h1)["cases.overdue_at_end"]
        obj = ins.objection_file(application=Application.objects.get(pk=app.pk), by=clerk, filed_on=D(2025, 6, 16),
                                 grounds="不服")
        ins.objection_decide(objection=obj, by=director, outcome="overturned", decided_on=D(2025, 6, 20))
        ins.application_grant(application=Application.objects.get(pk=app.pk), by=reviewer,
                              decided_on=D(2025, 7, 15))
        after = ind.compute(h1)["cases.overdue_at_end"]
    assert (before, after) == (0, 0)


def test_it_keeps_a_case_overdue_for_assignment_at_a_past_end_date_after_its_termination_is_revoked(
        org, clerk, director):
    """STATISTICS.md: "cases.overdue_at_end | open applications and cases past any deadline at the end date";
    "Facts are taken as they were when the event happened"; DECISIONS.md (Cases): overdue includes a case
    "awaiting assignment past `assign_due` (not assigned by the end date …)", and a revoked termination leaves
    the case "open at every end date until it closes".

    A case accepted 2 June 2025 was still awaiting assignment on 30 June, past its 3-day deadline: 2025H1 counts
    it overdue. It was terminated on 10 July, the bureau overturned the termination and the center resumed the
    aid on 20 July. On 30 June nothing changed: it was open and late. `case_resume` overwrites `assign_due`
    with a new deadline from the resumption, so 2025H1's overdue figure drops from 1 to 0."""
    h1 = parse_period("2025H1", today=TODAY)
    with freeze_time(NOW):
        case = cs.case_open(recipient=PersonFactory(), category="civil", accepted_on=D(2025, 6, 2), by=clerk,
                            stage="first_instance", aid_form="civil_litigation", cause="labour_pay")
        assert case.assign_due < D(2025, 6, 30)
        before = ind.compute(h1)
        cs.case_terminate(case=Case.objects.get(pk=case.pk), reason="own_counsel", on=D(2025, 7, 10), by=director)
        cs.termination_objection_file(case=Case.objects.get(pk=case.pk), by=director, filed_on=D(2025, 7, 11),
                                      grounds="不服")
        cs.termination_objection_decide(case=Case.objects.get(pk=case.pk), by=director, outcome="overturned",
                                        decided_on=D(2025, 7, 14))
        cs.case_resume(case=Case.objects.get(pk=case.pk), by=director, on=D(2025, 7, 20))
        after = ind.compute(h1)
    assert (before["cases.open_at_end"], after["cases.open_at_end"]) == (1, 1)
    assert (before["cases.overdue_at_end"], after["cases.overdue_at_end"]) == (1, 1)
