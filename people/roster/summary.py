"""What an import did, or would do: counts by kind of record, and the import's scope."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from history.models import HistoryEntry
from tenancy.models import Network, School

Progress = Callable[[int, int | None], None]


@dataclass
class Scope:
    """Where an import may write: one school, one network's schools, or (site
    administrators and the command line) anywhere."""

    school: School | None = None
    network: Network | None = None

    @property
    def anywhere(self) -> bool:
        return self.school is None and self.network is None


@dataclass
class Summary:
    kind: str = ""
    version: str = ""
    dry_run: bool = False
    rows: int = 0
    skipped: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    archived: Counter = field(default_factory=Counter)

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.archived.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "version": self.version,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "skipped": self.skipped,
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "archived": dict(sorted(self.archived.items())),
            "changes": self.changes,
        }


class History:
    """Buffers history rows for one import and writes them in bulk (see history.services:
    record_many is the ORM path; imports use COPY, or a multi-row insert on SQLite, of the
    same rows)."""

    NOTE = "Roster import"
    # Rows held before a write: one COPY per 20,000 keeps its per-statement cost small
    # next to the rows' own, and the buffer a few megabytes.
    BATCH = 20_000
    FIELDS = (
        "actor",
        "action",
        "subject_type",
        "subject_id",
        "school_id",
        "network_id",
        "changes",
        "note",
    )

    def __init__(self, actor: Any, note: str = NOTE):
        from people.roster.fastsql import FastInsert

        self.actor_id = getattr(actor, "pk", None)
        self.note = note
        self.pending: list[tuple] = []
        # Made here, on the caller's thread: preparing it reads Django's connection.
        self._insert = FastInsert(HistoryEntry, self.FIELDS)
        # While set, flushes are queued on it (see fastsql.Writer) instead of run in line.
        self.writer: Any = None

    def row(
        self,
        action: str,
        label: str,
        pk: int,
        changes: dict[str, Any],
        *,
        school_id: int | None = None,
        network_id: int | None = None,
    ) -> tuple:
        """One history row as `write` takes it."""
        return (self.actor_id, action, label, str(pk), school_id, network_id, changes, self.note)

    def add(
        self,
        action: str,
        label: str,
        pk: int,
        changes: dict[str, Any],
        *,
        school_id: int | None = None,
        network_id: int | None = None,
    ) -> None:
        self.pending.append(
            (self.actor_id, action, label, str(pk), school_id, network_id, changes, self.note)
        )
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            rows, self.pending = self.pending, []
            if self.writer is not None:
                self.writer.submit(self.write, rows)
            else:
                self.write(None, rows)

    def write(self, raw: Any, rows: list[tuple]) -> None:
        """Insert rows made by `row`; `raw` as for FastInsert.append (any thread)."""
        self._insert.append(rows, raw)
