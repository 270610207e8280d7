"""POST /api/v1/imports answers 202 with the job; GET /api/v1/imports/{id} reports it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from people.models import ImportJob
from people.services import create_token
from people.tests.rosterfiles import template_csv
from tenancy.models import StaffMember

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, raw = create_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def upload(tmp_path, **more):
    row = {
        "email": "api.teacher@riverside.example",
        "full_name": "Api Teacher",
        "school_urn": "100001",
        "roles": "teacher",
        **more,
    }
    return SimpleUploadedFile("staff.csv", template_csv(tmp_path, [row]).read_bytes())


def test_an_upload_answers_202_and_the_job_reports_its_summary(client, world, tmp_path):
    headers = bearer(world.people["school_admin"])
    response = client.post(
        "/api/v1/imports", {"file": upload(tmp_path), "school": world.school.pk}, **headers
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "succeeded"
    job = client.get(f"/api/v1/imports/{body['id']}", **headers).json()
    assert job["summary"]["created"]["staff"] == 1
    assert job["percent"] == 100
    assert StaffMember.objects.filter(user__email="api.teacher@riverside.example").exists()


def test_a_bad_file_reports_its_errors_by_line_and_column(client, world, tmp_path):
    headers = bearer(world.people["school_admin"])
    response = client.post(
        "/api/v1/imports",
        {"file": upload(tmp_path, ect_year="3"), "school": world.school.pk, "dry_run": "true"},
        **headers,
    )
    job = client.get(f"/api/v1/imports/{response.json()['id']}", **headers).json()
    assert job["status"] == "failed"
    assert job["errors"] == [
        {
            "file": "staff.csv",
            "line": 2,
            "column": "ect_year",
            "message": "ect_year must be 1, 2 or blank, not '3'.",
        }
    ]


def test_a_teacher_gets_403_in_the_projects_error_shape(client, world, tmp_path):
    response = client.post(
        "/api/v1/imports",
        {"file": upload(tmp_path), "school": world.school.pk},
        **bearer(world.people["teacher"]),
    )
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}


def test_another_schools_scope_answers_404(client, world, tmp_path):
    response = client.post(
        "/api/v1/imports",
        {"file": upload(tmp_path), "school": world.elsewhere.pk},
        **bearer(world.people["school_admin"]),
    )
    assert response.status_code == 404


def test_another_schools_job_answers_404(client, world):
    job = ImportJob.objects.create(
        school=world.elsewhere, kind=ImportJob.Kind.STAFF_TEMPLATE, file="imports/x/a.csv"
    )
    response = client.get(f"/api/v1/imports/{job.pk}", **bearer(world.people["school_admin"]))
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_a_file_of_another_kind_is_refused_with_a_field_error(client, world):
    response = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("staff.pdf", b"%PDF"), "school": world.school.pk},
        **bearer(world.people["school_admin"]),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
