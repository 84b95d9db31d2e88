"""factory_boy factories for the domain models. Apps add their own beside their tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from applicants.idcard import check_digit


def resident_id(n: int, *, born: dt.date = dt.date(1985, 6, 15), female: bool = False) -> str:
    """A valid 18-character resident ID number, unique per n."""
    seq = (n % 500) * 2 + (0 if female else 1)
    first17 = f"341122{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stations.Station"
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}镇法律援助工作站")
    code = factory.Sequence(lambda n: f"test-{n}")
    township = factory.Sequence(lambda n: f"测试{n}镇")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stations.Provider"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}律师事务所")


class HandlerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stations.Handler"

    name = factory.Sequence(lambda n: f"律师{n}")
    kind = "practising_lawyer"
    provider = factory.SubFactory(ProviderFactory)
    criminal_years = 5


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applicants.Person"

    name = factory.Sequence(lambda n: f"申请人{n}")
    sex = "M"
    birth_date = dt.date(1985, 6, 15)
    id_number = factory.Sequence(lambda n: resident_id(n))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    household_size = 3
    household_income = Decimal("1800.00")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intake.Consultation"

    occurred_at = factory.LazyFunction(timezone.now)
    channel = "visit"
    topic = "labour_pay"
    summary = "咨询拖欠工资如何维权"
    answer = "告知可申请劳动仲裁并申请法律援助"
    outcome = "answered"
    person_count = 1


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intake.Application"

    applicant = factory.SubFactory(PersonFactory)
    received_on = factory.LazyFunction(lambda: timezone.localdate())
    category = "civil"
    cause = "labour_pay"
    status = "received"


class CriminalNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intake.CriminalNotice"

    organ = "court"
    organ_name = "示范县人民法院"
    notice_number = factory.Sequence(lambda n: f"（2025）示刑通字第{n}号")
    received_on = factory.LazyFunction(lambda: timezone.localdate())
    person = factory.SubFactory(PersonFactory)
    ground = "minor"
    stage = "trial"
    cause = "theft"


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intake.Matter"

    kind = "duty_lawyer"
    date = factory.LazyFunction(lambda: timezone.localdate())
    place = "示范县人民法院"
    lawyer_name = "张伟"
    person_name = "某某"


def make_case(**kwargs):
    """Open a case through the real service (numbers, groups, deadlines)."""
    from cases.services import case_open

    kwargs.setdefault("recipient", PersonFactory())
    kwargs.setdefault("category", "civil")
    kwargs.setdefault("accepted_on", timezone.localdate())
    kwargs.setdefault("cause", "labour_pay")
    kwargs.setdefault("stage", "first_instance")
    kwargs.setdefault("aid_form", "civil_litigation")
    origin = kwargs.pop("application", None) or kwargs.pop("notice", None)
    case = case_open(**kwargs)
    if origin is not None:  # the application or notice links to its case from the intake side
        origin.case = case
        origin.save(update_fields=["case"])
    return case


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.Event"

    date = factory.LazyFunction(lambda: timezone.localdate())
    title = factory.Sequence(lambda n: f"法律援助进社区宣传活动{n}")
    form = "community"
    place = "东关社区广场"
    materials = 200
    onsite = 30
    audience = 150


class MediaReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.MediaReport"

    date = factory.LazyFunction(lambda: timezone.localdate())
    outlet = "示范县融媒体中心"
    level = "county"
    title = factory.Sequence(lambda n: f"县法律援助中心开展宣传{n}")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "funding.Budget"

    year = 2025
    source = "county"
    amount = Decimal("500000.00")


class SpendingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "funding.Spending"

    date = factory.LazyFunction(lambda: timezone.localdate())
    category = "publicity"
    amount = Decimal("3000.00")
    description = "宣传资料印刷"
