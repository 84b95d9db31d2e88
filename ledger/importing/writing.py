"""Writing records (the second phase): what every sheet's writer shares.

Every table, history included, is written with PostgreSQL COPY (core.copy.copy_objects) in batches of 5,000
rows (``bulk``); each record gets its history row ("+", by the importing user, the file as the reason). Rows
that repeat records already there (counting repeats: n identical rows where m exist add n - m) are matched
by fingerprint, of the row a record came from or of what it holds now (``new_rows``), and change nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .fingerprints import existing_records, row_fingerprint
from .parse import Row

BATCH = 5000


@dataclass
class Result:
    counts: dict = field(default_factory=dict)  # sheet -> {"rows", "created", "matched"}
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [f"{sheet}: {c['rows']} 行，新增 {c['created']}，已存在 {c['matched']}"
                for sheet, c in self.counts.items()]


@dataclass
class Context:
    user: object
    reason: str
    station: object = None
    providers: dict = field(default_factory=dict)
    handlers: dict = field(default_factory=dict)
    new_handlers: set = field(default_factory=set)  # pks of handlers this import added to the roster
    persons: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # found while writing; added to the result's


def user_of(ctx: Context):
    """The importing user as a record's author (None for the command)."""
    return ctx.user if getattr(ctx.user, "pk", None) else None


def new_rows(sheet: str, model, rows: list[Row]) -> tuple[list[tuple[Row, str]], int]:
    """Rows that are not yet there (counting repeats), each with its fingerprint; and the matched count.

    Each record matches one row at most: first the rows it was imported from and still holds, then the rows
    it was imported from (its stored fingerprint; the same file imported again, even after the record was
    corrected), then rows of what it holds now (an export of it, a record typed in by hand). The first pass
    keeps a record corrected since from taking the row of its unchanged twin (two identical rows, one
    corrected: its export holds both contents). A row's fingerprint is also tried as it was before short
    phone numbers were masked (`legacy`), as older imports stored it."""
    keys = []
    for row in rows:
        fp = row_fingerprint(sheet, row.values)
        old = row_fingerprint(sheet, row.values, legacy=True)
        keys.append((fp, old) if old != fp else (fp,))
    records = existing_records(sheet, model, rows, {k for pair in keys for k in pair})
    unchanged: dict[str, list[int]] = defaultdict(list)
    by_origin: dict[str, list[int]] = defaultdict(list)
    by_content: dict[str, list[int]] = defaultdict(list)
    for i, (origin, content) in enumerate(records):
        if origin:
            by_origin[origin].append(i)
            if origin == content:
                unchanged[origin].append(i)
        by_content[content].append(i)
    taken: set[int] = set()

    def take(index: dict[str, list[int]], key: str) -> bool:
        candidates = index.get(key)
        while candidates:
            i = candidates.pop()
            if i not in taken:
                taken.add(i)
                return True
        return False

    matched = [False] * len(rows)
    for index in (unchanged, by_origin, by_content):
        for n, row_keys in enumerate(keys):
            if not matched[n] and any(take(index, k) for k in row_keys):
                matched[n] = True
    fresh = [(row, row_keys[0]) for row, row_keys, done in zip(rows, keys, matched, strict=True) if not done]
    return fresh, sum(matched)


def bulk(model, objs: list, ctx: Context) -> None:
    """Insert `objs` and their history rows ("+", by the importing user, reason: the file)."""
    from django.utils import timezone

    from core.copy import copy_objects
    from core.counts import invalidate

    if not objs:
        return
    # COPY sends no post_save: the lists' cached counts and totals are dropped here, again when the import
    # commits, so the rows show at once (core.counts)
    invalidate(model)
    for i in range(0, len(objs), BATCH):
        part = objs[i:i + BATCH]
        copy_objects(model, part)
        history = model.history.model
        now = timezone.now()
        user_id = getattr(ctx.user, "pk", None)
        copy_objects(history, [
            history(history_date=now, history_user_id=user_id, history_change_reason=ctx.reason, history_type="+",
                    **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields})
            for obj in part
        ])


def saved(obj, ctx: Context, **save):
    """Save one record (a new firm or handler, a recipient's grown groups) with the import's history."""
    obj._history_user = user_of(ctx)
    obj._change_reason = ctx.reason
    obj.save(**save)
    return obj
