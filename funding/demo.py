"""Demo money: budgets of two years by source, a year of spending, subsidies of the
demo's archived graded cases and two paid batches. Runs after the cases demo."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

BUDGETS = {  # source: amount of the current year (the previous year is ~8 % less)
    "central": Decimal("180000"), "provincial": Decimal("120000"), "municipal": Decimal("60000"),
    "county": Decimal("350000"), "other": Decimal("15000"),
}
MONTHLY = [  # category, description, low, high (yuan)
    ("publicity", "宣传资料印刷", 800, 3500),
    ("office", "办公用品", 300, 1500),
    ("duty_subsidy", "值班律师补贴", 2000, 5000),
]
OCCASIONAL = [
    ("training", "承办人员业务培训", 3000, 9000),
    ("books", "法律书籍采购", 500, 2000),
    ("equipment", "接待窗口设备购置", 4000, 12000),
    ("other", "其他支出", 200, 1200),
]


def seed(*, rng, stdout) -> None:
    from accounts.models import User

    from . import services
    from .models import Budget, Subsidy

    if Budget.objects.exists():
        stdout.write("funding: already seeded")
        return
    finance = User.objects.get(username="finance")
    today = timezone.localdate()
    for year, factor in ((today.year - 1, Decimal("0.92")), (today.year, Decimal("1"))):
        for source, amount in BUDGETS.items():
            services.budget_create(year=year, source=source, amount=(amount * factor).quantize(Decimal("1")),
                                   note=f"{year}年度法律援助经费", by=finance)
    entries = 0
    for months_back in range(12, -1, -1):
        month_start = (today.replace(day=1) - timedelta(days=30 * months_back)).replace(day=1)
        for category, text, low, high in MONTHLY + ([rng.choice(OCCASIONAL)] if months_back % 2 == 0 else []):
            day = month_start + timedelta(days=rng.randint(0, 27))
            if day > today:
                continue
            services.spending_create(date=day, category=category, amount=Decimal(rng.randint(low, high)),
                                     description=text, by=finance)
            entries += 1

    from .selectors import cases_awaiting_subsidy

    done, problems = services.compute_all(cases=list(cases_awaiting_subsidy()), by=finance)
    paid_batches = 0
    for archived_before, paid_on in ((today - timedelta(days=75), today - timedelta(days=60)),
                                     (today - timedelta(days=25), today - timedelta(days=14))):
        if paid_on.year != today.year:
            continue
        # as finance pays: the payable amounts; a 0.00 subsidy (不合格) is left out, not paid with a reason
        ready = list(Subsidy.objects.filter(status="computed", case__status="archived", amount__gt=0,
                                            case__archived_on__lte=archived_before))
        if not ready:
            continue
        batch = services.batch_create(subsidies=ready, by=finance,
                                      title=f"{paid_on.year}年{paid_on.month}月办案补贴")
        services.batch_pay(batch=batch, paid_on=paid_on, by=finance)
        paid_batches += 1
    duty_months = 0
    for back in (3, 2, 1):
        first = (today.replace(day=1) - timedelta(days=28 * back)).replace(day=1)
        try:
            services.duty_subsidy_post(year=first.year, month=first.month, by=finance)
            duty_months += 1
        except ValidationError:
            continue  # nobody on duty that month, or already posted
    stdout.write(f"funding: {duty_months} months of duty subsidies posted")
    stdout.write(f"funding: {Budget.objects.count()} budgets, {entries} spending entries, {done} subsidies "
                 f"computed ({len(problems)} skipped), {paid_batches} paid batches")
