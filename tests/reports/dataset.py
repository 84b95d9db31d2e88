"""A small hand-built dataset around 2025H1 whose every figure is worked out by hand
in test_indicators.py (see the comments there)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cases.models import Case, Complaint, Discussion, FollowUp, HearingAttendance
from funding.models import Subsidy, SubsidyPayment
from stations.models import Station, Volunteer
from tests.factories import (
    ApplicationFactory,
    BudgetFactory,
    ConsultationFactory,
    EventFactory,
    HandlerFactory,
    MatterFactory,
    MediaReportFactory,
    SpendingFactory,
    StationFactory,
    make_case,
)

SH = ZoneInfo("Asia/Shanghai")
D = date


def case(*, accepted_on, category="civil", **fields) -> Case:
    c = make_case(accepted_on=accepted_on, category=category,
                  stage=fields.pop("stage", "first_instance" if category != "criminal" else "trial"),
                  aid_form=fields.pop("aid_form", "civil_litigation" if category != "criminal" else "criminal_defence"),
                  cause=fields.pop("cause", "labour_pay" if category != "criminal" else "theft"),
                  station=fields.pop("station", None))
    fields.setdefault("recipient_groups", [])
    fields.setdefault("assign_due", None)
    if fields.get("handler") is not None:
        fields.setdefault("handler_kind", fields["handler"].kind)  # as case_assign takes it
    Case.objects.filter(pk=c.pk).update(**fields)
    c.refresh_from_db()
    if c.assigned_on and (c.handler_id or c.agreement_due):
        # The assignment row case_assign writes, with this handler's agreement.
        from cases.models import Assignment

        handler = c.handler or HandlerFactory()
        Assignment.objects.create(case=c, handler=handler, handler_kind=c.handler_kind or handler.kind,
                                  assigned_on=c.assigned_on, agreement_due=c.agreement_due,
                                  agreement_signed_on=c.agreement_signed_on)
    return c


def build(station_a) -> dict:
    lawyer = HandlerFactory(kind="practising_lawyer")
    aid_lawyer = HandlerFactory(kind="aid_lawyer")
    grassroots = HandlerFactory(kind="grassroots_worker")
    c = {}
    c[1] = case(accepted_on=D(2025, 1, 1), cause="labour_pay", recipient_groups=["migrant_worker", "women"],
                recipient_count=3, is_mass=True, amount_involved=Decimal("10000.50"), handler=lawyer,
                assigned_on=D(2025, 1, 3), assign_due=D(2025, 1, 5), closed_on=D(2025, 6, 30), status="closed",
                amount_recovered=Decimal("8000.25"), is_litigation=True, graded_on=D(2025, 6, 30), grade="excellent")
    c[2] = case(accepted_on=D(2025, 6, 30), cause="labour_pay", recipient_groups=["women", "elderly"],
                handler=grassroots, assigned_on=D(2025, 7, 1), assign_due=D(2025, 7, 3), is_litigation=False,
                aid_form="labour_arbitration", status="assigned")
    c[3] = case(accepted_on=D(2025, 7, 1), closed_on=D(2025, 7, 5), status="closed")
    c[4] = case(accepted_on=D(2024, 12, 31), category="criminal", source="notice", stage="trial",
                closed_on=D(2025, 3, 1), archived_on=D(2025, 3, 20), status="archived", is_litigation=True)
    c[5] = case(accepted_on=D(2025, 2, 1), category="criminal", source="notice", stage="death_review",
                recipient_groups=["minor"], station=station_a, terminated_on=D(2025, 3, 1), status="terminated",
                is_litigation=True)
    c[6] = case(accepted_on=D(2025, 3, 1), category="criminal", stage="investigation",
                recipient_groups=["minor", "disabled"], handler=aid_lawyer, assigned_on=D(2025, 3, 10),
                assign_due=D(2025, 3, 5), station=station_a, status="assigned", is_litigation=True)
    c[7] = case(accepted_on=D(2025, 4, 1), category="administrative", stage="first_instance",
                aid_form="admin_litigation", cause="administrative", recipient_groups=["military", "low_income"],
                assign_due=D(2025, 4, 5), status="awaiting", is_litigation=True)
    c[8] = case(accepted_on=D(2024, 3, 1), category="criminal", stage="prosecution", closed_on=D(2024, 5, 1),
                status="closed", is_litigation=True)
    c[9] = case(accepted_on=D(2024, 1, 15), assigned_on=D(2024, 1, 16), assign_due=D(2024, 1, 20),
                terminated_on=D(2025, 7, 2), status="terminated")
    c[10] = case(accepted_on=D(2025, 5, 1), closed_on=D(2025, 6, 1), status="closed", file_due=D(2025, 6, 10),
                 is_litigation=True, graded_on=D(2025, 6, 15), grade="fail", assigned_on=D(2025, 5, 2),
                 assign_due=D(2025, 5, 2))
    # c10 assigned in period on its due day → on time; assigned: c1 (on time), c6 (late), c10 (on time).

    HearingAttendance.objects.create(case=c[1], date=D(2025, 5, 1), attendee="周主任")
    HearingAttendance.objects.create(case=c[2], date=D(2025, 6, 1), attendee="周主任")  # open case: not counted
    FollowUp.objects.create(case=c[1], date=D(2025, 6, 30), satisfaction="satisfied")
    FollowUp.objects.create(case=c[4], date=D(2025, 3, 5), satisfaction="")
    FollowUp.objects.create(case=c[6], date=D(2025, 2, 1), satisfaction="unsatisfied")
    FollowUp.objects.create(case=c[9], date=D(2025, 7, 1), satisfaction="satisfied")
    FollowUp.objects.create(case=c[2], date=D(2025, 1, 1), satisfaction="basically")
    Discussion.objects.create(case=c[6], held_on=D(2025, 1, 1), participants="全体", conclusion="同意")
    Discussion.objects.create(case=c[7], held_on=D(2025, 7, 1), participants="全体", conclusion="同意")
    Complaint.objects.create(received_on=D(2025, 6, 30), complainant="某甲", content="态度")
    Complaint.objects.create(received_on=D(2024, 12, 31), complainant="某乙", content="态度")

    apps = {}
    apps[1] = ApplicationFactory(received_on=D(2025, 1, 1), status="granted", decided_on=D(2025, 1, 5),
                                 review_due=D(2025, 1, 8))
    apps[2] = ApplicationFactory(received_on=D(2025, 6, 25), status="refused", decided_on=D(2025, 7, 1),
                                 review_due=D(2025, 6, 28))
    apps[3] = ApplicationFactory(received_on=D(2025, 3, 1), status="refused", decided_on=D(2025, 3, 20),
                                 review_due=D(2025, 3, 10))
    apps[4] = ApplicationFactory(received_on=D(2025, 5, 1), status="under_review", review_due=D(2025, 6, 30))
    apps[5] = ApplicationFactory(received_on=D(2025, 2, 1), status="draft")
    apps[6] = ApplicationFactory(received_on=D(2024, 6, 30), status="granted", decided_on=D(2024, 6, 30))
    apps[7] = ApplicationFactory(received_on=D(2025, 4, 1), status="withdrawn", withdrawn_on=D(2025, 4, 10),
                                 review_due=D(2025, 4, 5))
    apps[8] = ApplicationFactory(received_on=D(2025, 2, 2), status="granted", decided_on=D(2025, 2, 3),
                                 station=station_a)

    def at(*args):
        return datetime(*args, tzinfo=SH)

    ConsultationFactory(occurred_at=at(2025, 1, 1, 0, 0), channel="visit", person_count=2)
    ConsultationFactory(occurred_at=at(2024, 12, 31, 23, 59), channel="phone")
    ConsultationFactory(occurred_at=at(2025, 6, 30, 23, 59, 59), channel="hotline", person_count=3)
    ConsultationFactory(occurred_at=at(2025, 7, 1, 0, 0), channel="letter")
    ConsultationFactory(occurred_at=at(2025, 3, 3, 10), channel="online", station=station_a)
    ConsultationFactory(occurred_at=at(2025, 3, 4, 10), channel="event", person_count=4)
    ConsultationFactory(occurred_at=at(2025, 3, 5, 10), channel="phone")

    MatterFactory(kind="duty_lawyer", date=D(2025, 1, 1), person_count=2, plea=True)
    MatterFactory(kind="duty_lawyer", date=D(2025, 6, 30), person_count=1)
    MatterFactory(kind="drafting", date=D(2025, 2, 1), person_count=3)
    MatterFactory(kind="drafting", date=D(2025, 7, 1))

    # Paid subsidies and their dated payment lines (what subsidy.paid.* count).
    for paid_case, amount, day in ((c[1], "1200.00", D(2025, 6, 30)), (c[4], "800.00", D(2025, 7, 1)),
                                   (c[10], "500.50", D(2025, 1, 1))):
        subsidy = Subsidy.objects.create(case=paid_case, computed_amount=Decimal(amount), amount=Decimal(amount),
                                         status="paid", paid_on=day)
        SubsidyPayment.objects.create(subsidy=subsidy, amount=Decimal(amount), date=day)
    BudgetFactory(year=2025, source="county", amount=Decimal("500000"))
    BudgetFactory(year=2025, source="central", amount=Decimal("100000"))
    BudgetFactory(year=2024, source="county", amount=Decimal("400000"))
    SpendingFactory(date=D(2025, 1, 1), category="case_subsidy", amount=Decimal("1700.50"))
    SpendingFactory(date=D(2025, 6, 30), category="publicity", amount=Decimal("3000"))
    SpendingFactory(date=D(2025, 7, 1), category="publicity", amount=Decimal("999"))
    SpendingFactory(date=D(2024, 12, 31), category="other", amount=Decimal("50"))

    EventFactory(date=D(2025, 1, 1), materials=200, onsite=30, audience=150, station=station_a)
    EventFactory(date=D(2025, 6, 30), materials=100, onsite=10, audience=50)
    EventFactory(date=D(2025, 7, 1), materials=999, onsite=99, audience=999)
    MediaReportFactory(date=D(2025, 2, 1), level="county")
    MediaReportFactory(date=D(2025, 3, 1), level="city")
    MediaReportFactory(date=D(2025, 4, 1), level="national", station=station_a)
    MediaReportFactory(date=D(2025, 7, 1), level="province")

    StationFactory(opened_on=D(2020, 1, 1), closed_on=D(2025, 6, 30))  # closed on the end day: not active
    StationFactory(opened_on=D(2025, 7, 1))  # opens the day after
    Station.objects.filter(code="women-federation").update(active=False, closed_on=None)  # switched off
    Volunteer.objects.create(name="志愿者甲", opened_on=D(2025, 6, 30), station=station_a)
    Volunteer.objects.create(name="志愿者乙", opened_on=D(2025, 1, 1), closed_on=D(2025, 6, 30))
    return {"cases": c, "applications": apps}
