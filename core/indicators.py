"""One definition per indicator of STATISTICS.md, and the one engine that evaluates them.

Each app defines the indicators of its own records beside its models (`cases/indicators.py`,
`intake/indicators.py` …) as:

- a `Family`: one model, its base queryset for a period, and the field that ties a record to a station;
- a `Measure`: code, label, unit, the family it counts, `where(period)` (the records counted, a Q on the
  family's queryset) and how they aggregate (a count of records, or the sum of one field);
- a `Ratio` (a rate in percent, or an average) of two other indicators, and a `Total` of several.

The figure is `family.records(p, station).filter(where(p))` aggregated; the list behind it is that very
queryset. A count therefore equals the list's total and a sum equals the list's sum row by construction.
`reports` assembles every app's definitions in the order of STATISTICS.md; the dashboard, the station
pages, the funding page, the workbook and the Word draft all evaluate them here, nothing restates them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    DecimalField,
    Field,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.utils.hashable import make_hashable

from .periods import Period

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
CENTER = "center"  # the station parameter that means "records of the center itself (no station)"


@Field.register_lookup
class AmongLookup(Lookup):
    """`field__among=ArraySubquery(…)`: `field = ANY(ARRAY(SELECT …))` (see found_in)."""

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def found_in(field: str, values: QuerySet) -> Q:
    """The records whose `field` is one of the values the queryset selects (one column, not correlated).

    PostgreSQL runs the queryset once per statement (an InitPlan whose result the parallel workers are
    handed) instead of once per row as EXISTS (…) would, so the scan that tests it stays parallel;
    `field__in=values` would be planned as a subquery that PostgreSQL keeps out of parallel workers when it
    is itself a parallel scan. A tested row is compared with the values one by one: keep it to conditions
    that select a few hundred records (an agreement late at the end date, a review paused by a notice), and
    keep a column on the record for those that hold for most (cases.Case.has_followup)."""
    return Q(**{f"{field}__among": ArraySubquery(values.order_by())})


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(num, den) -> float | None:
    """num / den in percent with one decimal; None when the denominator is 0 or either is empty."""
    if den is None or num is None or den == 0:
        return None
    return float((Decimal(num) * 100 / Decimal(den)).quantize(TENTH, rounding=ROUND_HALF_UP))


def change(this, last) -> float | None:
    if this is None or last is None or last == 0:
        return None
    return float(((Decimal(str(this)) - Decimal(str(last))) * 100 / Decimal(str(last)))
                 .quantize(TENTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Family:
    """The records of one model that indicators count."""

    key: str
    records: Callable[[Period], QuerySet]  # every record the family's indicators may count, for this period
    station_field: str | None  # the record's station (as it was when the record was made); None: county only

    def queryset(self, p: Period, station=None) -> QuerySet:
        """The family's records in scope: the county (station None), one station, or CENTER (no station)."""
        qs = self.records(p)
        if station is None:
            return qs
        if self.station_field is None:
            return qs.none()
        if station == CENTER:
            return qs.filter(**{f"{self.station_field}__isnull": True})
        return qs.filter(**{self.station_field: getattr(station, "pk", station)})


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    family: Family
    where: Callable[[Period], Q]
    sum_field: str | None = None  # None: the number of records; else the sum of this field
    money: bool = False
    stock: bool = False  # taken at the end date (期末…, network), not over the period
    published: bool = True  # False: a part of a rate or total (e.g. decisions on time), not a row of 指标
    level: bool = False  # the period's whole amount from its first day (the year's budget), not grown through it

    kind = "measure"

    def records(self, p: Period, station=None) -> QuerySet:
        """Exactly the records this figure counts: the list behind it."""
        return self.family.queryset(p, station).filter(self.where(p))

    def aggregate(self, p: Period):
        q = self.where(p)
        if self.sum_field is None:
            return Count("pk", filter=q)
        if self.money:
            return Sum(self.sum_field, filter=q, output_field=DecimalField(max_digits=16, decimal_places=2))
        return Coalesce(Sum(self.sum_field, filter=q), Value(0), output_field=IntegerField())

    def clean(self, raw):
        if self.money:
            return money(raw)
        return raw or 0


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator: a rate in percent (one decimal), or an average in yuan (`percent=False`)."""

    code: str
    name: str
    unit: str
    numerator: str
    denominator: str
    percent: bool = True
    numerator_adjust: str | None = None  # a code subtracted from the numerator: (graded − fail) / graded
    published: bool = True

    kind = "ratio"

    def value(self, values: dict):
        num, den = values.get(self.numerator), values.get(self.denominator)
        if self.numerator_adjust and num is not None:
            num = num - (values.get(self.numerator_adjust) or 0)
        if not self.percent:
            return money(Decimal(num) / Decimal(den)) if num is not None and den else None
        return rate(num, den)

    @property
    def parts(self) -> list[str]:
        """Numerator, the part taken from it (if any), denominator; each once."""
        return list(dict.fromkeys(c for c in (self.numerator, self.numerator_adjust, self.denominator) if c))


@dataclass(frozen=True)
class Total:
    """The sum of other indicators (services.total)."""

    code: str
    name: str
    unit: str
    parts: tuple[str, ...]
    published: bool = True

    kind = "total"

    def value(self, values: dict):
        got = [values.get(c) for c in self.parts]
        return None if any(v is None for v in got) else sum(got)


Indicator = Measure | Ratio | Total


def grows_through_the_period(item: Indicator, by_code: dict) -> bool:
    """Whether a figure adds up as the period goes (cases accepted, 人次, money spent), so that a share of the
    year extrapolates to the year: not a stock (期末…, the network), a level (the year's budget), a rate or an
    average."""
    if isinstance(item, Measure):
        return not item.stock and not item.level
    if isinstance(item, Total):
        return all(grows_through_the_period(by_code[c], by_code) for c in item.parts)
    return False


@dataclass
class Registry:
    """Indicators in the order of STATISTICS.md."""

    items: list[Indicator] = field(default_factory=list)

    def __post_init__(self):
        self.by_code = {i.code: i for i in self.items}
        assert len(self.by_code) == len(self.items), "an indicator is defined twice"

    def __getitem__(self, code: str) -> Indicator:
        return self.by_code[code]

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def __iter__(self):
        return iter(self.items)

    @property
    def codes(self) -> list[str]:
        """The published indicators (the rows of 指标), in order."""
        return [i.code for i in self.items if i.published]

    @property
    def published(self) -> list[Indicator]:
        return [i for i in self.items if i.published]

    def needed(self, codes: Iterable[str]) -> set[str]:
        """These indicators and, for rates and totals, every figure they are made of."""
        found: set[str] = set()
        todo = list(codes)
        while todo:
            code = todo.pop()
            if code not in found:
                found.add(code)
                item = self.by_code[code]
                todo += list(getattr(item, "parts", ()))
        return found

    def evaluate(self, p: Period, station=None, codes: Iterable[str] | None = None, *,
                 progress: Callable[[int, int], None] | None = None) -> dict:
        """{code: value} for every indicator and every part of one (unpublished measures included), or only
        for `codes` and their parts: one aggregate query per family, whatever the data size. A condition
        should not read a subquery per row (EXISTS): PostgreSQL never aggregates such a query in parallel;
        read a column kept on the record or a few records of another table (found_in) instead.
        `progress(done, total)` is told the measures computed after each family's query."""
        wanted = self.needed(codes) if codes is not None else None
        items = [i for i in self.items if wanted is None or i.code in wanted]
        values: dict = {}
        families: dict[str, tuple[Family, list[Measure]]] = {}
        for item in items:
            if isinstance(item, Measure):
                families.setdefault(item.family.key, (item.family, []))[1].append(item)
        total = sum(len(m) for _f, m in families.values())
        for fam, measures in families.values():
            if station is not None and fam.station_field is None:
                values.update({m.code: None for m in measures})  # county-only records: empty, not 0
            else:
                qs = fam.queryset(p, station)
                values.update(_aggregate(qs, measures, p, subqueries_of(qs)))
            if progress:
                progress(len(values), total)
        for item in items:  # derived figures after every measure they read
            if not isinstance(item, Measure):
                values[item.code] = item.value(values)
        return {i.code: values[i.code] for i in items}

    def grouped(self, codes: Iterable[str], p: Period, by: str | tuple[str, ...], station=None) -> dict:
        """{group value: {code: value}} for measures of one family, grouped by a field, or by several
        (then the key is a tuple), in one query."""
        measures = [self.by_code[c] for c in codes]
        fam = measures[0].family
        assert all(isinstance(m, Measure) and m.family is fam for m in measures), "one family per breakdown"
        if station is not None and fam.station_field is None:
            return {}
        fields = (by,) if isinstance(by, str) else tuple(by)
        qs = fam.queryset(p, station)
        rows = (qs.filter(any_of((m.where(p) for m in measures), subqueries_of(qs))).values(*fields)
                .annotate(**{_alias(m.code): m.aggregate(p) for m in measures}).order_by(*fields))

        def key(r):
            return r[by] if isinstance(by, str) else tuple(r[f] for f in fields)
        return {key(r): {m.code: m.clean(r[_alias(m.code)]) for m in measures} for r in rows}


def _aggregate(qs: QuerySet, measures: list[Measure], p: Period, subqueries: set[str]) -> dict:
    if not measures:
        return {}
    raw = (qs.filter(any_of((m.where(p) for m in measures), subqueries))
           .aggregate(**{_alias(m.code): m.aggregate(p) for m in measures}))
    return {m.code: m.clean(raw[_alias(m.code)]) for m in measures}


def subqueries_of(qs: QuerySet) -> set[str]:
    """The names of a queryset's annotations and aliases that are subqueries of other tables, and "*" (an
    expression used as a condition that holds one, see _names)."""
    return {"*"} | {name for name, expr in qs.query.annotations.items() if isinstance(expr, Subquery)}


def any_of(conditions: Iterable[Q], subqueries: set[str] = frozenset()) -> Q:
    """The rows at least one measure counts: a family's query reads only those (a province's year, not its
    twenty). Every aggregate keeps its own FILTER, so the figures are the same. A measure that counts every
    row of its family (an empty Q) makes the whole family read: Q() | Q(x) would be Q(x) in Django.
    A condition that adds terms to another is left out (A or (A and B) is A): "accepted in the year and
    criminal" is inside "accepted in the year", so each row is tested against a few conditions, not sixty.
    Terms naming one of `subqueries` are left out too (the rows read are then more, never fewer): a subquery
    per row in the WHERE would keep PostgreSQL from scanning in parallel; the FILTER still applies it."""
    kept: list[tuple[frozenset, Q]] = []
    for q in _branches(conditions):
        q = _without(q, subqueries)
        if not q:
            return Q()
        terms = _terms(q)
        if any(have <= terms for have, _q in kept):
            continue
        kept = [(have, k) for have, k in kept if not terms <= have] + [(terms, q)]
    out = None
    for _have, q in kept:
        out = q if out is None else out | q
    return out if out is not None else Q()


def _branches(conditions: Iterable[Q]):
    """Each condition, and each branch of a condition that is an OR of several."""
    for q in conditions:
        if q.connector == Q.OR and not q.negated and len(q.children) > 1:
            yield from _branches(c if isinstance(c, Q) else Q(c) for c in q.children)
        else:
            yield q


def _without(q: Q, names) -> Q:
    """q with every AND term that names one of `names` left out (a looser condition)."""
    if not names or not _names(q) & set(names):
        return q
    if q.connector != Q.AND or q.negated:
        return Q()
    out = Q()
    for c in q.children:
        c = c if isinstance(c, Q) else Q(c)
        if not _names(c) & set(names):
            out &= c
    return out


def _names(q: Q) -> set[str]:
    """The fields and annotations a condition reads (the first part of each lookup); an expression used as a
    condition (Q(Exists(…))) reads the subqueries it holds, under the name "*"."""
    found = set()
    for c in q.children:
        if isinstance(c, Q):
            found |= _names(c)
        elif isinstance(c, tuple):
            found.add(c[0].split(LOOKUP_SEP, 1)[0])
        elif getattr(c, "subquery", False) or getattr(c, "contains_subquery", False):
            found.add("*")
    return found


def _terms(q: Q) -> frozenset:
    """The conjuncts of a condition: the terms of an AND, or the condition itself."""
    if q.connector == Q.AND and not q.negated:
        return frozenset(make_hashable(c) for c in q.children)
    return frozenset([make_hashable(q)])


def _alias(code: str) -> str:
    return "v_" + code.replace(".", "__")
