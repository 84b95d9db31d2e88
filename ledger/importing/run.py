"""``import_ledger``: check the whole file, then write it all in one transaction, or nothing."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.db import connection, transaction

from .parse import Parsed, parse_workbook
from .schema import ledger_sheets
from .writers import WRITERS
from .writing import Context, Result

LEDGER_LOCK_KEY = 0x1EDC3A  # any constant shared by every ledger import


def import_ledger(path, *, user=None, station=None, filename: str | None = None, dry_run: bool = False,
                  progress: Callable[..., None] | None = None, parsed: Parsed | None = None,
                  on_success: Callable[[Result], None] | None = None) -> Result:
    """Validate `path` and, when it has no errors, import it all in one transaction (or roll back for a dry run).
    `on_success` runs inside that transaction after the rows are written, so what it records commits with them."""
    filename = filename or os.path.basename(str(path))
    if parsed is None:
        parsed = parse_workbook(path, default_station=station, progress=progress)
    result = Result(errors=list(parsed.errors), warnings=list(parsed.warnings), dry_run=dry_run)
    if parsed.errors:
        return result
    who = getattr(user, "display_name", None) or getattr(user, "username", None) or "import_ledger 命令"
    ctx = Context(user=user, reason=f"由 {who} 从 {filename} 导入", station=station)
    with transaction.atomic():
        # One import at a time: matching by content must see what a concurrent import of
        # the same file wrote, or both would add the same rows.
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])
        write(parsed, ctx, result, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _drill_pause()
            if on_success is not None:
                on_success(result)
    return result


def _drill_pause() -> None:
    """Fault drills only (tests/core/test_faults.py): hold the written, uncommitted rows long enough to kill."""
    from django.conf import settings

    pause = float(getattr(settings, "LEDGER_DRILL_PAUSE_BEFORE_COMMIT", 0) or 0)
    if pause:
        import time

        time.sleep(pause)


REGISTRY_SHEET = "困难群体"


def written_order() -> list[str]:
    """The ledger's sheets in the order they are written: the vulnerable-persons registry first, since a case's
    groups at acceptance read the registry entries valid that day (DOMAIN.md §4), those of the same file
    included; then the ledger's order (cases before money keeps the logs readable)."""
    sheets = ledger_sheets()
    return [s for s in sheets if s == REGISTRY_SHEET] + [s for s in sheets if s != REGISTRY_SHEET]


def write(parsed: Parsed, ctx: Context, result: Result, *, progress=None) -> None:
    """Every sheet present, by its app's writer, in the ledger's order (`progress`: the second half of the bar)."""
    total = parsed.total_rows or 1
    done = 0
    for sheet in written_order():
        rows = parsed.sheets.get(sheet)
        if rows is None:
            continue
        created, matched = WRITERS[sheet](rows, ctx)
        result.counts[sheet] = {"rows": len(rows), "created": created, "matched": matched}
        done += len(rows)
        if progress:
            progress(done, total, base=50, span=50)
    result.warnings.extend(ctx.warnings)
