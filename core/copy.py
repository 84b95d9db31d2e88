"""Bulk loading with PostgreSQL COPY through Django's connection (psycopg 3), for generated data.

`copy_rows(Model, ["col", ...], rows)` streams an iterable of tuples into the model's table with
`COPY table (cols) FROM STDIN` and `Copy.write_row()`, in the caller's transaction; no model is built,
no signal is sent and no history row is written. Values are what psycopg adapts (int, str, bool, None,
date, datetime, Decimal, lists for arrays); in text COPY a `str` reaches PostgreSQL as it is, so callers
that write millions of rows pass dates, amounts and arrays as ready-made text ("2025-03-01", "1200.00",
"{migrant_worker,women}"), which is the cheapest form.

`reserve_ids(Model, n)` hands out a block of n consecutive primary keys from the table's own sequence, so
rows written with explicit ids never meet an id the ORM gives out later; `sync_id_sequence(Model)` moves
the sequence past the largest id after rows were written with ids of the caller's choosing.

Meant for seeding (`manage.py seed_demo --scale`): nothing else may insert into the same tables while a
block is reserved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


def table_of(target: type[Model] | str) -> str:
    """The table name of a model (or a many-to-many `through` model), or a table name as given."""
    return target if isinstance(target, str) else target._meta.db_table


def copy_rows(target: type[Model] | str, columns: Sequence[str], rows: Iterable[Sequence],
              *, using: str = DEFAULT_DB_ALIAS) -> int:
    """COPY `rows` (tuples in the order of `columns`) into the table; returns how many were written."""
    connection = connections[using]
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table_of(target))} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    width = len(columns)
    count = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        write = copy.write_row
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{table_of(target)}: row {count + 1} has {len(row)} values for {width} columns")
            write(row)
            count += 1
    return count


@contextmanager
def loading(*targets: type[Model] | str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Load the tables without their foreign keys and secondary indexes, and put them back at the end.

    Inserting a row checks each foreign key with a trigger (queued until commit: Django's are deferred)
    and updates every index; for millions of rows both cost far more than checking each foreign key once
    with one query and building each index once, which is what re-adding them does. Primary keys and
    unique constraints stay (a partial unique index is rebuilt, and so checked, at the end). Everything
    happens in the caller's transaction, so a failure leaves the tables as they were."""
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [table_of(t) for t in targets]
    restore: list[str] = []
    with connection.cursor() as cursor:
        # Checks queued by earlier inserts in this transaction run now: a table with pending checks
        # cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                           "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                           "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid) ORDER BY 1", [table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                restore.insert(0, definition)  # indexes first: they also speed up the foreign-key checks
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)


def _id_sequence(cursor, table: str, column: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
    sequence = cursor.fetchone()[0]
    if sequence is None:
        raise ValueError(f"{table}.{column} has no sequence")
    return sequence


def reserve_ids(target: type[Model] | str, n: int, *, column: str = "id", using: str = DEFAULT_DB_ALIAS) -> range:
    """n consecutive ids of the table, taken from its sequence (which then stands at the last of them)."""
    if n <= 0:
        return range(0)
    with connections[using].cursor() as cursor:
        sequence = _id_sequence(cursor, table_of(target), column)
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        if n > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return range(first, first + n)


def sync_id_sequence(target: type[Model] | str, *, column: str = "id", using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the table's id sequence past the largest id in it (after rows were written with their own ids)."""
    connection = connections[using]
    table = table_of(target)
    with connection.cursor() as cursor:
        sequence = _id_sequence(cursor, table, column)
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")
        largest = cursor.fetchone()[0]
        if largest is not None:
            cursor.execute("SELECT setval(%s, GREATEST(%s, COALESCE(pg_sequence_last_value(%s::regclass), 0)))",
                           [sequence, largest, sequence])
