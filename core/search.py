"""Search-box conditions that an index can serve on a province's tables.

A trigram index (pg_trgm) finds any part of a text from three characters on; one or two characters give it
no trigram, and PostgreSQL then reads the whole table (a million consultations for "梁霞"). A Chinese name
of one or two characters is a surname, or a surname and a given name, typed from the start: such a value
matches the beginning of the name, which a btree pattern index serves. Phone numbers are searched only for
digits (three or more), and compared as digits: a landline is stored as typed (0551-1234567), and its trigram
index holds its digits (`PhoneDigits`), so 0551-1234567, 05511234567 and 1234567 all find it. A name typed
into the box never reads the phone index whole.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import Contains

TRIGRAM = 3
_DIGITS = re.compile(r"[0-9]{3,}")


def name_q(field: str, value: str) -> Q:
    """Any part of a name from three characters on, else the names that start with the value."""
    if len(value) >= TRIGRAM:
        return Q(**{f"{field}__icontains": value})
    return Q(**{f"{field}__startswith": value})


class PhoneDigits(Func):
    """The digits of a phone number as stored (0551-1234567 → 05511234567). The phone fields' trigram indexes
    are made on this expression, so a search through it is index-served: keep the two the same."""

    function = "REGEXP_REPLACE"
    template = "%(function)s(%(expressions)s, '[^0-9]', '', 'g')"
    output_field = CharField()


def phone_q(field: str, value: str) -> Q | None:
    """Any part of a phone number's digits, when the value is three digits or more (spaces and dashes
    ignored, in the value and in the stored number)."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value))  # full-width digits as typed in Chinese
    if _DIGITS.fullmatch(digits):
        return Q(Contains(PhoneDigits(F(field)), digits))
    return None
