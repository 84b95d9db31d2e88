"""Every rule and boundary of the eligibility check (DOMAIN.md §4), as a pure function."""

from decimal import Decimal

import pytest

from applicants.eligibility import (
    ELIGIBLE,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    Facts,
    PolicySpec,
    evaluate,
    spec_for_year,
)

POLICY = PolicySpec(
    year=2025, urban_base=Decimal("700"), rural_base=Decimal("610"), multiplier=Decimal("2.0"),
    matters={"labour": ("请求确认劳动关系或者支付劳动报酬", frozenset({"labour_pay"})),
             "support": ("请求给付赡养费、抚养费、扶养费", frozenset({"support"})),
             "injury": ("请求工伤事故、交通事故人身损害赔偿", frozenset({"work_injury", "traffic"}))},
    no_hardship={"abuse_victim": "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"},
    exemptions={"assistance": "社会救助、司法救助或者优抚对象"},
)


def facts(**kw):
    base = dict(category="civil", cause="traffic", hukou="rural", household_income=Decimal("3660"),
                household_size=3)
    base.update(kw)
    return Facts(**base)


def test_income_exactly_at_the_line_is_eligible():
    r = evaluate(policy=POLICY, facts=facts(household_income=Decimal("3660")))  # 1220 per person
    assert r.result == ELIGIBLE
    assert "月人均收入 1,220.00 元 ≤ 2.0 × 农村低保 610.00 元 = 1,220.00 元" in r.reasons


def test_income_one_cent_above_the_line_is_not_eligible():
    r = evaluate(policy=POLICY, facts=facts(household_income=Decimal("3660.03")))
    assert r.result == NOT_ELIGIBLE
    assert any("1,220.01 元 >" in x for x in r.reasons)


def test_the_reason_reads_like_the_decision_wording():
    r = evaluate(policy=POLICY, facts=facts(household_income=Decimal("3060")))
    assert "月人均收入 1,020.00 元 ≤ 2.0 × 农村低保 610.00 元 = 1,220.00 元" in r.reasons


def test_urban_household_uses_the_urban_base():
    r = evaluate(policy=POLICY, facts=facts(hukou="urban", household_income=Decimal("4200")))
    assert r.result == ELIGIBLE
    assert "= 1,400.00 元" in r.reasons[-1]


def test_a_multiplier_of_one_and_a_half_is_applied():
    policy = PolicySpec(**{**POLICY.__dict__, "multiplier": Decimal("1.50")})
    r = evaluate(policy=policy, facts=facts(household_income=Decimal("3000")))
    assert r.result == NOT_ELIGIBLE
    assert "1.5 × 农村低保 610.00 元 = 915.00 元" in r.reasons[-1]


def test_missing_income_needs_review():
    assert evaluate(policy=POLICY, facts=facts(household_income=None)).result == NEEDS_REVIEW


def test_missing_household_registration_needs_review():
    assert evaluate(policy=POLICY, facts=facts(hukou="")).result == NEEDS_REVIEW


def test_matter_outside_article_31_is_not_eligible():
    r = evaluate(policy=POLICY, facts=facts(cause="contract_debt"))
    assert r.result == NOT_ELIGIBLE
    assert "第三十一条" in r.reasons[0]


def test_migrant_worker_claiming_wages_is_exempt_from_the_economic_check():
    r = evaluate(policy=POLICY, facts=facts(cause="labour_pay", household_income=Decimal("99999"),
                                            groups=frozenset({"migrant_worker"})))
    assert r.result == ELIGIBLE
    assert "农民工追索劳动报酬，免予核查经济困难状况" in r.reasons


def test_a_registry_match_exempts_from_the_economic_check():
    r = evaluate(policy=POLICY, facts=facts(household_income=None, registry="低保（县民政局）"))
    assert r.result == ELIGIBLE
    assert "困难群体信息库登记为低保（县民政局），免予核查经济困难状况" in r.reasons


def test_a_minor_is_exempt_from_the_economic_check():
    r = evaluate(policy=POLICY, facts=facts(household_income=Decimal("99999"), groups=frozenset({"minor"})))
    assert r.result == ELIGIBLE
    assert any("未成年人" in x for x in r.reasons)


def test_elderly_without_fixed_income_is_exempt_but_with_income_is_checked():
    exempt = evaluate(policy=POLICY, facts=facts(household_income=Decimal("99999"),
                                                 groups=frozenset({"elderly"}), no_fixed_income=True))
    checked = evaluate(policy=POLICY, facts=facts(household_income=Decimal("99999"), groups=frozenset({"elderly"})))
    assert exempt.result == ELIGIBLE
    assert checked.result == NOT_ELIGIBLE


def test_a_chosen_article_42_ground_exempts():
    r = evaluate(policy=POLICY, facts=facts(household_income=None, exemption_ground="assistance"))
    assert r.result == ELIGIBLE
    assert "社会救助、司法救助或者优抚对象，免予核查经济困难状况（法律援助法第四十二条）" in r.reasons


def test_article_32_needs_no_hardship_even_outside_the_matter_list():
    r = evaluate(policy=POLICY, facts=facts(cause="marriage_family", household_income=Decimal("99999"),
                                            no_hardship_ground="abuse_victim"))
    assert r.result == ELIGIBLE
    assert "第三十二条" in r.reasons[0]


def test_support_claims_use_the_individual_income():
    r = evaluate(policy=POLICY, facts=facts(cause="support", household_income=Decimal("99999"),
                                            individual_income=Decimal("800")))
    assert r.result == ELIGIBLE
    assert "个人月收入 800.00 元 ≤" in r.reasons[-1]


def test_support_claims_without_individual_income_need_review():
    r = evaluate(policy=POLICY, facts=facts(cause="support", household_income=Decimal("100")))
    assert r.result == NEEDS_REVIEW


def test_domestic_violence_uses_the_individual_income():
    r = evaluate(policy=POLICY, facts=facts(cause="traffic", domestic_violence=True,
                                            individual_income=Decimal("2000")))
    assert r.result == NOT_ELIGIBLE
    assert r.reasons[-1].startswith("个人月收入 2,000.00 元 >")


def test_criminal_defendant_application_is_checked_for_hardship_only():
    r = evaluate(policy=POLICY, facts=facts(category="criminal", cause="theft", criminal_role="defendant",
                                            household_income=Decimal("1500")))
    assert r.result == ELIGIBLE
    assert "第二十四条" in r.reasons[0]


def test_criminal_victim_application_cites_article_29():
    r = evaluate(policy=POLICY, facts=facts(category="criminal", cause="assault", criminal_role="victim",
                                            household_income=None))
    assert r.result == NEEDS_REVIEW
    assert "第二十九条" in r.reasons[0]


def test_asset_test_above_limit_is_not_eligible_and_missing_assets_need_review():
    policy = PolicySpec(**{**POLICY.__dict__, "asset_test": True, "asset_limit": Decimal("50000")})
    assert evaluate(policy=policy, facts=facts(household_income=Decimal("300"),
                                               assets=Decimal("50000.01"))).result == NOT_ELIGIBLE
    assert evaluate(policy=policy, facts=facts(household_income=Decimal("300"),
                                               assets=Decimal("50000"))).result == ELIGIBLE
    assert evaluate(policy=policy, facts=facts(household_income=Decimal("300"))).result == NEEDS_REVIEW


def test_no_policy_configured_needs_review():
    assert evaluate(policy=None, facts=facts()).result == NEEDS_REVIEW


@pytest.mark.django_db
def test_the_shipped_default_policy_covers_this_year_with_the_article_lists():
    from django.utils import timezone

    spec = spec_for_year(timezone.localdate().year)
    assert spec.rural_base == Decimal("610.00") and spec.multiplier == Decimal("2.00")
    assert any("labour_pay" in causes for _n, causes in spec.matters.values())
    assert "abuse_victim" in spec.no_hardship and "migrant_worker" in spec.exemptions
