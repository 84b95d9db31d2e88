"""经费预算, 经费支出, and the subsidies of 案件 rows: funding.Budget, Spending, Subsidy, SubsidyPayment.

补贴金额 creates a ``funding.Subsidy`` (paid when 补贴发放日期 is given); it does not post ``funding.Spending``,
because the ledger's own 经费支出 sheet carries the spending and posting both would count the money twice.
"""

from __future__ import annotations

from ..writing import bulk, new_rows, user_of


def write_budget(rows, ctx):
    from funding.models import Budget

    fresh, matched = new_rows("经费预算", Budget, rows)
    objs = [Budget(year=r.values["year"], source=r.values["source"], amount=r.values["amount"],
                   import_fingerprint=fp) for r, fp in fresh]
    bulk(Budget, objs, ctx)
    return len(objs), matched


def write_spending(rows, ctx):
    from funding.models import Spending

    fresh, matched = new_rows("经费支出", Spending, rows)
    objs = [Spending(date=r.values["date"], category=r.values["category"], amount=r.values["amount"],
                     description=r.values["description"], import_fingerprint=fp, created_by=user_of(ctx))
            for r, fp in fresh]
    bulk(Spending, objs, ctx)
    return len(objs), matched


def write_subsidies(rows, cases, handlers, ctx) -> None:
    """The subsidy of each new case whose row gives 补贴金额, and the payment line of a paid one."""
    from funding.models import Subsidy, SubsidyPayment

    subsidies = [
        Subsidy(case=case, handler=handler, computed_amount=r.values["subsidy_amount"],
                amount=r.values["subsidy_amount"],
                status=Subsidy.Status.PAID if r.values["subsidy_paid_on"] else Subsidy.Status.COMPUTED,
                paid_on=r.values["subsidy_paid_on"])
        for r, case, handler in zip(rows, cases, handlers, strict=True) if r.values["subsidy_amount"] is not None
    ]
    bulk(Subsidy, subsidies, ctx)
    # A paid subsidy's payment is a dated line (what subsidy.paid.* count), as batch_pay writes it.
    bulk(SubsidyPayment, [SubsidyPayment(subsidy=s, kind=SubsidyPayment.Kind.PAYMENT, amount=s.amount, case_count=1,
                                         date=s.paid_on, by=user_of(ctx))
                          for s in subsidies if s.status == Subsidy.Status.PAID], ctx)
