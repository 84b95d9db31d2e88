"""Masking of ID numbers and phone numbers on screen and in exports (DOMAIN.md: full numbers only for those
who may see them). In core because every app's pages mask; applicants.idcard re-exports it."""

from __future__ import annotations


def _keep(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail:]


def mask(number: str) -> str:
    """A resident ID number keeps its region and its last four characters (110101********123X); a shorter
    document number (a passport's nine) its first and last two (E1*****78), so at least five are hidden."""
    n = (number or "").strip().replace(" ", "").upper()  # as applicants.idcard.normalise
    if len(n) <= 8:
        return "*" * len(n)
    return _keep(n, 6, 4) if len(n) >= 15 else _keep(n, 2, 2)


def mask_phone(phone: str) -> str:
    """A mobile number keeps 3 and 4 (139****5678); a shorter (landline) one 2 and 2, so at least three are
    hidden."""
    p = (phone or "").strip()
    if len(p) < 7:
        return "*" * len(p)
    return _keep(p, 3, 4) if len(p) >= 11 else _keep(p, 2, 2)
