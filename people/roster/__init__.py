"""Roster import: OneRoster 1.1/1.2 CSV exports and the plain staff template.

`import_roster(path, ...)` is the one entry point for the command line, the task behind the
upload page and the API. It checks the whole input first and raises `RosterError` with
every problem (file, line, column, message) before writing anything; only a clean input is
applied, inside one transaction. Re-importing the same input changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from people.roster import oneroster, template
from people.roster.errors import ErrorList, RosterError, RowError
from people.roster.reading import Source
from people.roster.summary import Progress, Scope, Summary
from tenancy.models import Network, School, User

ONEROSTER = "oneroster"
TEMPLATE = "staff_template"

__all__ = [
    "ONEROSTER",
    "TEMPLATE",
    "RosterError",
    "RowError",
    "Scope",
    "Summary",
    "detect_kind",
    "import_roster",
]


class _DryRun(Exception):
    """Raised to roll back a dry run after it has counted what it would do."""


def detect_kind(path: str | Path) -> str:
    """OneRoster for a folder or a zip; the staff template for a .csv or .xlsx file."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".zip":
        return ONEROSTER
    if path.suffix.lower() in (".csv", ".xlsx"):
        return TEMPLATE
    raise RosterError(
        [
            RowError(
                path.name,
                None,
                "",
                "Upload a OneRoster export (.zip) or the staff template (.csv or .xlsx).",
            )
        ]
    )


def import_roster(
    path: str | Path,
    *,
    actor: User | None = None,
    school: School | None = None,
    network: Network | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Import a roster into `school` or `network` (or anywhere, when both are None: the
    caller has checked that the actor may). Returns what was (or, for a dry run, would
    be) created, updated and archived. Raises RosterError, having written nothing."""
    path = Path(path)
    kind = detect_kind(path)
    scope = Scope(school=school, network=network)
    errors = ErrorList()
    summary = Summary(kind=kind, dry_run=dry_run)
    if kind == ONEROSTER:
        try:
            source = Source(path)
        except ValueError as exc:
            raise RosterError([RowError(path.name, None, "", str(exc))]) from exc
        try:
            plan = oneroster.check(source, errors, progress)
            if errors:
                raise RosterError(errors)
            summary.version, summary.rows = plan.version, plan.rows
            applier = oneroster.Applier(source, plan, scope, actor, summary, errors, progress)
            _apply(applier.run, errors, dry_run)
        finally:
            source.close()
    else:
        summary.version = "staff-template"
        summary.rows = template.check(path, scope, errors, progress)
        if errors:
            raise RosterError(errors)
        _apply(
            lambda: template.apply(path, scope, actor, summary, errors, progress),
            errors,
            dry_run,
        )
    if progress is not None:
        progress(summary.rows, summary.rows)
    return summary


def _apply(run, errors: ErrorList, dry_run: bool) -> None:
    try:
        with transaction.atomic():
            run()
            if errors:
                # Found against the database while applying: undo everything.
                raise RosterError(errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
