"""Querysets compiled once per process, then run again with new values.

Django builds a queryset's SQL afresh every time it runs. On the paths every request
takes (who is signed in, what they may see, booking a place) building it costs more than
the database spends answering it. `Prepared` builds the queryset once, with marker values
standing in for the arguments, keeps the SQL, and on each call runs that SQL with the real
values and turns the rows into model instances exactly as the ORM does (`select_related`
included), through the compiler's own converters.

Only plain values can be arguments: integers, strings and datetimes, each appearing once in
the query. Anything else (lists for `__in`, expressions) belongs in the queryset itself.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

_INT_MARKER = -7_340_000_000_000  # far outside any id or count this project stores
_STR_MARKER = "\x1fprepared-marker-"
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1
_TIME_MARKER = datetime.datetime(1901, 1, 1, 0, 0, 7, tzinfo=datetime.UTC)


class _Plan:
    """What one database needs to run the query: the SQL, the fixed parameters, where
    each argument goes, and how rows become instances."""

    def __init__(self, qs: QuerySet, markers: list[Any], kinds: list[type]) -> None:
        db = qs.db
        connection = connections[db]
        self.compiler = qs.query.get_compiler(using=db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        adapted = [
            self._adapt(connection, kind, marker)
            for kind, marker in zip(kinds, markers, strict=True)
        ]
        self.slots = []
        for marker in adapted:
            found = [i for i, p in enumerate(self.params) if p == marker]
            if len(found) != 1:
                raise ValueError(f"A prepared argument must appear once in the query: {found}")
            self.slots.append(found[0])
        self.kinds = kinds
        compiler = self.compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.span = (start, end)
        self.init_list = [f[0].target.attname for f in compiler.select[start:end]]
        self.populators = get_related_populators(klass_info, compiler.select, db)
        self.db = db

    @staticmethod
    def _adapt(connection: Any, kind: type, value: Any) -> Any:
        if kind is datetime.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def run(self, args: tuple[Any, ...]) -> list[Any]:
        if any(isinstance(a, int) and not _BIGINT_MIN <= a <= _BIGINT_MAX for a in args):
            return []  # no stored id or count is that large (the ORM answers the same)
        connection = connections[self.db]
        params = list(self.params)
        for slot, kind, value in zip(self.slots, self.kinds, args, strict=True):
            params[slot] = self._adapt(connection, kind, value)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        start, end = self.span
        found = []
        for row in self.compiler.results_iter([rows]):
            obj = self.model.from_db(self.db, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found


class Prepared(Generic[M]):
    """`Prepared(lambda pk: Model.objects.filter(pk=pk), int)`: call it with the values to
    get the instances as a list. The queryset is built and compiled on the first call."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type) -> None:
        for kind in kinds:
            if kind not in (int, str, datetime.datetime):
                raise TypeError(f"Prepared arguments are int, str or datetime, not {kind!r}")
        self._build = build
        self._kinds = list(kinds)
        self._plan: _Plan | None = None
        self._lock = threading.Lock()

    def _markers(self) -> list[Any]:
        markers: list[Any] = []
        for i, kind in enumerate(self._kinds):
            if kind is int:
                markers.append(_INT_MARKER - i)
            elif kind is str:
                markers.append(f"{_STR_MARKER}{i}")
            else:
                markers.append(_TIME_MARKER + datetime.timedelta(seconds=i))
        return markers

    def __call__(self, *args: Any) -> list[M]:
        plan = self._plan
        if plan is None:
            with self._lock:
                if self._plan is None:
                    markers = self._markers()
                    self._plan = _Plan(self._build(*markers), markers, self._kinds)
                plan = self._plan
        return plan.run(args)

    def first(self, *args: Any) -> M | None:
        found = self(*args)
        return found[0] if found else None


def insert_values(obj: Model, connection: Any) -> dict[str, Any]:
    """Column -> database value for INSERTing the unsaved `obj` (its primary key left to
    the database unless set), prepared as the ORM's own INSERT would (defaults, auto_now,
    JSON). For hand-written statements that insert a row computed from another statement's
    result."""
    values = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key and obj.pk is None:
            continue
        values[f.column] = f.get_db_prep_save(f.pre_save(obj, True), connection)
    return values
