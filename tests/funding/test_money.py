from decimal import Decimal

import pytest

from funding.money import amount_in_words, fmt, mask_name, to_fen


@pytest.mark.parametrize("amount,words", [
    ("1200", "壹仟贰佰元整"),
    ("1200.00", "壹仟贰佰元整"),
    ("1600", "壹仟陆佰元整"),
    ("0", "零元整"),
    ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    ("1000.05", "壹仟元零伍分"),
    ("1010", "壹仟零壹拾元整"),
    ("10010", "壹万零壹拾元整"),
    ("100000", "壹拾万元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("1000000", "壹佰万元整"),
    ("10000001", "壹仟万零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("205000.30", "贰拾万伍仟元叁角"),
    ("0.56", "伍角陆分"),
    ("0.05", "伍分"),
    ("15.5", "壹拾伍元伍角"),
])
def test_amount_in_words_follows_the_financial_capitals_rules(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_rounds_to_the_fen_half_up():
    assert amount_in_words(Decimal("0.125")) == "壹角叁分"


def test_money_is_rounded_half_up_and_formatted_with_thousands():
    assert to_fen("2.675") == Decimal("2.68")
    assert fmt(Decimal("1200")) == "1,200.00"


@pytest.mark.parametrize("name,masked", [("张三", "张*"), ("欧阳小明", "欧***"), ("李", "李*"), ("", "")])
def test_public_list_masks_all_but_the_family_name(name, masked):
    assert mask_name(name) == masked
