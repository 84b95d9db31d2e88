"""Gapless, unique numbers for cases and documents (DOMAIN.md §6).

The sequence row of (scope, year) is created if missing and then locked with
SELECT … FOR UPDATE inside the caller's transaction: concurrent clerks queue on
the row, and a transaction that rolls back gives its number back, so numbers stay
consecutive with no gaps.
"""

from __future__ import annotations

from django.db import connection, transaction

from .choices import CASE_KIND_WORD
from .models import CenterProfile, DocumentSequence

# Words of document numbers (DOMAIN.md §12).
DOCUMENT_WORDS = {
    "receipt": "援收字",
    "supplement": "援补字",
    "grant": "援决字",
    "refusal": "援不字",
    "assignment": "援指字",
    "letter": "援函字",
    "termination": "援终字",
    "batch": "援补贴字",
    "delivery": "援送字",
}


def next_value(scope: str, year: int) -> int:
    return reserve_block(scope=scope, year=year, count=1)


def reserve_block(*, scope: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers of (scope, year) on the same locked row as `next_value` (gapless: a
    rollback gives the whole block back); return the first of them. The ledger import numbers its cases so."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are reserved only inside a transaction")
    if count < 1:
        raise ValueError("reserve at least one number")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_documentsequence (scope, year, last) VALUES (%s, %s, 0) "
            "ON CONFLICT (scope, year) DO NOTHING",
            [scope, year],
        )
    seq = DocumentSequence.objects.select_for_update().get(scope=scope, year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first


def bump_to_at_least(scope: str, year: int, value: int) -> None:
    """Make sure later numbers follow `value` (a case number that came from a ledger)."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_documentsequence (scope, year, last) VALUES (%s, %s, %s) "
            "ON CONFLICT (scope, year) DO UPDATE SET last = GREATEST(core_documentsequence.last, EXCLUDED.last)",
            [scope, year, value],
        )


def format_case_number(*, year: int, category: str, seq: int, profile: CenterProfile | None = None) -> str:
    profile = profile or CenterProfile.get()
    return profile.case_number_pattern.format(year=year, abbr=profile.abbr, kind=CASE_KIND_WORD[category], seq=seq)


def issue_case_number(*, year: int, category: str) -> tuple[str, int]:
    seq = next_value(f"case:{category}", year)
    return format_case_number(year=year, category=category, seq=seq), seq


def issue_document_number(*, kind: str, year: int) -> str:
    profile = CenterProfile.get()
    seq = next_value(f"doc:{kind}", year)
    return profile.document_number_pattern.format(year=year, abbr=profile.abbr, word=DOCUMENT_WORDS[kind], seq=seq)
