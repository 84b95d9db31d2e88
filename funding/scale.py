"""`seed_demo --scale N`: ten years of money for N cases (core/scale.py).

Subsidy standards and policies for every year (the shipped ones cover the last two; earlier years pay about
3 % less a year back). A subsidy for every archived, graded case (computed when it was graded) and every
terminated case with substantive work (computed by finance within a month), with the amount and the lines of
funding/subsidy.py. Finance pays them quarterly: a batch a fortnight after each quarter, one payment line
per subsidy and one spending entry per batch; the newest quarter's batch is prepared but not yet paid, and
a 0.00 subsidy (graded 不合格) is never put in a batch. Duty subsidies are posted monthly from the duty
rosters at the policy's day rates. Other spending (publicity, office, training, equipment, books) grows with
the caseload; each year's budget by source (county finance about half, central transfers a quarter)
covers the year's spending with a little to spare. Past budget years are closed.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from core.copy import copy_rows, loading, reserve_ids
from core.models import CenterProfile
from core.numbering import DOCUMENT_WORDS
from core.scale import Choice, Progress, Timeline, between, bump_sequences, user_ids

from .models import (
    Budget,
    BudgetYearLock,
    PaymentBatch,
    Spending,
    Subsidy,
    SubsidyPayment,
    SubsidyPolicy,
    SubsidyStandard,
)
from .subsidy import calculate

YEARLY_RISE = Decimal("1.03")
SOURCES = [("county", Decimal("0.48")), ("central", Decimal("0.25")), ("provincial", Decimal("0.17")),
           ("municipal", Decimal("0.08")), ("other", Decimal("0.02"))]
# Other spending of a county of 1,000 cases a year: category, description, yuan a month (low, high).
MONTHLY = [("publicity", "宣传资料印刷", 800, 3500), ("office", "办公用品", 300, 1500)]
OCCASIONAL = Choice([(("training", "承办人员业务培训", 3000, 9000), 3), (("books", "法律书籍采购", 500, 2000), 2),
                     (("equipment", "接待窗口设备购置", 4000, 12000), 1), (("other", "其他支出", 200, 1200), 2)])


def seed_scale(*, cases: int, rng, stdout) -> None:
    Money(cases, rng, stdout).run()


class Money:
    def __init__(self, cases: int, rng, stdout):
        self.n, self.rng = cases, rng
        self.t = Timeline()
        self.progress = Progress(stdout, "funding")
        self.users = user_ids()
        self.finance = self.users.get("finance")
        self.profile = CenterProfile.get()
        self.numbers: dict[tuple[str, int], int] = {}
        # The caseload of a year compared with a county of 1,000 cases a year.
        self.size = max(0.2, cases / self.t.span * 365.25 / 1000)

    def run(self) -> None:
        self.progress.done("standards and policies", self.standards())
        self.months = self.duty_months()
        spent = self.subsidies()
        for more in (self.duty(), self.other_spending()):
            for key, amount in more.items():
                spent[key] = spent.get(key, Decimal(0)) + amount
        self.budgets(spent)
        bump_sequences({(f"doc:{kind}", year): last for (kind, year), last in self.numbers.items()})

    def number(self, kind: str, year: int) -> str:
        key = (kind, year)
        seq = self.numbers[key] = self.numbers.get(key, 0) + 1
        return self.profile.document_number_pattern.format(year=year, abbr=self.profile.abbr,
                                                           word=DOCUMENT_WORDS[kind], seq=seq)

    def standards(self) -> int:
        """Standards and a policy for every year of the ten, from the earliest shipped year's."""
        model_year = SubsidyStandard.objects.order_by("year").values_list("year", flat=True).first()
        made = 0
        if model_year is not None:
            model = list(SubsidyStandard.objects.filter(year=model_year))
            for year in range(self.t.start.year, model_year):
                if SubsidyStandard.objects.filter(year=year).exists():
                    continue
                factor = YEARLY_RISE ** (model_year - year)
                SubsidyStandard.objects.bulk_create([SubsidyStandard(
                    year=year, category=s.category, scope=s.scope, amount_pass=_less(s.amount_pass, factor),
                    amount_good=_less(s.amount_good, factor), amount_excellent=_less(s.amount_excellent, factor))
                    for s in model])
                made += len(model)
        for year in range(self.t.start.year, self.t.end.year + 1):
            _policy, created = SubsidyPolicy.objects.get_or_create(year=year)
            made += created
        return made

    # --- subsidies, batches, payments ------------------------------------------------------------------
    def subsidies(self) -> dict[tuple[int, str], Decimal]:
        from cases.models import Case

        t, rng = self.t, self.rng
        standards: dict[int, dict] = {}
        for s in SubsidyStandard.objects.all():
            standards.setdefault(s.year, {})[(s.category, s.scope)] = s
        policies = {p.year: p for p in SubsidyPolicy.objects.all()}
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, status, category, stage, aid_form, grade, recipient_count, is_mass, outside_county, "
                f"major, substantive_work, handler_id, COALESCE(archived_on, terminated_on) - %s, graded_on - %s, "
                f"terminated_on - %s FROM {quote(Case._meta.db_table)} "
                f"WHERE handler_id IS NOT NULL AND ((status = 'archived' AND grade <> '') "
                f"OR (status = 'terminated' AND substantive_work)) ORDER BY 1", [t.start, t.start, t.start])
            found = cursor.fetchall()
        results: dict[tuple, tuple[str, str]] = {}
        subsidies = []
        with translation.override(settings.LANGUAGE_CODE):
            for (pk, status, category, stage, aid_form, grade, count, mass, outside, major, substantive, handler,
                 ended, graded, terminated) in found:
                year = t.years[ended]
                key = (status, category, stage, aid_form, grade, count if mass else 1, mass, outside, major, year)
                result = results.get(key)
                if result is None:
                    table = standards.get(year, {})

                    def lookup(category, scopes, table=table):
                        return next((table[(category, s)] for s in scopes if (category, s) in table), None)

                    case = SimpleNamespace(status=status, substantive_work=substantive, grade=grade,
                                           category=category, stage=stage, aid_form=aid_form, recipient_count=count,
                                           is_mass=mass, outside_county=outside, major=major)
                    amount, lines = calculate(case, lookup, policies.get(year))
                    result = results[key] = (f"{amount:.2f}", json.dumps([line.as_dict() for line in lines],
                                                                         ensure_ascii=False))
                # Computed when the case was graded; a terminated case by finance within the month.
                made = graded if status == "archived" else min(t.today, terminated + between(rng, 3, 30))
                subsidies.append([pk, handler, result[0], result[1], made])
        self.progress.done("(subsidies computed)", len(subsidies))

        # Quarterly batches of what was computed by the quarter's end; a 0.00 subsidy stays out.
        ids = reserve_ids(Subsidy, len(subsidies))
        subsidies.sort(key=lambda s: (s[4], s[0]))
        quarters = []
        year, quarter = t.start.year, (t.start.month - 1) // 3
        while True:
            end = date(year + (quarter == 3), 1 if quarter == 3 else quarter * 3 + 4, 1) - date.resolution
            if t.offset(end) > t.today:
                break
            quarters.append((year, quarter + 1, t.offset(end)))
            year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        batches, spending, payments = [], [], []
        position = 0
        pending = []
        spent: dict[tuple[int, str], Decimal] = {}
        plan = []
        for year, quarter, end in quarters:
            while position < len(subsidies) and subsidies[position][4] <= end:
                pending.append(subsidies[position])
                position += 1
            members = [s for s in pending if s[2] != "0.00"]
            pending = [s for s in pending if s[2] == "0.00"]
            if members:
                plan.append((year, quarter, end, members))
        with translation.override(settings.LANGUAGE_CODE):
            for (year, quarter, end, members), batch_id in zip(plan, reserve_ids(PaymentBatch, len(plan)),
                                                               strict=True):
                created = min(t.today, end + between(rng, 3, 8))
                paid = created + between(rng, 5, 12)
                is_paid = paid <= t.today
                number = self.number("batch", t.years[created])
                total = sum((Decimal(s[2]) for s in members), Decimal("0.00"))
                batches.append((batch_id, number, "handler", f"{year}年第{quarter}季度办案补贴",
                                "paid" if is_paid else "open", t.iso[paid] if is_paid else None,
                                t.stamp(created, 600), self.finance))
                for s in members:
                    s.extend([batch_id, paid if is_paid else None])
                if is_paid:
                    key = (t.years[paid], "case_subsidy")
                    spent[key] = spent.get(key, Decimal(0)) + total
                    spending.append((t.iso[paid], "case_subsidy", f"{total:.2f}",
                                     gettext("Case subsidies, batch %(number)s (%(n)s cases)")
                                     % {"number": number, "n": len(members)}, batch_id, None, "", "",
                                     t.stamp(paid, 630), self.finance))

        with loading(PaymentBatch):
            count = copy_rows(PaymentBatch, ["id", "number", "vouchers_per", "title", "status", "paid_on",
                                             "created_at", "created_by_id"], batches)
        self.progress.done("payment batches", count)

        def subsidy_rows():
            for pk, s in zip(ids, subsidies, strict=True):
                case, handler, amount, lines, made, *batch = s
                batch_id, paid = batch if batch else (None, None)
                status = "paid" if paid is not None else ("batched" if batch_id else "computed")
                if paid is not None:
                    payments.append((pk, batch_id, amount, paid))
                yield (pk, case, handler, amount, lines, amount, "", status, batch_id,
                       t.iso[paid] if paid is not None else None, t.stamp(made, 660))

        with loading(Subsidy):
            count = copy_rows(Subsidy, ["id", "case_id", "handler_id", "computed_amount", "lines", "amount",
                                        "adjustment_reason", "status", "batch_id", "paid_on", "created_at"],
                              subsidy_rows())
        self.progress.done("subsidies", count)

        with loading(SubsidyPayment):
            count = copy_rows(SubsidyPayment, ["subsidy_id", "batch_id", "kind", "amount", "case_count", "date",
                                               "reverses_id", "reversal_id", "reason", "by_id", "approved_by_id",
                                               "created_at"],
                              ((pk, batch, "payment", amount, 1, t.iso[paid], None, None, "", self.finance, None,
                                t.stamp(paid, 630)) for pk, batch, amount, paid in payments))
        self.progress.done("subsidy payment lines", count)
        self.spending = spending
        return spent

    # --- duty subsidies and other spending ---------------------------------------------------------------
    def duty_months(self) -> list[tuple]:
        """Per month: handlers on duty, duty-lawyer days and consultation-duty days, each day counted once
        per handler and kind (funding.selectors.duty_days)."""
        from stations.models import DutyShift

        from .selectors import CONSULTATION_PLACES

        self.rates = {p.year: (p.duty_day_rate, p.consultation_day_rate) for p in SubsidyPolicy.objects.all()}
        quote = connection.ops.quote_name
        places = sorted(CONSULTATION_PLACES)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT date_trunc('month', date)::date AS month, count(DISTINCT handler_id), "
                f"sum(duty), sum(consult) FROM (SELECT handler_id, date_trunc('month', date)::date AS date, "
                f"count(DISTINCT date) FILTER (WHERE NOT place_kind = ANY(%s)) AS duty, "
                f"count(DISTINCT date) FILTER (WHERE place_kind = ANY(%s)) AS consult "
                f"FROM {quote(DutyShift._meta.db_table)} WHERE date <= %s GROUP BY 1, 2) per_handler "
                f"GROUP BY 1 ORDER BY 1", [places, places, self.t.end])
            return cursor.fetchall()

    def duty(self) -> dict[tuple[int, str], Decimal]:
        t, rates, months = self.t, self.rates, self.months
        spent: dict[tuple[int, str], Decimal] = {}
        this_month = t.end.replace(day=1)
        with translation.override(settings.LANGUAGE_CODE):
            for month, people, duty_days, consultation_days in months:
                if month >= this_month:
                    continue  # posted once the month is over
                duty_rate, consultation_rate = rates.get(month.year, (Decimal(200), Decimal(150)))
                total = (duty_rate * duty_days + consultation_rate * consultation_days).quantize(Decimal("0.01"))
                end = (date(month.year + (month.month == 12), month.month % 12 + 1, 1) - date.resolution)
                day = t.offset(end)
                spent[(month.year, "duty_subsidy")] = spent.get((month.year, "duty_subsidy"), Decimal(0)) + total
                self.spending.append((t.iso[day], "duty_subsidy", f"{total:.2f}",
                                      gettext("Duty subsidies %(year)s-%(month)02d (%(n)s people)")
                                      % {"year": month.year, "month": month.month, "n": people}, None, None, "",
                                      f"duty:{month.year}-{month.month:02d}", t.stamp(day, 960), self.finance))
        return spent

    def other_spending(self) -> dict[tuple[int, str], Decimal]:
        t, rng = self.t, self.rng
        spent: dict[tuple[int, str], Decimal] = {}
        month = t.start.replace(day=1)
        while month <= t.end:
            items = list(MONTHLY)
            if rng.random() < 0.5:
                items.append(OCCASIONAL(rng))
            for category, text, low, high in items:
                day = t.offset(month) + between(rng, 0, 27)
                if day < 0 or day > t.today:
                    continue
                amount = Decimal(round(between(rng, low, high) * self.size, -1)).quantize(Decimal("0.01"))
                key = (t.years[day], category)
                spent[key] = spent.get(key, Decimal(0)) + amount
                self.spending.append((t.iso[day], category, f"{amount:.2f}", text, None, None, "", "",
                                      t.stamp(day, 600), self.finance))
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        self.spending.sort(key=lambda row: row[0])
        with loading(Spending):
            count = copy_rows(Spending, ["date", "category", "amount", "description", "batch_id", "reverses_id",
                                         "reason", "import_fingerprint", "created_at", "created_by_id"],
                              self.spending)
        self.progress.done("spending entries", count)
        return spent

    def budgets(self, spent: dict[tuple[int, str], Decimal]) -> None:
        t, rng = self.t, self.rng
        per_year: dict[int, Decimal] = {}
        for (year, _category), amount in spent.items():
            per_year[year] = per_year.get(year, Decimal(0)) + amount
        rows, locks = [], []
        for year in range(t.start.year, t.end.year + 1):
            # A year's budget is set in advance: last year's spending (or this one's) and a margin.
            base = per_year.get(year - 1) or per_year.get(year) or Decimal(100000)
            total = base * Decimal(str(1.05 + rng.random() * 0.1))
            for source, share in SOURCES:
                rows.append((year, source, f"{(total * share).quantize(Decimal('1000')):.2f}",
                             f"{year}年度法律援助经费", ""))
            if year < t.end.year:
                locks.append((year, date(year + 1, 1, 31)))
        count = copy_rows(Budget, ["year", "source", "amount", "note", "import_fingerprint"], rows)
        self.progress.done("budgets", count)
        count = copy_rows(BudgetYearLock, ["year", "locked_on"],
                          [(year, locked) for year, locked in locks if locked <= t.end])
        self.progress.done("closed budget years", count)


def _less(amount: Decimal, factor: Decimal) -> Decimal:
    return (amount / factor).quantize(Decimal("10"))
