"""Route rules: roster import pages and API."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.route_walk import SIGNED_IN, TRUST, Route

IMPORTERS = {"school_admin", "network_lead", "site_admin", "outsider_admin"}
TEMPLATE = (
    "email,full_name,school_urn,job_title,roles,ect_year,mentor_email,career_stage,phase,"
    "subjects,fte,teams,leads_teams\r\n"
    "new.person@riverside.example,New Person,{urn},Teacher,teacher,,,experienced,primary,"
    "Maths,1,Maths,\r\n"
)


def _job(school, user):
    from people.models import ImportJob

    return ImportJob.objects.create(
        created_by=user,
        school=school,
        kind="template",
        original_name="staff.csv",
        file="imports/staff.csv",
    )


def job(w):
    return {"pk": _job(w.school, w.people["school_admin"]).pk}


def elsewhere_job(w):
    return {"pk": _job(w.elsewhere, w.people["outsider_admin"]).pk}


def upload(w):
    content = TEMPLATE.format(urn=w.school.urn).encode()
    return {
        "file": SimpleUploadedFile("staff.csv", content, "text/csv"),
        "school": w.school.pk,
        "dry_run": "true",
    }


RULES = [
    Route("people:import_roster", ok=IMPORTERS, forbidden=SIGNED_IN - IMPORTERS),
    Route("people:import_status", job, ok={"school_admin", "site_admin"}, outside=elsewhere_job),
]

API_RULES = [
    Route(
        "POST /api/v1/imports",
        ok={"school_admin", "site_admin"},
        forbidden=SIGNED_IN - {"school_admin", "site_admin"} - {"outsider_admin"},
        special={"outsider_admin": 404},
        anonymous=401,
        data=upload,
        multipart=True,
    ),
    Route(
        "GET /api/v1/imports/{job_id}",
        lambda w: {"job_id": job(w)["pk"]},
        ok={"school_admin", "site_admin"},
        anonymous=401,
        outside=lambda w: {"job_id": elsewhere_job(w)["pk"]},
    ),
]

assert TRUST
