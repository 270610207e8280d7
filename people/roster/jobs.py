"""Starting and finding import jobs: shared by the upload page and the API, so both ask
the gate the same questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from people.models import ImportJob
from people.roster.summary import Scope
from tenancy import gate
from tenancy.errors import DomainError
from tenancy.models import Network, School

SUFFIXES = {".zip": ImportJob.Kind.ONEROSTER, ".csv": ImportJob.Kind.STAFF_TEMPLATE}
SUFFIXES[".xlsx"] = ImportJob.Kind.STAFF_TEMPLATE
MAX_UPLOAD = 512 * 1024 * 1024


def import_scopes(user: Any) -> tuple[QuerySet[School], QuerySet[Network], bool]:
    """Schools and networks the person may import into, and whether they may import
    anywhere (site administrators, whose files may create schools and networks)."""
    a = gate.access(user)
    admin_of = [sid for sid in a.school_ids if gate.can(user, "school.import_roster", sid_obj(sid))]
    schools = School.objects.filter(pk__in=admin_of).order_by("name")
    networks = Network.objects.filter(pk__in=a.led_network_ids).order_by("name")
    if a.is_site_admin:
        networks = Network.objects.order_by("name")
    return schools, networks, a.is_site_admin


def sid_obj(school_id: int) -> School:
    # The gate's rules read only the primary key; no query needed.
    return School(pk=school_id)


def resolve_scope(user: Any, school_id: int | None, network_id: int | None) -> Scope:
    """The scope asked for, after the gate: unseen answers 404, seen-but-not-yours 403."""
    if school_id and network_id:
        raise DomainError("Choose a school or a network, not both.", field="school")
    if school_id:
        school = gate.school(user, school_id)
        gate.require(user, "school.import_roster", school)
        return Scope(school=school)
    if network_id:
        network = gate.network(user, network_id)
        gate.require(user, "network.import_roster", network)
        return Scope(network=network)
    gate.require(user, "roster.import_any")
    schools, networks, anywhere = import_scopes(user)
    if anywhere:
        return Scope()
    choices = list(schools[:2]) + list(networks[:2])
    if len(choices) == 1:
        one = choices[0]
        return Scope(school=one) if isinstance(one, School) else Scope(network=one)
    raise DomainError("Choose the school or network to import into.", field="school")


def start_import(
    user: Any, upload: UploadedFile, scope: Scope, *, dry_run: bool = False
) -> ImportJob:
    """Save the upload under MEDIA_ROOT/imports and queue the import task."""
    from people.tasks import run_import

    name = Path(upload.name or "").name
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise DomainError(
            "Upload a OneRoster export (.zip) or the staff template (.csv or .xlsx).",
            field="file",
        )
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise DomainError("The file is larger than 512 MB.", field="file")
    job = ImportJob(
        created_by=user if getattr(user, "pk", None) else None,
        school=scope.school,
        network=scope.network,
        kind=kind,
        dry_run=dry_run,
        original_name=name[:200],
    )
    job.file.save(name, upload, save=False)
    job.save()
    # The database backend commits the task row with the job; the worker takes it after.
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def visible_jobs(user: Any) -> QuerySet[ImportJob]:
    """Jobs the person may see (the gate decides); everyone else's answer 404."""
    return gate.import_jobs(user)
