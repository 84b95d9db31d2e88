"""Search-box conditions that an index can serve on a province's tables.

A trigram index (pg_trgm) finds any part of a text from three characters on; one or two characters give it
no trigram, and PostgreSQL then reads the whole table (a million consultations for "梁霞"). A Chinese name
of one or two characters is a surname, or a surname and a given name, typed from the start: such a value
matches the beginning of the name, which a btree pattern index serves. Phone numbers are searched only for
digits (three or more); a name typed into the box never reads the phone index whole.
"""

from __future__ import annotations

import re

from django.db.models import Q

TRIGRAM = 3
_DIGITS = re.compile(r"\d{3,}")


def name_q(field: str, value: str) -> Q:
    """Any part of a name from three characters on, else the names that start with the value."""
    if len(value) >= TRIGRAM:
        return Q(**{f"{field}__icontains": value})
    return Q(**{f"{field}__startswith": value})


def phone_q(field: str, value: str) -> Q | None:
    """Any part of a phone number, when the value is three digits or more (spaces and dashes ignored)."""
    digits = re.sub(r"[\s-]", "", value)
    if _DIGITS.fullmatch(digits):
        return Q(**{f"{field}__contains": digits})
    return None
