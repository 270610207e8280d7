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
    record_many is the ORM path; imports use a faster multi-row insert of the same rows)."""

    NOTE = "Roster import"
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
        self.actor_id = getattr(actor, "pk", None)
        self.note = note
        self.pending: list[tuple] = []
        self._insert = None

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
        if len(self.pending) >= 5000:
            self.flush()

    def flush(self) -> None:
        from people.roster.fastsql import FastInsert

        if self.pending:
            if self._insert is None:
                self._insert = FastInsert(HistoryEntry, self.FIELDS)
            self._insert.insert(self.pending)
            self.pending = []
