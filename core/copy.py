"""Bulk loading with PostgreSQL COPY through Django's connection (psycopg 3), for generated data.

`copy_rows(Model, ["col", ...], rows)` streams an iterable of tuples into the model's table with
`COPY table (cols) FROM STDIN`, in the caller's transaction: no model is built, no signal is sent, no
history row is written. Values may be str, int, bool, None, date, datetime, Decimal, float, or a list (an
array); a JSON column takes the JSON text. Generators that write millions of rows pass dates,
amounts and arrays as ready-made text ("2025-03-01", "1200.00", "{migrant_worker,women}"): the cheapest form.
Rows are written as COPY text in blocks (`Copy.write`); a block is checked as a whole and escaped value by
value only when a value holds a tab, a newline or a backslash.

`loading(Model, ...)` drops a table's foreign keys and secondary indexes for a bulk load and puts them back
at the end (checked once, built once). `reserve_ids(Model, n)` hands out n consecutive primary keys from
the table's own sequence, so rows written with explicit ids never meet an id the ORM gives out later.

`background()` lets COPY and the rebuilding of indexes run in a second thread on the same connection (and
transaction) while Python goes on generating the next table: PostgreSQL works on one core, Python on the
other. Any query the caller makes through Django meanwhile first waits until everything queued is done,
so reading back what was written always sees it.

Meant for seeding (`manage.py seed_demo --scale`): nothing else may write to the same tables meanwhile.

`copy_objects(Model, objs)` is the other use: unsaved model instances (an import's rows) inserted with COPY in
the caller's transaction, their ids drawn from the table's sequence and set on them as `bulk_create` does.
Each field's value is prepared as a save would (`pre_save`, `get_db_prep_save`); no signal is sent. It runs on
the connection itself, not in `background()`.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

BLOCK_ROWS = 5000
QUERY_PAUSE = 0.05  # seconds after a query of the caller before a restore statement may start
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\x00"  # stands for NULL while a block is built (PostgreSQL text can hold no NUL character)


def table_of(target: type[Model] | str) -> str:
    """The table name of a model (or a many-to-many `through` model), or a table name as given."""
    return target if isinstance(target, str) else target._meta.db_table


# --- COPY text ------------------------------------------------------------------------------------------

def _array_item(value) -> str:
    text = "NULL" if value is None else _text(value, _array_item)
    if text == "" or any(c in text for c in ' ,{}"\\') or text.upper() == "NULL" and value is not None:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _text(value, item=None) -> str:
    """A non-str value as COPY text (NULL as _NULL)."""
    if value is None:
        return _NULL
    kind = type(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal or kind is float:
        return str(value)
    if kind is str:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return "{" + ",".join(_array_item(v) for v in value) + "}"
    raise TypeError(f"cannot COPY a value of type {kind.__name__}")


def _block(rows: list[Sequence], width: int, table: str, first: int) -> bytes:
    lines = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{table}: row {first + len(lines) + 1} has {len(row)} values for {width} columns")
        # str() writes what COPY reads for int, bool (True), Decimal, float, date and datetime; a list is an
        # array, JSON comes as text (a dict or tuple is refused, checked on the first row of each block).
        lines.append("\t".join([v if type(v) is str else _NULL if v is None else str(v) if type(v) is not list
                                else _text(v) for v in row]))
    for v in rows[0]:
        if isinstance(v, tuple | dict | set):
            raise TypeError(f"{table}: pass JSON as text and arrays as lists, not {type(v).__name__}")
    text = "\n".join(lines) + "\n"
    # Escaping every value costs more than generating it; check the block instead, and escape only when
    # some value holds a character COPY treats specially.
    if ("\\" in text or "\r" in text or text.count("\t") != len(rows) * (width - 1)
            or text.count("\n") != len(rows)):
        lines = ["\t".join([(v if type(v) is str else _text(v)).translate(_ESCAPE) for v in row]) for row in rows]
        text = "\n".join(lines) + "\n"
    return text.replace(_NULL, "\\N").encode()


def copy_rows(target: type[Model] | str, columns: Sequence[str], rows: Iterable[Sequence],
              *, using: str = DEFAULT_DB_ALIAS) -> int:
    """COPY `rows` (tuples in the order of `columns`) into the table; returns how many were written."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = table_of(target)
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    width = len(columns)
    written = [0]

    def blocks() -> Iterator[bytes]:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BLOCK_ROWS:
                yield _block(batch, width, table, written[0])
                written[0] += len(batch)
                batch = []
        if batch:
            yield _block(batch, width, table, written[0])
            written[0] += len(batch)

    pipeline = _pipelines.get(using)
    if pipeline is None:
        connection.ensure_connection()
        with (connection.execute_wrapper(_no_query_while_copying), connection.connection.cursor() as cursor,
              cursor.copy(statement) as copy):
            for block in blocks():
                copy.write(block)
        return written[0]
    pipeline.release()
    if pipeline.idle():
        # PostgreSQL has nothing else to do: it takes the rows as they come (a generated table's indexes are
        # rebuilt meanwhile otherwise, see below).
        handed: queue.SimpleQueue = queue.SimpleQueue()

        def stream(raw):
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                while (block := handed.get()) is not None:
                    copy.write(block)

        pipeline.submit(stream)
        try:
            with connection.execute_wrapper(_no_query_while_copying):
                for block in blocks():
                    handed.put(block)
        except BaseException as exc:
            pipeline.fail(exc)
            raise
        finally:
            handed.put(None)
        return written[0]
    # PostgreSQL is rebuilding the indexes of the tables before: this thread generates and formats the whole
    # table meanwhile, then the pipeline's thread sends it while this one goes on.
    with connection.execute_wrapper(_no_query_while_copying):
        ready = list(blocks())

    def job(raw):
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for block in ready:
                copy.write(block)
        ready.clear()

    pipeline.submit(job)
    return written[0]


def _no_query_while_copying(execute, sql, params, many, context):
    # The connection is busy with the COPY the rows are generated for: a query would wait for it forever.
    raise RuntimeError("rows for COPY are generated without queries: read what they need beforehand")


# --- foreign keys and indexes during a load --------------------------------------------------------------

@contextmanager
def loading(*targets: type[Model] | str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Load the tables without their foreign keys and secondary indexes, and put them back at the end.

    Inserting a row checks each foreign key with a trigger (queued until commit: Django's are deferred)
    and updates every index; for millions of rows both cost far more than checking each foreign key once
    with one query and building each index once, which is what re-adding them does. Unique constraints and
    partial unique indexes are rebuilt too, and so checked, at the end; primary keys (ids written in
    ascending order) and unique constraints a foreign key relies on stay. Everything happens in the
    caller's transaction, so a failure leaves the tables as they were."""
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [table_of(t) for t in targets]
    restore: list[str] = []

    def drop(raw):
        with raw.cursor() as cursor:
            # Checks queued by earlier inserts in this transaction run now: a table with pending checks
            # cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                # Foreign keys, and unique constraints no foreign key relies on.
                cursor.execute(
                    "SELECT c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
                    "WHERE c.conrelid = %s::regclass AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS ("
                    "SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.confrelid = c.conrelid "
                    "AND r.conindid = c.conindid)) ORDER BY c.contype, c.conname", [table])
                for name, definition, kind in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    statement = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                    if kind == "u":
                        restore.insert(0, statement)
                    else:
                        restore.append(statement)
                cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                               "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                               "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid) ORDER BY 1", [table])
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    restore.insert(0, definition)  # indexes before foreign keys: they serve the checks
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def put_back(raw):
        """One statement at a time: rows waiting to be written go first (see _Pipeline). Last, the tables
        are analyzed: the planner knows them from then on."""
        if restore:
            with raw.cursor() as cursor:
                cursor.execute(restore.pop(0))
        if restore:
            return put_back
        with raw.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(t) for t in tables)}")
        analyzed(using).update(tables)
        return None

    _run(drop, using)
    yield
    _run(put_back, using, restore=True)


def run_sql(sql: str, params: Sequence = (), *, first: bool = False, using: str = DEFAULT_DB_ALIAS) -> None:
    """A statement whose result nobody waits for (e.g. moving a number sequence on), run in its turn, or
    `first`: before the indexes still to be rebuilt (e.g. a setting for them)."""

    def job(raw):
        with raw.cursor() as cursor:
            cursor.execute(sql, params)

    pipeline = _pipelines.get(using)
    if pipeline is None:
        connections[using].ensure_connection()
        job(connections[using].connection)
    else:
        pipeline.submit(job, data=first)


def analyzed(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The tables `loading` has analyzed after putting their indexes back."""
    return _analyzed.setdefault(using, set())


# --- primary keys ------------------------------------------------------------------------------------------

def _raw_execute(using: str, sql: str, params: list) -> object:
    """One value from a query on the raw connection, without waiting for queued work (sequences are not
    transactional and do not depend on it)."""
    pipeline = _pipelines.get(using)
    if pipeline is not None:
        pipeline.hold()
    connection = connections[using]
    connection.ensure_connection()
    try:
        with connection.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        if pipeline is not None:
            pipeline.hold(QUERY_PAUSE)


def reserve_ids(target: type[Model] | str, n: int, *, column: str = "id", using: str = DEFAULT_DB_ALIAS) -> range:
    """n consecutive ids of the table, taken from its sequence (which then stands at the last of them)."""
    if n <= 0:
        return range(0)
    sequence = _raw_execute(using, "SELECT pg_get_serial_sequence(%s, %s)", [table_of(target), column])
    if sequence is None:
        raise ValueError(f"{table_of(target)}.{column} has no sequence")
    first = _raw_execute(using, "SELECT nextval(%s)", [sequence])
    if n > 1:
        _raw_execute(using, "SELECT setval(%s, %s)", [sequence, first + n - 1])
    return range(first, first + n)


def sync_id_sequence(target: type[Model] | str, *, column: str = "id", using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the table's id sequence past the largest id in it (after rows were written with their own ids)."""
    connection = connections[using]
    table = table_of(target)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")
        largest = cursor.fetchone()[0]
        if largest is not None:
            cursor.execute("SELECT setval(%s, GREATEST(%s, COALESCE(pg_sequence_last_value(%s::regclass), 0)))",
                           [sequence, largest, sequence])


# --- model instances ---------------------------------------------------------------------------------------

def copy_objects(model: type[Model], objs: Sequence[Model], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT the unsaved `objs` with COPY: ids are drawn from the table's sequence first (and set on the
    objects, as bulk_create does), then every concrete field is written as a save would prepare it. Several
    times faster than a multi-row INSERT for tens of thousands of rows."""
    if not objs:
        return
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, pk.column, len(objs)])
        ids = [row[0] for row in cursor.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, new_id)
        fields = list(meta.concrete_fields)
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


# --- the background thread ---------------------------------------------------------------------------------

class _Pipeline:
    """Runs jobs (functions of the raw psycopg connection) one after another in a thread.

    A job is data (dropping what a COPY must not maintain, a COPY of rows generated in full) or not
    (rebuilding indexes and foreign keys, a statement at a time; moving a sequence on). Data goes first: the
    indexes of finished tables are rebuilt while the caller generates the next one, and a read waits only for
    the rows queued before it."""

    def __init__(self, connection):
        connection.ensure_connection()
        self.raw = connection.connection
        self.changed = threading.Condition()
        self.data: deque[Callable] = deque()
        self.other: deque[Callable] = deque()
        self.running: str = ""  # "data", "other" or ""
        # While the caller reads, no restore statement starts (each query would wait for one): until a
        # moment after its last query, or until it generates rows again.
        self.held_until = 0.0
        self.closed = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="copy-pipeline", daemon=True)
        self.thread.start()

    def _next(self) -> tuple[Callable | None, str]:
        while True:
            if self.data:
                return self.data.popleft(), "data"
            pause = self.held_until - time.monotonic()
            if self.other and pause <= 0:
                return self.other.popleft(), "other"
            if self.closed and not self.other:
                return None, ""
            self.changed.wait(pause if self.other and pause != math.inf else None)

    def _work(self) -> None:
        while True:
            with self.changed:
                job, self.running = self._next()
            if job is None:
                return
            more = None
            try:
                if self.error is None:
                    more = job(self.raw)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread by _check()
                self.error = self.error or exc
            with self.changed:
                if more is not None:
                    self.other.appendleft(more)
                self.running = ""
                self.changed.notify_all()

    def submit(self, job: Callable, *, data: bool = True) -> None:
        self._check()
        with self.changed:
            (self.data if data else self.other).append(job)
            self.changed.notify_all()

    def _check(self) -> None:
        if self.error is not None:
            raise RuntimeError("a background COPY failed") from self.error  # the transaction is lost

    def before_query(self) -> None:
        """Every row queued so far is written; and no restore statement starts meanwhile."""
        with self.changed:
            self.held_until = math.inf
            while self.data or self.running == "data":
                self.changed.wait()
        self._check()

    def idle(self) -> bool:
        """No index or foreign key is waiting to be rebuilt (rows may be: they go first anyway)."""
        with self.changed:
            return not self.other and self.running != "other"

    def hold(self, seconds: float = math.inf) -> None:
        with self.changed:
            self.held_until = time.monotonic() + seconds
            self.changed.notify_all()

    def release(self) -> None:
        self.hold(0)

    def wait(self) -> None:
        self.release()
        with self.changed:
            while self.data or self.other or self.running:
                self.changed.wait()
        self._check()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()
        self.thread.join()


_pipelines: dict[str, _Pipeline] = {}
_analyzed: dict[str, set[str]] = {}


def _run(job: Callable, using: str, *, restore: bool = False) -> None:
    """Run a job now, or queue it in the background; a job returns itself while it has more to do."""
    pipeline = _pipelines.get(using)
    if pipeline is not None:
        pipeline.submit(job, data=not restore)
        return
    connection = connections[using]
    connection.ensure_connection()
    while job is not None:
        job = job(connection.connection)


def wait(using: str = DEFAULT_DB_ALIAS) -> None:
    """Until everything queued in the background is done (raises what failed there)."""
    pipeline = _pipelines.get(using)
    if pipeline is not None:
        pipeline.wait()


@contextmanager
def background(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """COPY and index rebuilding in a second thread while the caller generates; use inside the transaction
    (`with transaction.atomic(), background(): ...`), so that everything is done before it commits."""
    if using in _pipelines:
        yield
        return
    connection = connections[using]
    pipeline = _pipelines[using] = _Pipeline(connection)

    def data_first(execute, sql, params, many, context):
        pipeline.before_query()
        try:
            return execute(sql, params, many, context)
        finally:
            pipeline.hold(QUERY_PAUSE)

    try:
        with connection.execute_wrapper(data_first):
            yield
            pipeline.wait()
    except BaseException as exc:
        pipeline.error = pipeline.error or exc  # what is still queued is skipped: the transaction is lost
        raise
    finally:
        del _pipelines[using]
        pipeline.close()
