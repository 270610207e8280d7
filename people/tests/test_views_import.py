"""The upload page and the status page: upload, watch progress, read the outcome."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import ImportJob
from people.tests.rosterfiles import template_csv, trust_export
from tenancy.models import StaffMember

pytestmark = pytest.mark.django_db


def staff_file(tmp_path, email="new.teacher@riverside.example", urn="100001", **more):
    row = {
        "email": email,
        "full_name": "New Teacher",
        "school_urn": urn,
        "roles": "teacher",
        **more,
    }
    path = template_csv(tmp_path, [row])
    return SimpleUploadedFile("staff.csv", path.read_bytes(), content_type="text/csv")


def test_a_school_administrator_sees_the_upload_form_with_their_school(client_for, world):
    response = client_for(world.people["school_admin"]).get(reverse("people:import_roster"))
    assert response.status_code == 200
    assert f'value="school:{world.school.pk}"' in response.content.decode()
    assert f'value="school:{world.elsewhere.pk}"' not in response.content.decode()
    assert "people/staff-template.csv" in response.content.decode()


def test_an_upload_is_imported_and_the_status_page_shows_the_summary(client_for, world, tmp_path):
    client = client_for(world.people["school_admin"])
    response = client.post(
        reverse("people:import_roster"),
        {"file": staff_file(tmp_path), "scope": f"school:{world.school.pk}"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_status", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.created_by == world.people["school_admin"]
    assert StaffMember.objects.filter(user__email="new.teacher@riverside.example").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Succeeded" in page
    assert "Created: staff" in page
    assert 'value="100"' in page
    assert "hx-trigger" not in page  # done: the page stops polling


def test_a_running_job_polls_its_progress_fragment_every_second(client_for, world):
    job = ImportJob.objects.create(
        created_by=world.people["school_admin"],
        school=world.school,
        kind=ImportJob.Kind.STAFF_TEMPLATE,
        status=ImportJob.Status.RUNNING,
        rows_done=40,
        rows_total=100,
        file="imports/x/staff.csv",
    )
    client = client_for(world.people["school_admin"])
    url = reverse("people:import_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section")
    assert '<progress value="40" max="100"' in fragment
    assert "<html" not in fragment


def test_a_bad_file_shows_every_error_with_file_line_and_column(client_for, world, tmp_path):
    client = client_for(world.people["school_admin"])
    upload = staff_file(tmp_path, fte="2")
    response = client.post(
        reverse("people:import_roster"), {"file": upload, "scope": f"school:{world.school.pk}"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "<td>staff.csv</td><td>2</td><td>fte</td>" in page
    assert not StaffMember.objects.filter(user__email="new.teacher@riverside.example").exists()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(client_for, world, tmp_path):
    client = client_for(world.people["school_admin"])
    response = client.post(
        reverse("people:import_roster"),
        {"file": staff_file(tmp_path), "scope": f"school:{world.school.pk}", "dry_run": "on"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "What the import would do" in page
    assert not StaffMember.objects.filter(user__email="new.teacher@riverside.example").exists()


def test_a_network_lead_may_import_a_oneroster_zip_into_their_trust(client_for, world, tmp_path):
    zipped = trust_export(tmp_path, as_zip=True)
    client = client_for(world.people["network_lead"])
    response = client.post(
        reverse("people:import_roster"),
        {
            "file": SimpleUploadedFile("oneroster.zip", zipped.read_bytes()),
            "scope": f"network:{world.network.pk}",
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    world.network.refresh_from_db()
    assert world.network.source_id == "d1"
    assert world.network.memberships.filter(school__urn="123456", left_on__isnull=True).exists()


def test_a_teacher_gets_403_on_the_upload_page(client_for, world):
    response = client_for(world.people["teacher"]).get(reverse("people:import_roster"))
    assert response.status_code == 403


def test_a_school_administrator_cannot_choose_another_school(client_for, world, tmp_path):
    client = client_for(world.people["school_admin"])
    response = client.post(
        reverse("people:import_roster"),
        {"file": staff_file(tmp_path), "scope": f"school:{world.elsewhere.pk}"},
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_another_schools_job_answers_404(client_for, world):
    job = ImportJob.objects.create(
        created_by=world.people["outsider_admin"],
        school=world.elsewhere,
        kind=ImportJob.Kind.STAFF_TEMPLATE,
        file="imports/x/staff.csv",
    )
    response = client_for(world.people["school_admin"]).get(
        reverse("people:import_status", args=[job.pk])
    )
    assert response.status_code == 404


def test_the_status_page_has_no_inline_script_or_style(client_for, world, tmp_path):
    client = client_for(world.people["school_admin"])
    response = client.post(
        reverse("people:import_roster"),
        {"file": staff_file(tmp_path), "scope": f"school:{world.school.pk}"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "<script>" not in page
    assert "style=" not in page
