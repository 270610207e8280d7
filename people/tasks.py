"""Background work for roster imports: the upload page and the API enqueue, a worker runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from people.models import ImportJob
from people.roster import RosterError, import_roster


class JobProgress:
    """Writes an import's progress where the status page can read it mid-transaction.

    Outside a transaction (while checking) the job row is updated directly. While applying,
    the import holds one long transaction: on PostgreSQL a second connection updates the
    row; on SQLite, where only one connection may write, a side file takes the numbers.
    """

    INTERVAL = 0.5

    def __init__(self, job: ImportJob):
        self.job = job
        self.last = 0.0
        self.side: Path | None = job.progress_file
        self._conn = None

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < self.INTERVAL and done != total:
            return
        self.last = now
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(rows_done=done, rows_total=total)
        elif connection.vendor == "postgresql":
            self._side_connection_update(done, total)
        elif self.side is not None:
            tmp = self.side.with_suffix(".tmp")
            tmp.write_text(json.dumps({"done": done, "total": total}))
            tmp.replace(self.side)

    def _side_connection_update(self, done: int, total: int | None) -> None:
        if self._conn is None:
            self._conn = connections.create_connection("default")
            self._conn.set_autocommit(True)
        table = ImportJob._meta.db_table
        with self._conn.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608
                [done, total, self.job.pk],
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self.side is not None:
            self.side.unlink(missing_ok=True)


def run_job(job: ImportJob) -> ImportJob:
    """Run one queued import to the end, recording its outcome on the row. Repeats are
    no-ops: a job that already started is left alone."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return job
    job.refresh_from_db()
    progress = JobProgress(job)
    try:
        summary = import_roster(
            job.file.path,
            actor=job.created_by,
            school=job.school,
            network=job.network,
            dry_run=job.dry_run,
            progress=progress,
        )
    except RosterError as exc:
        outcome = {
            "status": ImportJob.Status.FAILED,
            "errors": [e.as_dict() for e in exc.errors],
            "error_count": exc.total,
            "message": exc.message[:300],
        }
    except Exception:
        _finish(
            job,
            {
                "status": ImportJob.Status.FAILED,
                "message": "The import stopped unexpectedly; nothing was written.",
            },
        )
        raise
    else:
        outcome = {
            "status": ImportJob.Status.SUCCEEDED,
            "summary": summary.as_dict(),
            "rows_done": summary.rows,
            "rows_total": summary.rows,
        }
    finally:
        progress.close()
    _finish(job, outcome)
    return job


def _finish(job: ImportJob, values: dict) -> None:
    values["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**values)
    job.refresh_from_db()


@task()
def run_import(job_id: int) -> str:
    """The task the worker runs for an uploaded roster."""
    job = ImportJob.objects.get(pk=job_id)
    return run_job(job).status
