"""Roster import jobs: one row per upload, tracking progress, errors and what it changed."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenancy.models import Network, School


def _upload_to(job: ImportJob, filename: str) -> str:
    # A fresh folder per upload keeps original names without collisions.
    return f"imports/{uuid.uuid4().hex}/{Path(filename).name}"


class ImportJob(models.Model):
    """An uploaded roster waiting for, running in, or finished by the task worker."""

    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", "OneRoster export"
        STAFF_TEMPLATE = "staff_template", "Staff template"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="import_jobs"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="import_jobs"
    )
    file = models.FileField(upload_to=_upload_to, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(default=False)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=True) | models.Q(network__isnull=True),
                name="import_job_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def progress_file(self) -> Path | None:
        """Where a worker holding a SQLite write transaction reports progress, since no
        other connection can write the row until it commits."""
        if not self.file:
            return None
        return Path(self.file.path).with_name("progress.json")

    def live_progress(self) -> tuple[int, int | None]:
        """(rows done, rows in total): from the row, or the worker's side file if newer."""
        done, total = self.rows_done, self.rows_total
        if self.status == self.Status.RUNNING and self.progress_file is not None:
            try:
                data: dict[str, Any] = json.loads(self.progress_file.read_text())
            except (OSError, ValueError):
                return done, total
            # The side file exists only once applying began: it is the newer word.
            done, total = int(data.get("done", 0)), data.get("total")
        return done, total

    @property
    def percent(self) -> int | None:
        done, total = self.live_progress()
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not total:
            return None
        return min(100, int(100 * done / total))
