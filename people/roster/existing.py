"""The accounts and staff records an import compares its rows with.

Applying a chunk of people needs the existing accounts by email and by id, and the
existing staff records by (school, source id) and by account. Two ways to answer:

- `Loaded`: when the database holds few accounts (a first import into a new site, the
  national bench), every account and staff record is read once, up front, and each chunk
  is answered from dictionaries. Asking the database per chunk would cost a query round
  trip per chunk to find, mostly, nothing.
- `Queried`: otherwise one query per question per chunk, each taking its whole list of
  keys as one array parameter, so the work stays proportional to the file, not to the
  database.

Both give the same answers as rows in the same shapes: accounts as (id, email, full name),
staff records as STAFF_FIELDS.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Sequence

from django.db import connection

from people.roster.fastsql import int_array, text_array
from tenancy.models import StaffMember, User

STAFF_FIELDS = (
    "id",
    "school_id",
    "user_id",
    "source_id",
    "is_teacher",
    "is_school_admin",
    "archived_at",
)
# Up to this many accounts in the database, read them all once (about 100 bytes each for
# accounts and staff records together, so tens of megabytes at most).
LOAD_LIMIT = 100_000


class Existing(abc.ABC):
    """What the database holds, asked for by the keys of one chunk of people."""

    @abc.abstractmethod
    def users_by_email(self, emails: Sequence[str]) -> list[tuple]:
        """Rows for these keys (see the subclasses)."""

    @abc.abstractmethod
    def users_by_pk(self, pks: Iterable[int]) -> list[tuple]:
        """Rows for these keys (see the subclasses)."""

    @abc.abstractmethod
    def staff_by_source(self, pairs: Sequence[tuple[int, str]]) -> list[tuple]:
        """Rows for these keys (see the subclasses)."""

    @abc.abstractmethod
    def staff_by_users(self, uids: Iterable[int]) -> list[tuple]:
        """Rows for these keys (see the subclasses)."""

    def user_changed(self, old: tuple, new: tuple) -> None:  # noqa: B027 (optional hook)
        """The import updated an account it was given; keep later answers true."""

    def staff_changed(self, old: tuple, new: tuple) -> None:  # noqa: B027 (optional hook)
        """The import updated a staff record it was given; keep later answers true."""


def existing_rows() -> Existing:
    """`Loaded` while the database is small, `Queried` once it is not."""
    users = User.objects.order_by().values_list("pk", flat=True)[: LOAD_LIMIT + 1].count()
    if users <= LOAD_LIMIT:
        staff = StaffMember.objects.order_by().values_list("pk", flat=True)
        if staff[: 2 * LOAD_LIMIT + 1].count() <= 2 * LOAD_LIMIT:
            return Loaded()
    return Queried()


class Loaded(Existing):
    """Every account and staff record, read once. Rows the import itself creates are not
    added: a checked file has each email and each sourcedId once, so no later row of the
    same import can match them. Rows it updates are, since their keys may move."""

    def __init__(self) -> None:
        self.users: dict[int, tuple] = {}
        self.by_email: dict[str, int] = {}
        for row in User.objects.order_by().values_list("pk", "email", "full_name").iterator(5000):
            self.users[row[0]] = row
            self.by_email[row[1]] = row[0]
        self.by_source: dict[tuple[int, str], tuple] = {}
        self.by_user: dict[int, list[tuple]] = {}
        for row in StaffMember.objects.order_by().values_list(*STAFF_FIELDS).iterator(5000):
            self._add_staff(row)

    def _add_staff(self, row: tuple) -> None:
        if row[3] is not None:
            self.by_source[(row[1], row[3])] = row
        self.by_user.setdefault(row[2], []).append(row)

    def users_by_email(self, emails: Sequence[str]) -> list[tuple]:
        by_email, users = self.by_email, self.users
        return [users[by_email[e]] for e in emails if e in by_email]

    def users_by_pk(self, pks: Iterable[int]) -> list[tuple]:
        return [self.users[pk] for pk in pks if pk in self.users]

    def staff_by_source(self, pairs: Sequence[tuple[int, str]]) -> list[tuple]:
        by_source = self.by_source
        return [by_source[p] for p in pairs if p in by_source]

    def staff_by_users(self, uids: Iterable[int]) -> list[tuple]:
        by_user = self.by_user
        return [row for uid in uids for row in by_user.get(uid, ())]

    def user_changed(self, old: tuple, new: tuple) -> None:
        if self.by_email.get(old[1]) == old[0]:
            del self.by_email[old[1]]
        self.by_email[new[1]] = new[0]
        self.users[new[0]] = new

    def staff_changed(self, old: tuple, new: tuple) -> None:
        if old[3] is not None and self.by_source.get((old[1], old[3])) is old:
            del self.by_source[(old[1], old[3])]
        rows = self.by_user.get(old[2], [])
        self.by_user[old[2]] = [r for r in rows if r[0] != old[0]]
        self._add_staff(new)


class Queried(Existing):
    """One query per question per chunk. On PostgreSQL each list of keys travels as one
    array literal (see fastsql.text_array); on SQLite as one JSON text read by json_each.
    Either way the statement has a fixed shape and a single parameter per list."""

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        self.user_table = quote(User._meta.db_table)
        self.staff_table = quote(StaffMember._meta.db_table)
        self.staff_cols = ", ".join("t." + quote(c) for c in STAFF_FIELDS)
        self.pg = connection.vendor == "postgresql"

    def _keys(self, values: Sequence, kind: str) -> tuple[str, object]:
        """SQL for 'the set of these keys' and its one parameter."""
        if self.pg:
            if kind == "text":
                return "= ANY(%s::text[])", text_array(values)
            return "= ANY(%s::bigint[])", int_array(values)
        return "IN (SELECT value FROM json_each(%s))", json.dumps(list(values))

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def users_by_email(self, emails: Sequence[str]) -> list[tuple]:
        if not emails:
            return []
        cond, param = self._keys(emails, "text")
        # Table names come from model metadata, quoted; keys are one parameter.
        sql = f"SELECT id, email, full_name FROM {self.user_table} WHERE email {cond}"  # noqa: S608
        return self._fetch(sql, [param])

    def users_by_pk(self, pks: Iterable[int]) -> list[tuple]:
        pks = list(pks)
        if not pks:
            return []
        cond, param = self._keys(pks, "int")
        sql = f"SELECT id, email, full_name FROM {self.user_table} WHERE id {cond}"  # noqa: S608
        return self._fetch(sql, [param])

    def staff_by_users(self, uids: Iterable[int]) -> list[tuple]:
        uids = list(uids)
        if not uids:
            return []
        cond, param = self._keys(uids, "int")
        sql = f"SELECT {self.staff_cols} FROM {self.staff_table} t WHERE t.user_id {cond}"  # noqa: S608
        return self._staff(sql, [param])

    def staff_by_source(self, pairs: Sequence[tuple[int, str]]) -> list[tuple]:
        """Staff records by (school, source id): one index probe per pair. Two plain key
        sets would make the database probe every combination."""
        if not pairs:
            return []
        if self.pg:
            sql = (
                f"SELECT {self.staff_cols} FROM unnest(%s::bigint[], %s::text[]) "  # noqa: S608
                f"AS v(school_id, source_id) JOIN {self.staff_table} t "
                "ON t.school_id = v.school_id AND t.source_id = v.source_id"
            )
            params = [int_array([p[0] for p in pairs]), text_array([p[1] for p in pairs])]
        else:
            sql = (
                f"SELECT {self.staff_cols} FROM json_each(%s) AS v JOIN {self.staff_table} t "  # noqa: S608
                "ON t.school_id = json_extract(v.value, '$[0]') "
                "AND t.source_id = json_extract(v.value, '$[1]')"
            )
            params = [json.dumps(pairs)]
        return self._staff(sql, params)

    def _staff(self, sql: str, params: list) -> list[tuple]:
        rows = self._fetch(sql, params)
        if self.pg:
            return rows
        # SQLite hands back 0/1 and text where the ORM would give booleans and aware
        # datetimes; compare and record the same values on both databases.
        convert = connection.ops.convert_datetimefield_value
        return [
            (pk, school, user, sid, bool(teacher), bool(admin), convert(archived, None, connection))
            for pk, school, user, sid, teacher, admin, archived in rows
        ]
