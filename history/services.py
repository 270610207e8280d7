"""record(): the one way services write history, inside their own transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from history.models import HistoryEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, in a JSON-safe form, to diff against later."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def entry(
    actor: Any,
    action: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    *,
    school_id: int | None = None,
    network_id: int | None = None,
    note: str = "",
) -> HistoryEntry:
    """The history row for one change, unsaved (see `record`)."""
    return HistoryEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        school_id=school_id if school_id is not None else getattr(subject, "school_id", None),
        network_id=network_id if network_id is not None else getattr(subject, "network_id", None),
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        note=note[:300],
    )


def record(
    actor: Any,
    action: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    **where: Any,
) -> HistoryEntry:
    """Write one history row (`where`: school_id, network_id, note, as for `entry`). Call
    inside the transaction that makes the change."""
    row = entry(actor, action, subject, changes, **where)
    row.save(force_insert=True)
    return row


def record_many(entries: list[HistoryEntry]) -> None:
    """Bulk history for imports: one INSERT for many rows."""
    HistoryEntry.objects.bulk_create(entries, batch_size=2000)
