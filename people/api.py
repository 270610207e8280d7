"""Me, tokens, staff, teams and subjects in the JSON API; the gate scopes every query."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router

from people import queries, services
from people.schemas import (
    MeOut,
    StaffIn,
    StaffOut,
    StaffPage,
    StaffPatch,
    SubjectOut,
    TeamIn,
    TeamOut,
    TeamPage,
    TeamPatch,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from tenancy import gate
from tenancy.apiutils import page
from tenancy.errors import DomainError
from tenancy.models import NetworkRole, StaffMember, Subject, Team
from tenancy.schemas import Error

router = Router(tags=["people"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def staff_out(s: StaffMember) -> dict:
    memberships = list(s.team_memberships.all())
    return {
        "id": s.pk,
        "school": s.school_id,
        "email": s.user.email,
        "full_name": s.user.full_name,
        "job_title": s.job_title,
        "roles": s.role_names(),
        "is_teacher": s.is_teacher,
        "ect_year": s.ect_year,
        "mentor": s.mentor_id,
        "is_mentor": s.is_mentor,
        "is_cpd_lead": s.is_cpd_lead,
        "is_facilitator": s.is_facilitator,
        "is_school_admin": s.is_school_admin,
        "is_senior_leader": s.is_senior_leader,
        "career_stage": s.career_stage,
        "phase": s.phase,
        "subjects": [x.name for x in s.subjects.all()],
        "fte": s.fte,
        "directed_hours": s.allowance_hours,
        "teams": [
            {"id": tm.team_id, "name": tm.team.name, "is_leader": tm.is_leader}
            for tm in memberships
        ],
        "archived": s.archived_at is not None,
    }


def team_out(t: Team) -> dict:
    ms = list(t.memberships.all())
    return {
        "id": t.pk,
        "school": t.school_id,
        "name": t.name,
        "kind": t.kind,
        "leaders": [m.staff_id for m in ms if m.is_leader],
        "members": [m.staff_id for m in ms],
        "archived": t.archived_at is not None,
    }


def _teams(user, school_id: int, ids: list[int] | None, field: str) -> list[Team] | None:
    if ids is None:
        return None
    found = list(gate.teams(user).filter(pk__in=ids, school_id=school_id))
    if len(found) != len(set(ids)):
        raise DomainError("Unknown team for this school.", field=field)
    return found


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request):
    user = request.user
    recs = (
        StaffMember.objects.filter(user=user, archived_at__isnull=True)
        .select_related("school")
        .prefetch_related("team_memberships__team")
    )
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_site_admin": user.is_superuser,
        "provider_name": user.provider_name,
        "schools": [
            {
                "school": r.school_id,
                "school_name": r.school.name,
                "staff_id": r.pk,
                "roles": r.role_names(),
                "teams": [
                    {"id": tm.team_id, "name": tm.team.name, "is_leader": tm.is_leader}
                    for tm in r.team_memberships.all()
                ],
            }
            for r in recs
        ],
        "networks": [
            {"network": nr.network_id, "network_name": nr.network.name, "role": nr.role}
            for nr in NetworkRole.objects.filter(user=user).select_related("network")
        ],
    }


@router.get("/me/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request):
    return list(request.user.tokens.all())


@router.post("/me/tokens", response={201: TokenCreated, **ERRORS})
def create_token(request, payload: TokenIn):
    token, raw = services.create_token(request.user, payload.name)
    return 201, {**TokenOut.from_orm(token).dict(), "token": raw}


@router.delete("/me/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request, token_id: int):
    token = gate.get_visible(request.user.tokens.all(), pk=token_id)
    services.revoke_token(request.user, token)
    return 204, None


@router.get("/staff", response={200: StaffPage, **ERRORS})
def list_staff(
    request,
    school: int | None = None,
    q: str = "",
    team: int | None = None,
    role: str = "",
    subject: str = "",
    career_stage: str = "",
    archived: bool = False,
):
    """Staff the caller may read. Leaders see their schools' directories; everyone sees
    themselves and their mentees."""
    params = {
        "q": q,
        "role": role,
        "subject": subject,
        "career_stage": career_stage,
        "archived": "1" if archived else "",
    }
    if school:
        params["school"] = str(school)
    if team:
        params["team"] = str(team)
    if gate.directory_school_ids(request.user) == set():
        qs = (
            gate.staff(request.user)
            .select_related("user")
            .prefetch_related("team_memberships__team", "subjects")
        )
    else:
        qs = queries.directory(request.user, params)
    result = page(request, qs)
    result["items"] = [staff_out(s) for s in result["items"]]
    return result


@router.post("/staff", response={201: StaffOut, **ERRORS})
def add_staff(request, payload: StaffIn):
    school = gate.school(request.user, payload.school)
    gate.require(request.user, "school.manage_staff", school)
    data = payload.dict()
    data.pop("school")
    teams = _teams(request.user, school.pk, data.pop("teams"), "teams")
    led = _teams(request.user, school.pk, data.pop("led_teams"), "led_teams")
    if data["career_stage"] not in StaffMember.CareerStage.values:
        raise DomainError("Unknown career stage.", field="career_stage")
    staff = services.add_staff(request.user, school, teams=teams, led_teams=led, **data)
    return 201, staff_out(staff)


@router.get("/staff/{staff_id}", response={200: StaffOut, **ERRORS})
def get_staff(request, staff_id: int):
    return staff_out(gate.staff_member(request.user, staff_id, include_archived=True))


@router.patch("/staff/{staff_id}", response={200: StaffOut, **ERRORS})
def update_staff(request, staff_id: int, payload: StaffPatch):
    staff = gate.staff_member(request.user, staff_id, include_archived=True)
    gate.require(request.user, "staff.edit", staff)
    data = payload.dict(exclude_unset=True)
    archived = data.pop("archived", None)
    teams = _teams(request.user, staff.school_id, data.pop("teams", None), "teams")
    led = _teams(request.user, staff.school_id, data.pop("led_teams", None), "led_teams")
    if "career_stage" in data and data["career_stage"] not in StaffMember.CareerStage.values:
        raise DomainError("Unknown career stage.", field="career_stage")
    for flag in (
        "is_teacher",
        "is_mentor",
        "is_cpd_lead",
        "is_facilitator",
        "is_school_admin",
        "is_senior_leader",
    ):
        if flag in data and data[flag] is None:
            raise DomainError("Send true or false.", field=flag)
    staff = services.update_staff(request.user, staff, teams=teams, led_teams=led, **data)
    if archived is True:
        services.archive_staff(request.user, staff)
    elif archived is False:
        services.restore_staff(request.user, staff)
    staff = get_object_or_404(StaffMember, pk=staff.pk)
    return staff_out(staff)


@router.get("/teams", response={200: TeamPage, **ERRORS})
def list_teams(request, school: int | None = None, archived: bool = False):
    qs = (
        gate.teams(request.user)
        .filter(archived_at__isnull=not archived)
        .prefetch_related("memberships")
    )
    if school:
        qs = qs.filter(school_id=school)
    result = page(request, qs)
    result["items"] = [team_out(t) for t in result["items"]]
    return result


@router.post("/teams", response={201: TeamOut, **ERRORS})
def create_team(request, payload: TeamIn):
    school = gate.school(request.user, payload.school)
    gate.require(request.user, "school.manage_staff", school)
    leaders = list(gate.staff(request.user).filter(pk__in=payload.leaders, school=school))
    if len(leaders) != len(set(payload.leaders)):
        raise DomainError("Leaders must be current staff of the school.", field="leaders")
    team = services.create_team(
        request.user, school, name=payload.name, kind=payload.kind, leaders=leaders
    )
    return 201, team_out(team)


@router.get("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def get_team(request, team_id: int):
    return team_out(gate.team(request.user, team_id))


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def update_team(request, team_id: int, payload: TeamPatch):
    team = gate.team(request.user, team_id)
    gate.require(request.user, "team.edit", team)
    data = payload.dict(exclude_unset=True)
    leaders = None
    if data.get("leaders") is not None:
        leaders = list(
            gate.staff(request.user).filter(pk__in=data["leaders"], school_id=team.school_id)
        )
        if len(leaders) != len(set(data["leaders"])):
            raise DomainError("Leaders must be current staff of the school.", field="leaders")
    services.update_team(
        request.user, team, name=data.get("name"), kind=data.get("kind"), leaders=leaders
    )
    if data.get("archived"):
        services.archive_team(request.user, team)
    return team_out(Team.objects.get(pk=team.pk))


@router.get("/subjects", response={200: list[SubjectOut], **ERRORS})
def list_subjects(request):
    return list(Subject.objects.order_by("name"))
