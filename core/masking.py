"""Masking of ID numbers and phone numbers on screen and in exports (DOMAIN.md: full numbers only for those
who may see them). In core because every app's pages mask; applicants.idcard re-exports it."""

from __future__ import annotations


def mask(number: str) -> str:
    """Keep the region and the last four characters: 110101********123X."""
    n = (number or "").strip().replace(" ", "").upper()  # as applicants.idcard.normalise
    if len(n) <= 8:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(phone: str) -> str:
    p = (phone or "").strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]
