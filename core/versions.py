"""A table's change number, moved inside PostgreSQL by every statement that writes the table, so that a piece of
a page written from its rows can be kept (`{% kept %}`) under the number and never go stale.

    # in the migration of the app that owns the table
    migrations.RunSQL(versions.watch_sql("funding_spending"), versions.unwatch_sql("funding_spending"))

    # in the view: the number of the group a page's rows are read from, or None (write afresh)
    version = versions.data_version("funding_spending")

A statement-level trigger (insert, update, delete, truncate) writes the table's row of core_dataversion with the
next value of one sequence, in the writing transaction: the number changes exactly when the change becomes
visible, whatever wrote it (a service, the admin, QuerySet.update(), a ledger import's COPY, raw SQL). Sequence
values are never given twice, not even after a rollback, so a number seen inside a transaction that is then
rolled back never names other rows later. Signals (core.counts' generation) miss QuerySet.update() and bulk
writes; this does not.

Each write takes the table's row lock until it commits, so writes to one watched table queue one after the
other: watch only tables written a few times a minute (money entries, not cases). Every table of one page shares
one row (`watch_sql(table, group)`), so two transactions writing them in a different order
cannot deadlock on them.
"""

from __future__ import annotations

from django.db import connection

SEQUENCE = "core_data_version_seq"
FUNCTION = "core_bump_data_version"

CREATE_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_dataversion ("table", version) VALUES (TG_ARGV[0], nextval('{SEQUENCE}'))
    ON CONFLICT ("table") DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
"""
DROP_SQL = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE; DROP SEQUENCE IF EXISTS {SEQUENCE};"


def _trigger(table: str) -> str:
    return f"{table}_data_version"


def watch_sql(table: str, group: str | None = None) -> str:
    """The SQL that makes every write to `table` move the change number of `group` (default: the table)."""
    name = group or table
    return (f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{name}');")


def unwatch_sql(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table};"


def data_version(group: str):
    """The group's change number as this transaction sees it, with the database it belongs to; None when the
    group has no number yet (never written since it was watched, or the table emptied in a test's flush):
    then nothing may be kept under it."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT version FROM core_dataversion WHERE "table" = %s', [group])
        row = cursor.fetchone()
    if row is None:
        return None
    return (connection.settings_dict["NAME"], group, row[0])
