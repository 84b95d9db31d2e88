"""Subsidy computation, batches and payment, budgets and spending, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding import services
from funding.models import BudgetYearLock, PaymentBatch, Spending, Subsidy, SubsidyStandard
from tests.factories import make_case

D = Decimal
pytestmark = pytest.mark.django_db


def test_computing_an_archived_graded_case_creates_a_computed_subsidy_with_its_lines(ready_case, finance):
    case = ready_case("good")
    subsidy = services.subsidy_compute(case=case, by=finance)
    assert subsidy.status == Subsidy.Status.COMPUTED
    assert subsidy.amount == subsidy.computed_amount == D("1400.00")
    assert subsidy.handler == case.handler
    assert subsidy.lines[0]["text"] == "民事·一审 良好 基础补贴 1,400.00 元"
    assert subsidy.history.first().history_user == finance


def test_the_standards_of_the_archive_year_apply(ready_case, finance):
    case = ready_case("pass", archived_on=dt.date.today().replace(month=1, day=2))
    SubsidyStandard.objects.filter(year=case.archived_on.year, category="civil", scope="first_instance") \
        .update(amount_pass=D("1250"))
    assert services.subsidy_compute(case=case, by=finance).amount == D("1250.00")


def test_recomputing_updates_the_same_subsidy(ready_case, finance):
    case = ready_case("pass")
    first = services.subsidy_compute(case=case, by=finance)
    case.grade = "excellent"
    case.save()
    second = services.subsidy_compute(case=case, by=finance)
    assert second.pk == first.pk and second.amount == D("1600.00")
    assert Subsidy.objects.count() == 1


@pytest.mark.parametrize("status", ["awaiting", "assigned", "closed"])
def test_a_case_not_yet_archived_is_refused_with_a_clear_message(ready_case, finance, status):
    case = ready_case("pass")
    case.status = status
    case.save()
    with pytest.raises(ValidationError, match="只有已归档的案件"):
        services.subsidy_compute(case=case, by=finance)
    assert not Subsidy.objects.exists()


def test_an_archived_case_without_a_grade_is_refused(ready_case, finance):
    case = ready_case("")
    with pytest.raises(ValidationError, match="尚未评定质量等级"):
        services.subsidy_compute(case=case, by=finance)


def test_a_terminated_case_with_substantive_work_gets_the_termination_share(ready_case, finance):
    case = ready_case(status="terminated", substantive_work=True)
    assert services.subsidy_compute(case=case, by=finance).amount == D("600.00")


def test_a_missing_standard_is_refused_with_a_clear_message(ready_case, finance):
    case = ready_case("pass", archived_on=dt.date(2019, 5, 1))
    with pytest.raises(ValidationError, match="补贴政策|补贴标准"):
        services.subsidy_compute(case=case, by=finance)


def test_a_batched_or_paid_subsidy_is_never_recomputed(ready_case, finance):
    case = ready_case("pass")
    subsidy = services.subsidy_compute(case=case, by=finance)
    services.batch_create(subsidies=[subsidy], by=finance)
    with pytest.raises(ValidationError, match="不能重新核算"):
        services.subsidy_compute(case=case, by=finance)


def test_compute_all_computes_every_case_and_reports_the_ones_it_cannot(ready_case, finance):
    good = [ready_case("pass"), ready_case("excellent")]
    bad = ready_case("pass", archived_on=dt.date(2019, 5, 1))
    done, problems = services.compute_all(cases=[*good, bad], by=finance)
    assert done == 2
    assert len(problems) == 1 and bad.number in problems[0]
    assert Subsidy.objects.count() == 2


def test_only_the_director_adjusts_a_subsidy_and_the_reason_is_kept(ready_case, finance, director):
    subsidy = services.subsidy_compute(case=ready_case("pass"), by=finance)
    with pytest.raises(PermissionDenied):
        services.subsidy_adjust(subsidy=subsidy, amount=D("1000"), reason="案情简单", by=finance)
    with pytest.raises(ValidationError, match="调整原因"):
        services.subsidy_adjust(subsidy=subsidy, amount=D("1000"), reason=" ", by=director)
    adjusted = services.subsidy_adjust(subsidy=subsidy, amount=D("1000"), reason="案情简单", by=director)
    assert adjusted.amount == D("1000.00") and adjusted.computed_amount == D("1200.00")
    last = adjusted.history.first()
    assert last.history_user == director and last.history_change_reason == "案情简单"


def _batch(ready_case, finance, n=2, **kw):
    subsidies = [services.subsidy_compute(case=ready_case("pass", **kw), by=finance) for _ in range(n)]
    return services.batch_create(subsidies=subsidies, by=finance), subsidies


def test_a_batch_gets_a_gapless_batch_number_and_batches_its_subsidies(ready_case, finance):
    batch, subsidies = _batch(ready_case, finance)
    year = dt.date.today().year
    assert batch.number.endswith("援补贴字第1号") and str(year) in batch.number
    assert set(batch.subsidies.values_list("status", flat=True)) == {"batched"}
    second, _ = _batch(ready_case, finance, n=1)
    assert second.number.endswith("援补贴字第2号")


def test_a_subsidy_cannot_go_into_two_batches(ready_case, finance):
    batch, subsidies = _batch(ready_case, finance, n=1)
    with pytest.raises(ValidationError, match="已在批次中或已发放"):
        services.batch_create(subsidies=subsidies, by=finance)


def test_paying_a_batch_marks_its_subsidies_paid_and_posts_one_spending_entry(ready_case, finance):
    batch, subsidies = _batch(ready_case, finance)
    day = dt.date.today()
    spending = services.batch_pay(batch=batch, paid_on=day, by=finance)
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID and batch.paid_on == day
    assert set(Subsidy.objects.values_list("status", "paid_on")) == {("paid", day)}
    assert spending.category == "case_subsidy" and spending.amount == D("2400.00") and spending.batch == batch
    assert Spending.objects.count() == 1


def test_paying_a_batch_twice_is_refused_and_changes_nothing(ready_case, finance):
    batch, _ = _batch(ready_case, finance)
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    before = list(Subsidy.objects.values_list("pk", "status", "paid_on"))
    with pytest.raises(ValidationError, match="不能重复发放"):
        services.batch_pay(batch=batch, paid_on=dt.date.today() + dt.timedelta(days=1), by=finance)
    assert Spending.objects.count() == 1
    assert list(Subsidy.objects.values_list("pk", "status", "paid_on")) == before
    batch.refresh_from_db()
    assert batch.paid_on == dt.date.today()


def test_paying_a_subsidy_of_an_unarchived_case_is_refused_and_changes_nothing(ready_case, finance):
    batch, subsidies = _batch(ready_case, finance)
    case = subsidies[0].case
    case.status = "closed"
    case.save()
    with pytest.raises(ValidationError, match="尚未归档"):
        services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    assert not Spending.objects.exists()
    assert set(Subsidy.objects.values_list("status", flat=True)) == {"batched"}
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN


def test_paying_into_a_closed_budget_year_is_refused(ready_case, finance):
    batch, _ = _batch(ready_case, finance, n=1)
    BudgetYearLock.objects.create(year=2025, locked_on=dt.date(2026, 1, 20))
    with pytest.raises(ValidationError, match="已结账"):
        services.batch_pay(batch=batch, paid_on=dt.date(2025, 12, 30), by=finance)
    assert not Spending.objects.exists()


def test_a_subsidy_can_be_taken_out_of_an_open_batch_only(ready_case, finance):
    batch, subsidies = _batch(ready_case, finance)
    services.batch_remove_subsidy(batch=batch, subsidy=subsidies[0], by=finance)
    subsidies[0].refresh_from_db()
    assert subsidies[0].status == "computed" and subsidies[0].batch is None
    services.batch_pay(batch=batch, paid_on=dt.date.today(), by=finance)
    with pytest.raises(ValidationError):
        services.batch_remove_subsidy(batch=batch, subsidy=subsidies[1], by=finance)


def test_spending_in_a_closed_budget_year_is_refused(finance):
    BudgetYearLock.objects.create(year=2025, locked_on=dt.date(2026, 1, 20))
    with pytest.raises(ValidationError, match="2025 预算年度已结账"):
        services.spending_create(date=dt.date(2025, 6, 1), category="office", amount=D("100"), by=finance)
    assert not Spending.objects.exists()
    services.spending_create(date=dt.date(2026, 1, 2), category="office", amount=D("100"), by=finance)


def test_a_spending_entry_cannot_be_moved_into_or_out_of_a_closed_year(finance):
    entry = services.spending_create(date=dt.date(2025, 6, 1), category="office", amount=D("100"), by=finance)
    BudgetYearLock.objects.create(year=2025, locked_on=dt.date(2026, 1, 20))
    with pytest.raises(ValidationError, match="已结账"):
        services.spending_update(spending=entry, date=dt.date(2026, 1, 5), category="office", amount=D("90"),
                                 description="", by=finance)


def test_money_is_never_negative_or_non_numeric(finance):
    with pytest.raises(ValidationError, match="不能为负数"):
        services.spending_create(date=dt.date.today(), category="office", amount=D("-1"), by=finance)
    with pytest.raises(ValidationError, match="金额"):
        services.budget_create(year=2026, source="county", amount="abc", by=finance)


def test_editing_spending_keeps_the_history_with_who_and_why(finance):
    entry = services.spending_create(date=dt.date.today(), category="office", amount=D("100"), by=finance)
    services.spending_update(spending=entry, date=entry.date, category="office", amount=D("120.50"),
                             description="打印纸", reason="发票金额更正", by=finance)
    entry.refresh_from_db()
    assert entry.amount == D("120.50")
    assert entry.history.count() == 2
    assert entry.history.first().history_change_reason == "发票金额更正"


def test_case_subsidy_spending_is_only_posted_by_paying_a_batch(finance):
    with pytest.raises(ValidationError, match="自动记账"):
        services.spending_create(date=dt.date.today(), category="case_subsidy", amount=D("100"), by=finance)


def test_make_case_is_available_for_ready_cases(db, org):
    assert make_case().status == "awaiting"
