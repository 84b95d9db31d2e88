"""Every subsidy rule of DOMAIN.md §7, on the pure calculation (no database)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from funding.subsidy import calculate

D = Decimal


def policy(**kw):
    values = dict(year=2026, fail_share=D("0"), terminated_share=D("50"), extra_recipient_amount=D("100"),
                  extra_recipient_cap=D("1000"), outside_county_amount=D("300"), major_case_amount=D("500"))
    values.update(kw)
    return SimpleNamespace(**values)


STANDARDS = {
    ("civil", "first_instance"): SimpleNamespace(scope="first_instance", amount_pass=D("1200"),
                                                 amount_good=D("1400"), amount_excellent=D("1600")),
    ("civil", ""): SimpleNamespace(scope="", amount_pass=D("1100"), amount_good=D("1300"), amount_excellent=D("1500")),
    ("criminal", "trial"): SimpleNamespace(scope="trial", amount_pass=D("1500"), amount_good=D("1700"),
                                           amount_excellent=D("1900")),
    ("civil", "non_litigation"): SimpleNamespace(scope="non_litigation", amount_pass=D("800"),
                                                 amount_good=D("900"), amount_excellent=D("1000")),
}


def lookup(category, scopes):
    for scope in scopes:
        if (category, scope) in STANDARDS:
            return STANDARDS[(category, scope)]
    return None


def case(**kw):
    values = dict(status="archived", category="civil", stage="first_instance", aid_form="civil_litigation",
                  grade="pass", recipient_count=1, is_mass=False, outside_county=False, major=False,
                  substantive_work=False)
    values.update(kw)
    return SimpleNamespace(**values)


def texts(lines):
    return [line.text for line in lines]


@pytest.mark.parametrize("grade,amount", [("pass", "1200.00"), ("good", "1400.00"), ("excellent", "1600.00")])
def test_each_grade_pays_its_standard_amount(grade, amount):
    total, lines = calculate(case(grade=grade), lookup, policy())
    assert total == D(amount)
    assert total.as_tuple().exponent == -2


def test_the_base_line_reads_category_stage_grade_and_amount_in_chinese():
    _total, lines = calculate(case(), lookup, policy())
    assert texts(lines)[0] == "民事·一审 合格 基础补贴 1,200.00 元"
    assert texts(lines)[-1] == "合计 1,200.00 元"


def test_criminal_trial_uses_the_trial_standard():
    total, lines = calculate(case(category="criminal", stage="trial", aid_form="criminal_defence", grade="excellent"),
                             lookup, policy())
    assert total == D("1900.00")
    assert texts(lines)[0].startswith("刑事·审判 优秀")


def test_the_aid_form_is_used_when_the_stage_has_no_standard():
    total, _lines = calculate(case(stage="", aid_form="non_litigation", grade="good"), lookup, policy())
    assert total == D("900.00")


def test_the_whole_category_standard_is_the_fallback():
    total, lines = calculate(case(stage="retrial", aid_form="civil_litigation"), lookup, policy())
    assert total == D("1100.00")
    assert texts(lines)[0].startswith("民事 合格")


def test_a_fail_grade_pays_the_fail_share_of_the_pass_amount():
    total, lines = calculate(case(grade="fail"), lookup, policy())
    assert total == D("0.00")
    assert any(t.startswith("不合格 按 0% 发放") for t in texts(lines))
    total, lines = calculate(case(grade="fail"), lookup, policy(fail_share=D("30")))
    assert total == D("360.00")
    assert any(t.startswith("不合格 按 30% 发放") for t in texts(lines))


def test_a_terminated_case_with_substantive_work_pays_the_termination_share():
    total, lines = calculate(case(status="terminated", grade="", substantive_work=True), lookup, policy())
    assert total == D("600.00")
    assert "终止案件已做实质性工作 按 50% 发放 600.00 元" in texts(lines)


def test_a_terminated_case_without_substantive_work_gets_nothing_and_says_why():
    with pytest.raises(ValidationError, match="实质性工作"):
        calculate(case(status="terminated", grade="", substantive_work=False), lookup, policy())


def test_extra_recipients_of_a_group_case_add_per_person():
    total, lines = calculate(case(is_mass=True, recipient_count=4), lookup, policy())
    assert total == D("1500.00")
    assert "群体性案件增加受援人 3 人 × 100.00 元 = 300.00 元（上限 1,000.00 元）" in texts(lines)


def test_extra_recipient_add_ons_stop_at_the_cap():
    total, lines = calculate(case(is_mass=True, recipient_count=31), lookup, policy())
    assert total == D("2200.00")
    assert any("30 人 × 100.00 元 = 3,000.00 元（上限 1,000.00 元），计 1,000.00 元" in t for t in texts(lines))


def test_extra_recipients_count_only_in_cases_marked_as_group_cases():
    total, _lines = calculate(case(is_mass=False, recipient_count=5), lookup, policy())
    assert total == D("1200.00")


def test_outside_county_and_complex_cases_add_their_amounts():
    total, lines = calculate(case(outside_county=True, major=True), lookup, policy())
    assert total == D("2000.00")
    assert "异地办案补贴 300.00 元" in texts(lines)
    assert "重大疑难复杂案件补贴 500.00 元" in texts(lines)


def test_the_fail_share_applies_to_add_ons_too():
    total, lines = calculate(case(grade="fail", major=True), lookup, policy(fail_share=D("50")))
    assert total == D("850.00")
    assert "小计 1,700.00 元" in texts(lines)


def test_shares_are_rounded_to_the_fen():
    total, _lines = calculate(case(grade="fail"), lookup, policy(fail_share=D("33.33")))
    assert total == D("399.96")


def test_a_missing_standard_is_a_clear_error():
    with pytest.raises(ValidationError, match="没有.*补贴标准"):
        calculate(case(category="administrative", stage="first_instance"), lookup, policy())


def test_a_missing_policy_is_a_clear_error():
    with pytest.raises(ValidationError, match="补贴政策"):
        calculate(case(), lookup, None)


def test_a_case_without_a_grade_is_refused():
    with pytest.raises(ValidationError, match="质量等级"):
        calculate(case(grade=""), lookup, policy())
