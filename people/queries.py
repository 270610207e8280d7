"""Reads shared by the directory page and the staff API."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from tenancy import gate
from tenancy.models import StaffMember, TeamMembership

ROLE_FILTERS = {
    "teacher": Q(is_teacher=True, ect_year__isnull=True),
    "ect": Q(ect_year__isnull=False),
    "mentor": Q(is_mentor=True),
    "cpd_lead": Q(is_cpd_lead=True),
    "facilitator": Q(is_facilitator=True),
    "school_admin": Q(is_school_admin=True),
    "senior_leader": Q(is_senior_leader=True),
}
ROLE_LABELS = [
    ("teacher", "Teacher"),
    ("ect", "Early-career teacher"),
    ("mentor", "Mentor"),
    ("middle_leader", "Middle leader"),
    ("cpd_lead", "CPD lead"),
    ("facilitator", "Facilitator"),
    ("senior_leader", "Senior leader"),
    ("school_admin", "School administrator"),
]


def directory(user: Any, params: dict[str, str]) -> QuerySet[StaffMember]:
    """Staff the person may see in a directory, filtered by the page's or API's parameters:
    school, q (name or email), team, role, subject, career_stage, archived."""
    include_archived = params.get("archived") in ("1", "true", "on")
    qs = gate.staff(user, include_archived=include_archived)
    allowed = gate.directory_school_ids(user)
    if allowed is not None:
        qs = qs.filter(school_id__in=allowed)
    if include_archived:
        qs = qs.filter(archived_at__isnull=False)
    school = params.get("school")
    if school and str(school).isdigit():
        qs = qs.filter(school_id=int(school))
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(user__full_name__icontains=q)
            | Q(user__email__icontains=q)
            | Q(job_title__icontains=q)
        )
    team = params.get("team")
    if team and str(team).isdigit():
        qs = qs.filter(team_memberships__team_id=int(team))
    role = params.get("role")
    if role == "middle_leader":
        qs = qs.filter(Exists(TeamMembership.objects.filter(staff=OuterRef("pk"), is_leader=True)))
    elif role in ROLE_FILTERS:
        qs = qs.filter(ROLE_FILTERS[role])
    subject = params.get("subject")
    if subject:
        qs = qs.filter(subjects__name__iexact=subject)
    stage = params.get("career_stage")
    if stage in StaffMember.CareerStage.values:
        qs = qs.filter(career_stage=stage)
    return (
        qs.select_related("user", "school")
        .prefetch_related("team_memberships__team", "subjects")
        .distinct()
    )
