"""Duty-lawyer and consultation-duty subsidies per day, from the duty rosters (DOMAIN.md §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from funding import services
from funding.models import BudgetYearLock, Spending, SubsidyPolicy
from stations.models import DutyShift

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def shifts(org, subsidy_defaults, handler_profile, other_handler):
    def shift(day, handler, kind):
        DutyShift.objects.create(date=dt.date(2026, 3, day), handler=handler, place_kind=kind, place="某地")

    shift(2, handler_profile, "court")
    shift(3, handler_profile, "detention")
    shift(3, handler_profile, "procuratorate")  # a second place on the same day is still one day
    shift(4, handler_profile, "station")
    shift(5, other_handler, "center")
    DutyShift.objects.create(date=dt.date(2026, 4, 1), handler=other_handler, place_kind="court", place="法院")
    SubsidyPolicy.objects.update_or_create(year=2026, defaults={"duty_day_rate": D("200"),
                                                                "consultation_day_rate": D("150")})


def test_duty_days_pay_the_duty_rate_and_consultation_days_the_consultation_rate(shifts, handler_profile):
    policy = SubsidyPolicy.objects.get(year=2026)
    rows, total = services.duty_subsidy_rows(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), policy=policy)
    by_name = {r["handler__name"]: r for r in rows}
    assert (by_name["张伟"]["duty"], by_name["张伟"]["consultation"], by_name["张伟"]["amount"]) == (2, 1, D("550.00"))
    assert (by_name["李娜"]["duty"], by_name["李娜"]["consultation"], by_name["李娜"]["amount"]) == (0, 1, D("150.00"))
    assert total == D("700.00")


@freeze_time("2026-05-10")
def test_a_month_is_posted_once_as_one_duty_subsidy_spending_entry(shifts, finance):
    entry = services.duty_subsidy_post(year=2026, month=3, by=finance)
    assert (entry.category, entry.amount, entry.date) == ("duty_subsidy", D("700.00"), dt.date(2026, 3, 31))
    with pytest.raises(ValidationError, match="已经记账"):
        services.duty_subsidy_post(year=2026, month=3, by=finance)
    assert Spending.objects.count() == 1


@freeze_time("2026-05-10")
def test_an_empty_or_future_month_or_a_closed_year_is_refused(shifts, finance):
    with pytest.raises(ValidationError, match="没有人值班"):
        services.duty_subsidy_post(year=2026, month=2, by=finance)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.duty_subsidy_post(year=2026, month=6, by=finance)
    BudgetYearLock.objects.create(year=2026, locked_on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="已结账"):
        services.duty_subsidy_post(year=2026, month=3, by=finance)
    assert not Spending.objects.exists()


@freeze_time("2026-05-10")
def test_the_duty_page_shows_the_month_and_posts_it(shifts, client_for):
    client = client_for("finance")
    page = client.get("/funding/duty/?month=2026-03").content.decode()
    assert "张伟" in page and "550.00" in page and "700.00" in page
    response = client.post("/funding/duty/", {"month": "2026-03"})
    assert response.status_code == 302
    assert Spending.objects.get().amount == D("700.00")
    assert "已记入经费支出" in client.get("/funding/duty/?month=2026-03").content.decode()
