"""Art. 31(6) capacity declarations chosen as the matter, and the structured asset test (issue 16, item 8)."""

from decimal import Decimal

from applicants.eligibility import ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, Facts, PolicySpec, evaluate

CAPACITY = "请求认定公民无民事行为能力或者限制民事行为能力"
POLICY = PolicySpec(
    year=2025, urban_base=Decimal("700"), rural_base=Decimal("610"), multiplier=Decimal("2.0"),
    matters={"labour": ("请求确认劳动关系或者支付劳动报酬", frozenset({"labour_pay"})),
             "capacity": (CAPACITY, frozenset())},
)
ASSETS = PolicySpec(**{**POLICY.__dict__, "asset_test": True, "asset_limit": Decimal("50000.00")})


def facts(**kw):
    base = dict(category="civil", cause="other", hukou="rural", household_income=Decimal("1200"), household_size=2)
    base.update(kw)
    return Facts(**base)


def test_a_capacity_declaration_is_an_art_31_matter_when_chosen():
    r = evaluate(policy=POLICY, facts=facts(matter_ground="capacity"))
    assert r.result == ELIGIBLE
    assert r.reasons[0] == f"申请事项属于“{CAPACITY}”（法律援助法第三十一条）"


def test_without_the_choice_the_same_facts_are_still_not_a_matter():
    r = evaluate(policy=POLICY, facts=facts())
    assert r.result == NOT_ELIGIBLE
    assert r.reasons == ["申请事项不属于法律援助法第三十一条规定的法律援助事项范围"]


def test_a_chosen_matter_that_has_causes_does_not_override_the_cause():
    """Only items no cause expresses are chosen: picking 'labour' for a housing dispute changes nothing."""
    assert evaluate(policy=POLICY, facts=facts(cause="housing", matter_ground="labour")).result == NOT_ELIGIBLE
    assert evaluate(policy=POLICY, facts=facts(matter_ground="unknown")).result == NOT_ELIGIBLE


def test_the_cause_still_decides_when_it_maps():
    r = evaluate(policy=POLICY, facts=facts(cause="labour_pay", matter_ground="capacity"))
    assert r.reasons[0] == "申请事项属于“请求确认劳动关系或者支付劳动报酬”（法律援助法第三十一条）"


def test_asset_test_off_ignores_assets():
    assert evaluate(policy=POLICY, facts=facts(matter_ground="capacity", assets=Decimal("9999999"))).result \
        == ELIGIBLE


def test_asset_test_on_compares_the_total_with_the_limit():
    at = evaluate(policy=ASSETS, facts=facts(matter_ground="capacity", assets=Decimal("50000.00")))
    assert at.result == ELIGIBLE and at.reasons[-1] == "家庭财产 50,000.00 元 ≤ 限额 50,000.00 元"
    over = evaluate(policy=ASSETS, facts=facts(matter_ground="capacity", assets=Decimal("50000.01")))
    assert over.result == NOT_ELIGIBLE
    assert over.reasons[-1] == "家庭财产 50,000.01 元 > 限额 50,000.00 元，不符合经济困难标准"
    missing = evaluate(policy=ASSETS, facts=facts(matter_ground="capacity"))
    assert missing.result == NEEDS_REVIEW


def test_the_policy_needs_a_limit_when_the_asset_test_is_on(db):
    import pytest
    from django.core.exceptions import ValidationError

    from applicants.models import EligibilityPolicy

    policy = EligibilityPolicy(year=2001, urban_base=700, rural_base=610, asset_test=True)
    with pytest.raises(ValidationError) as err:
        policy.full_clean()
    assert "asset_limit" in err.value.message_dict
    policy.asset_limit = Decimal("50000")
    policy.full_clean()
