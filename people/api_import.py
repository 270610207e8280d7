"""Roster imports in the JSON API: upload a file (202 with the job), then poll the job.

The same scope rules and job visibility as the upload page (people.roster.jobs).
"""

from __future__ import annotations

import datetime

from ninja import File, Form, Router, Schema, UploadedFile

from people.models import ImportJob
from people.roster.jobs import resolve_scope, start_import, visible_jobs
from tenancy import gate
from tenancy.schemas import Error

router = Router(tags=["imports"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class ImportErrorOut(Schema):
    file: str
    line: int | None
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    dry_run: bool
    file_name: str
    school: int | None
    network: int | None
    rows_done: int
    rows_total: int | None
    percent: int | None
    summary: dict
    error_count: int
    errors: list[ImportErrorOut]
    message: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def job_out(job: ImportJob) -> dict:
    done, total = job.live_progress()
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "dry_run": job.dry_run,
        "file_name": job.original_name,
        "school": job.school_id,
        "network": job.network_id,
        "rows_done": done,
        "rows_total": total,
        "percent": job.percent,
        "summary": job.summary or {},
        "error_count": job.error_count,
        "errors": job.errors or [],
        "message": job.message,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.post("/imports", response={202: ImportJobOut, **ERRORS})
def create_import(
    request,
    file: File[UploadedFile],
    school: Form[int | None] = None,
    network: Form[int | None] = None,
    dry_run: Form[bool] = False,
):
    """Upload a OneRoster export (.zip) or the staff template (.csv/.xlsx). The import runs
    in the background: poll `GET /imports/{id}` until `status` is succeeded or failed."""
    gate.require(request.user, "roster.import_any")
    scope = resolve_scope(request.user, school, network)
    job = start_import(request.user, file, scope, dry_run=dry_run)
    return 202, job_out(job)


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
def get_import(request, job_id: int):
    """An import's status, progress, summary and errors (file, line, column, message)."""
    return job_out(gate.get_visible(visible_jobs(request.user), pk=job_id))
