"""Money helpers: parsing to Decimal, rounding to fen, and amounts in Chinese capitals (大写)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.display import money_text

CENT = Decimal("0.01")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
INNER_UNITS = ["", "拾", "佰", "仟"]
GROUP_UNITS = ["", "万", "亿", "万亿"]


def to_fen(value) -> Decimal:
    """Round to two decimals, half up (the way a cashier rounds)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value) -> str:
    """1,200.00 (core.display.money_text, the one way money is written)."""
    return money_text(value)


def _group_words(group: int) -> str:
    """Words for 1..9999 with inner zeros (一千零一十 → 壹仟零壹拾)."""
    out = ""
    zero_pending = False
    for pos in range(3, -1, -1):
        digit = group // (10 ** pos) % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += DIGITS[digit] + INNER_UNITS[pos]
    return out


def _integer_words(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    need_zero = False
    for idx in range(len(groups) - 1, -1, -1):
        group = groups[idx]
        if group == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or group < 1000):
            out += "零"
        out += _group_words(group) + GROUP_UNITS[idx]
        need_zero = False
    return out


def amount_in_words(value) -> str:
    """Chinese financial capitals: 1200 → 壹仟贰佰元整; 1000.05 → 壹仟元零伍分; 0.5 → 伍角."""
    amount = to_fen(value)
    if amount < 0:
        return "负" + amount_in_words(-amount)
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "零元整"
    out = _integer_words(yuan) + "元" if yuan else ""
    if rest == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return out


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the public list shows only the family name."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
