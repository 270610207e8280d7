"""Bulk INSERT without building model instances: COPY on PostgreSQL, multi-row INSERT on
SQLite.

An import creates hundreds of thousands of rows; Django's bulk_create spends most of its
time instantiating models and preparing each field of each object. Here defaults are
prepared once per field and rows arrive as tuples, so the time goes to the database.

On PostgreSQL the rows go through COPY, the server's fastest way in: a multi-row INSERT
(even one array per column through unnest) makes psycopg quote every value into the SQL
text in Python, which cost more than the database's own work. COPY has no RETURNING, so
the ids are taken from the table's sequence first, exactly as a plain INSERT would take
them. SQLite (3.35+) gets multi-row INSERT … RETURNING in large batches on the raw driver
cursor, ids in insertion order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


class FastInsert:
    """Inserts rows of `model` giving values for `fields`; every other column takes its
    model default, prepared once. Values of JSON fields are encoded per row (and, on
    SQLite, datetime and decimal fields prepared per row); all others must already be
    plain (str, int, bool, None, or an aware datetime)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        meta = model._meta
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        given = [meta.get_field(name) for name in fields]
        self.positions = {f.name: i for i, f in enumerate(given)}
        now = timezone.now()
        self.columns: list[str] = [f.column for f in given]
        self.fixed: list[Any] = []
        for field in meta.concrete_fields:
            if field.primary_key or field.name in self.positions:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            self.columns.append(field.column)
            self.fixed.append(field.get_db_prep_save(value, connection))
        self.sqlite = connection.vendor == "sqlite"
        self.prepare: list[tuple[int, Any]] = []
        for i, f in enumerate(given):
            if isinstance(f, models.JSONField):
                self.prepare.append((i, _json_text))
            elif self.sqlite and isinstance(f, models.DateTimeField | models.DecimalField):
                self.prepare.append((i, _prep(f)))
        quote = connection.ops.quote_name
        quoted = ", ".join(quote(c) for c in self.columns)
        table = quote(self.table)
        if self.sqlite:
            limit = _max_params()
            self.batch = max(1, min(1000, (limit - 1) // len(self.columns)))
            # Names come from the model's own metadata, quoted; values are parameters.
            self.head = f"INSERT INTO {table} ({quoted}) VALUES "  # noqa: S608
            # The raw driver cursor takes its own placeholder, skipping the per-query
            # rewrite of %s that Django's wrapper does.
            self.row_sql = "(" + ", ".join(["?"] * len(self.columns)) + ")"
            self.tail = f" RETURNING {quote(self.pk_column)}"
        else:
            # Text format, each value as psycopg dumps it. (Binary COPY was tried: the
            # server spent the same time on the rows, and it needs a type per column.)
            self.copy_sql = f"COPY {table} ({quoted}) FROM STDIN"
            pk = quote(self.pk_column)
            self.copy_with_pk_sql = f"COPY {table} ({pk}, {quoted}) FROM STDIN"
            self._sequence: str | None = None

    def insert(self, rows: Sequence[Sequence[Any]], raw: Any = None) -> list[int]:
        """Insert the rows; return their new primary keys, in order. On PostgreSQL `raw`
        may be the driver's connection under Django's, for use off the main thread (see
        Writer); Django's own connection object belongs to the thread that opened it."""
        if not rows:
            return []
        if not self.sqlite:
            ids = self._next_ids(len(rows), raw)
            self._copy(self.copy_with_pk_sql, rows, ids, raw)
            return ids
        return self._insert_sqlite(rows, returning=True)

    def append(self, rows: Sequence[Sequence[Any]], raw: Any = None) -> None:
        """Insert the rows when their ids are not needed (history): no sequence round trip."""
        if not rows:
            return
        if self.sqlite:
            self._insert_sqlite(rows, returning=False)
        else:
            self._copy(self.copy_sql, rows, None, raw)

    def _insert_sqlite(self, rows: Sequence[Sequence[Any]], *, returning: bool) -> list[int]:
        ids: list[int] = []
        fixed = self.fixed
        prepare = self.prepare
        tail = self.tail if returning else ""
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            for start in range(0, len(rows), self.batch):
                part = rows[start : start + self.batch]
                params: list[Any] = []
                for row in part:
                    if prepare:
                        row = list(row)
                        for i, prep in prepare:
                            row[i] = prep(row[i])
                    params.extend(row)
                    params.extend(fixed)
                cursor.execute(self.head + ", ".join([self.row_sql] * len(part)) + tail, params)
                if returning:
                    ids.extend(r[0] for r in cursor.fetchall())
        finally:
            cursor.close()
        return ids

    def _next_ids(self, n: int, raw: Any = None) -> list[int]:
        """`n` values of the primary key's sequence: the ids a plain INSERT would take, so
        concurrent writers to the same table never collide with them."""
        with _cursor(raw) as cursor:
            if self._sequence is None:
                table = connection.ops.quote_name(self.table)
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, self.pk_column])
                self._sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence, n])
            return [r[0] for r in cursor.fetchall()]

    def _copy(
        self, sql: str, rows: Sequence[Sequence[Any]], ids: list[int] | None, raw: Any = None
    ) -> None:
        fixed = tuple(self.fixed)
        prepare = self.prepare
        with _cursor(raw) as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            for n, row in enumerate(rows):
                if prepare:
                    row = list(row)
                    for i, prep in prepare:
                        row[i] = prep(row[i])
                if ids is None:
                    write((*row, *fixed))
                else:
                    write((ids[n], *row, *fixed))


def _cursor(raw: Any = None) -> Any:
    return connection.cursor() if raw is None else raw.cursor()


class Writer:
    """Runs write jobs in order on one worker thread, on the same database connection and
    so in the same transaction, while the caller reads and compares the next chunk.

    On PostgreSQL most of a bulk load's time is the server's: parsing COPY data, updating
    indexes, checking foreign keys. Run in line, the importer waits for all of it; run
    here, it overlaps with the importer's own Python work on a second core.

    The contract: jobs use only the driver connection they are given (`raw`), never
    Django's `connection`; and the caller calls `wait()` before using the connection
    itself, since a connection carries one conversation at a time. `close()` (always, in
    a `finally`) waits for the last job and re-raises its error, if any. Without
    `background` (SQLite, whose writes are cheap and in-process) jobs run at once.
    """

    def __init__(self, background: bool):
        self.background = background
        self.raw = connection.connection if background else None
        self._pool = (
            ThreadPoolExecutor(1, thread_name_prefix="roster-writer") if background else None
        )
        self._pending: list[Future] = []

    def submit(self, job: Callable[..., Any], *args: Any) -> Future:
        """Queue `job(raw, *args)`; its Future gives the result. At most two jobs wait,
        so a slow database holds back the reader instead of filling memory."""
        if self._pool is None:
            done: Future = Future()
            done.set_result(job(None, *args))
            return done
        while len(self._pending) >= 2:
            self._pending.pop(0).result()
        future = self._pool.submit(job, self.raw, *args)
        self._pending.append(future)
        return future

    def wait(self) -> None:
        """Return once every queued job has finished; re-raise the first failure."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                # Jobs after a failure still run to completion before the pool stops, so
                # nothing is left talking to the connection when the transaction ends.
                self._pool.shutdown(wait=True)


def text_array(values: Sequence[str]) -> str:
    """A PostgreSQL array literal of text, to pass as one parameter cast with ::text[].
    Django's psycopg cursors bind on the client, where psycopg quotes a Python list item
    by item in Python; one prepared string is quoted in C."""
    return (
        "{"
        + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        + "}"
    )


def int_array(values: Sequence[int]) -> str:
    """A PostgreSQL array literal of integers, to pass as one parameter cast with ::bigint[]."""
    return "{" + ",".join(map(str, values)) + "}"


def _json_text(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


def _prep(field: models.Field):
    def prep(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prep


def _max_params() -> int:
    """The real bound on query parameters (Django assumes SQLite's old 999)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python before 3.11
            return 999
    return connection.features.max_query_params or 65000
