"""Multi-row INSERT … RETURNING without building model instances.

An import creates hundreds of thousands of rows; Django's bulk_create spends most of its
time instantiating models and preparing each field of each object. Here defaults are
prepared once per field and rows arrive as tuples, so the time goes to the database.
Works on SQLite (3.35+) and PostgreSQL, both of which return ids in insertion order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


class FastInsert:
    """Inserts rows of `model` giving values for `fields`; every other column takes its
    model default, prepared once. Values of datetime, decimal and JSON fields are
    prepared per row; all others must already be plain (str, int, bool, None)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        meta = model._meta
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        given = [meta.get_field(name) for name in fields]
        self.positions = {f.name: i for i, f in enumerate(given)}
        now = timezone.now()
        self.columns: list[str] = [f.column for f in given]
        self.types: list[str] = [f.db_type(connection) for f in given]
        self.fixed: list[Any] = []
        for field in meta.concrete_fields:
            if field.primary_key or field.name in self.positions:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            self.columns.append(field.column)
            self.types.append(field.db_type(connection))
            self.fixed.append(field.get_db_prep_save(value, connection))
        self.sqlite = connection.vendor == "sqlite"
        self.prepare = []
        for i, f in enumerate(given):
            if isinstance(f, models.JSONField) and self.sqlite:
                self.prepare.append((i, _json_text))
            elif isinstance(f, models.DateTimeField | models.DecimalField | models.JSONField):
                self.prepare.append((i, _prep(f)))
        limit = _max_params()
        self.batch = max(1, min(1000, (limit - 1) // len(self.columns)))
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        # Names come from the model's own metadata, quoted; values are parameters.
        self.head = f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES "  # noqa: S608
        # SQLite runs on the raw driver cursor with its own placeholder, skipping the
        # per-query rewrite of %s that Django's wrapper does.
        mark = "?" if self.sqlite else "%s"
        self.row_sql = "(" + ", ".join([mark] * len(self.columns)) + ")"
        self.tail = f" RETURNING {connection.ops.quote_name(self.pk_column)}"
        # PostgreSQL takes one array per column through unnest: a short constant statement
        # that psycopg parses once, however many rows (and ids come back in order).
        arrays = ", ".join(f"%s::{t}[]" for t in self.types)
        self.pg_sql = (
            f"{self.head.removesuffix(' VALUES ')} SELECT * FROM unnest({arrays}){self.tail}"  # noqa: S608
        )

    def insert(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert the rows; return their new primary keys, in order."""
        ids: list[int] = []
        fixed = self.fixed
        prepare = self.prepare
        if not self.sqlite:
            return self._insert_unnest(rows)
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
            sql = self.head + ", ".join([self.row_sql] * len(part)) + self.tail
            connection.ensure_connection()
            cursor = connection.connection.cursor()
            try:
                cursor.execute(sql, params)
                ids.extend(r[0] for r in cursor.fetchall())
            finally:
                cursor.close()
        return ids

    def _insert_unnest(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(rows), 5000):
            part = rows[start : start + 5000]
            columns: list[list[Any]] = [list(col) for col in zip(*part, strict=True)]
            for i, prep in self.prepare:
                columns[i] = [prep(v) for v in columns[i]]
            columns += [[value] * len(part) for value in self.fixed]
            with connection.cursor() as cursor:
                cursor.execute(self.pg_sql, columns)
                ids.extend(r[0] for r in cursor.fetchall())
        return ids


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
