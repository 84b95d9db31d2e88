"""The eligibility check (DOMAIN.md §4; Legal Aid Law Art. 24, 29, 31, 32, 34, 42).

`evaluate(policy=, facts=)` is a pure function: it reads a `PolicySpec` (built from
the year's `EligibilityPolicy` by `spec_for_year`) and the `Facts` of one
application, and returns a result with the Chinese reasons that are printed on the
decision. No database access happens inside `evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.display import money_text

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"

# Migrant workers' wage and work-injury claims: green channel, no economic check (Art. 42-3).
MIGRANT_CAUSES = {"labour_pay", "work_injury"}
# Support payments and domestic violence are judged on the applicant's own income.
INDIVIDUAL_CAUSES = {"support"}


@dataclass(frozen=True)
class PolicySpec:
    year: int
    urban_base: Decimal
    rural_base: Decimal
    multiplier: Decimal = Decimal("2.0")
    basis: str = "household"
    asset_test: bool = False
    asset_limit: Decimal | None = None
    # code -> (name, set of causes)
    matters: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    no_hardship: dict[str, str] = field(default_factory=dict)
    exemptions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    category: str = "civil"
    cause: str = ""
    matter_ground: str = ""  # Art. 31 item code chosen by the clerk for a matter no cause expresses
    hukou: str = ""  # urban / rural
    household_income: Decimal | None = None
    household_size: int = 1
    individual_income: Decimal | None = None
    assets: Decimal | None = None
    groups: frozenset[str] = frozenset()
    registry: str = ""  # e.g. "低保（县民政局）" when the ID number matched a valid registry entry
    no_hardship_ground: str = ""  # Art. 32 item code
    exemption_ground: str = ""  # Art. 42 item code chosen by the clerk
    no_fixed_income: bool = False
    domestic_violence: bool = False
    criminal_role: str = ""  # defendant / victim


@dataclass
class Result:
    result: str
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return self.result == ELIGIBLE


def money(value: Decimal) -> str:
    return money_text(value)


def _fine(value: Decimal) -> str:
    """An amount per person to four decimals, for when cents alone hide that it is above the line."""
    return f"{Decimal(value).quantize(Decimal('0.0001'), ROUND_HALF_UP):,f}"


def _mult(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}" if Decimal(value) != Decimal(value).to_integral() else f"{value:.1f}"


def evaluate(*, policy: PolicySpec | None, facts: Facts) -> Result:
    reasons: list[str] = []

    # 1. Is the matter one legal aid covers?
    if facts.category == "criminal":
        if facts.criminal_role == "victim":
            reasons.append("刑事案件被害人及其近亲属因经济困难申请法律援助（法律援助法第二十九条）")
        else:
            reasons.append("刑事案件犯罪嫌疑人、被告人因经济困难申请法律援助（法律援助法第二十四条）")
    elif facts.no_hardship_ground:
        name = (policy.no_hardship.get(facts.no_hardship_ground) if policy else None) or facts.no_hardship_ground
        reasons.append(f"{name}，不受经济困难条件的限制（法律援助法第三十二条）")
        return Result(ELIGIBLE, reasons)
    else:
        if policy is None:
            return Result(NEEDS_REVIEW, ["本年度未配置法律援助经济困难标准，需人工审查"])
        matter = _matter(policy, facts)
        if matter is None:
            reasons.append("申请事项不属于法律援助法第三十一条规定的法律援助事项范围")
            return Result(NOT_ELIGIBLE, reasons)
        reasons.append(f"申请事项属于“{matter}”（法律援助法第三十一条）")

    # 2. Exempt from the economic check (Art. 42)?
    exempt = _exemption(policy, facts)
    if exempt:
        reasons.append(exempt)
        return Result(ELIGIBLE, reasons)

    # 3. Economic hardship (Art. 34).
    if policy is None:
        reasons.append("本年度未配置法律援助经济困难标准，需人工审查")
        return Result(NEEDS_REVIEW, reasons)
    if facts.hukou not in ("urban", "rural"):
        reasons.append("未填写户籍（城镇/农村），无法确定适用的低保标准，需人工审查")
        return Result(NEEDS_REVIEW, reasons)
    base = policy.urban_base if facts.hukou == "urban" else policy.rural_base
    base_word = "城镇低保" if facts.hukou == "urban" else "农村低保"
    # The line and the income per person are compared unrounded: a household of 3 earning 3,660.01 has
    # 1,220.0033… a month per person, above a line of 1,220.00 although both print as 1,220.00.
    limit = Decimal(base) * Decimal(policy.multiplier)
    individual = policy.basis == "individual" or facts.cause in INDIVIDUAL_CAUSES or facts.domestic_violence
    if individual:
        income = facts.individual_income
        if income is None:
            reasons.append("按申请人个人收入计算（追索赡养费、抚养费、扶养费或家庭暴力案件），"
                           "未提供个人月收入，需人工审查")
            return Result(NEEDS_REVIEW, reasons)
        label = "个人月收入"
        per_person = Decimal(income)
        above = per_person > limit
        shown = money(per_person)
    else:
        if facts.household_income is None or not facts.household_size:
            reasons.append("未提供家庭月收入或家庭人口，需人工审查")
            return Result(NEEDS_REVIEW, reasons)
        label = "月人均收入"
        above = Decimal(facts.household_income) > limit * facts.household_size
        per_person = Decimal(facts.household_income) / facts.household_size
        shown = money(per_person)
        if above and shown == money(limit):
            # Rounded to the cent it would read "1,220.00 > 1,220.00": show the division instead.
            shown = f"{money(facts.household_income)} 元 ÷ {facts.household_size} 人 ≈ {_fine(per_person)}"
    rule = f"{_mult(policy.multiplier)} × {base_word} {money(base)} 元 = {money(limit)} 元"
    if above:
        reasons.append(f"{label} {shown} 元 > {rule}，不符合经济困难标准")
        return Result(NOT_ELIGIBLE, reasons)
    reasons.append(f"{label} {shown} 元 ≤ {rule}")

    if policy.asset_test:
        if facts.assets is None:
            reasons.append("实行财产核查，未提供家庭财产情况，需人工审查")
            return Result(NEEDS_REVIEW, reasons)
        if policy.asset_limit is not None and Decimal(facts.assets) > policy.asset_limit:
            reasons.append(f"家庭财产 {money(facts.assets)} 元 > 限额 {money(policy.asset_limit)} 元，"
                           "不符合经济困难标准")
            return Result(NOT_ELIGIBLE, reasons)
        if policy.asset_limit is not None:
            reasons.append(f"家庭财产 {money(facts.assets)} 元 ≤ 限额 {money(policy.asset_limit)} 元")
    return Result(ELIGIBLE, reasons)


def _matter(policy: PolicySpec, facts: Facts) -> str | None:
    """The Art. 31 item the cause belongs to; else the item the clerk chose, when it is one no cause expresses
    (e.g. item 6, declaring a citizen without or with limited civil capacity)."""
    by_cause = next((name for name, causes in policy.matters.values() if facts.cause and facts.cause in causes),
                    None)
    if by_cause is not None:
        return by_cause
    chosen = policy.matters.get(facts.matter_ground) if facts.matter_ground else None
    if chosen is not None and not chosen[1]:
        return chosen[0]
    return None


def _exemption(policy: PolicySpec | None, facts: Facts) -> str:
    if facts.category != "criminal" and "migrant_worker" in facts.groups and facts.cause in MIGRANT_CAUSES:
        what = "追索劳动报酬" if facts.cause == "labour_pay" else "请求工伤事故人身损害赔偿"
        return f"农民工{what}，免予核查经济困难状况"
    if facts.registry:
        return f"困难群体信息库登记为{facts.registry}，免予核查经济困难状况"
    if "minor" in facts.groups:
        return "未成年人，免予核查经济困难状况（法律援助法第四十二条）"
    if facts.no_fixed_income and ("elderly" in facts.groups or "disabled" in facts.groups):
        who = "老年人" if "elderly" in facts.groups else "残疾人"
        return f"无固定生活来源的{who}，免予核查经济困难状况（法律援助法第四十二条）"
    if "low_income" in facts.groups:
        return "社会救助对象（低保/特困），免予核查经济困难状况（法律援助法第四十二条）"
    if facts.exemption_ground:
        name = (policy.exemptions.get(facts.exemption_ground) if policy else None) or facts.exemption_ground
        return f"{name}，免予核查经济困难状况（法律援助法第四十二条）"
    return ""


# --- Reading the configuration -------------------------------------------------------------

def spec_from_policy(policy) -> PolicySpec:
    items = [i for i in policy.items.all() if i.active]
    return PolicySpec(
        year=policy.year, urban_base=policy.urban_base, rural_base=policy.rural_base,
        multiplier=policy.multiplier, basis=policy.basis, asset_test=policy.asset_test,
        asset_limit=policy.asset_limit,
        matters={i.code: (i.name, frozenset(i.causes)) for i in items if i.kind == "matter"},
        no_hardship={i.code: i.name for i in items if i.kind == "no_hardship"},
        exemptions={i.code: i.name for i in items if i.kind == "exemption"},
    )


def spec_for_year(year: int) -> PolicySpec | None:
    """The policy of `year`, else the latest earlier one."""
    from .models import EligibilityPolicy

    policy = (EligibilityPolicy.objects.filter(year__lte=year).prefetch_related("items").order_by("-year").first()
              or EligibilityPolicy.objects.prefetch_related("items").order_by("year").first())
    return spec_from_policy(policy) if policy else None
