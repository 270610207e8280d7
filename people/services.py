"""Staff, teams, profiles and tokens: one function per thing a school administrator or a
member of staff does. Each validates, changes state in one transaction and writes history."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from history.services import diff, record, snapshot
from tenancy import gate
from tenancy.errors import Conflict, DomainError
from tenancy.models import (
    ApiToken,
    School,
    StaffMember,
    Subject,
    Team,
    TeamMembership,
    User,
)

STAFF_FIELDS = [
    "job_title",
    "is_teacher",
    "ect_year",
    "mentor_id",
    "is_mentor",
    "is_cpd_lead",
    "is_facilitator",
    "is_school_admin",
    "is_senior_leader",
    "career_stage",
    "phase",
    "fte",
    "directed_hours",
]
PERSON_FIELDS = ["full_name", "email"]


def _clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=name) from exc


def _as_decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError("Enter a number.", field=field) from exc


def _subjects(names: Iterable[str]) -> list[Subject]:
    found = []
    for name in names:
        name = (name or "").strip()
        if name:
            found.append(Subject.objects.get_or_create(name=name[:80])[0])
    return found


def _staff_values(school: School, values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in STAFF_FIELDS or k == "mentor"}
    if "mentor" in out:
        mentor = out.pop("mentor")
        out["mentor_id"] = mentor.pk if isinstance(mentor, StaffMember) else mentor
    if (
        out.get("mentor_id")
        and not StaffMember.objects.filter(
            pk=out["mentor_id"], school=school, archived_at__isnull=True
        ).exists()
    ):
        raise DomainError("The mentor must be current staff at the same school.", field="mentor")
    for name in ("fte", "directed_hours"):
        if name in out:
            out[name] = _as_decimal(out[name], name)
    if "fte" in out and out["fte"] is None:
        out.pop("fte")
    if out.get("ect_year") in ("", 0):
        out["ect_year"] = None
    if out.get("ect_year") is not None and out.get("career_stage") is None:
        out["career_stage"] = StaffMember.CareerStage.ECT
    return out


def _set_teams(staff: StaffMember, teams: list[Team] | None, led: list[Team] | None) -> bool:
    """Make the person's teams exactly `teams` (leading those in `led`). Either list may be
    None, meaning 'leave that side as it is'. Returns whether anything changed."""
    if teams is None and led is None:
        return False
    current = {tm.team_id: tm for tm in staff.team_memberships.all()}
    want_members = {t.pk for t in teams} if teams is not None else set(current)
    want_leads = (
        {t.pk for t in led}
        if led is not None
        else {tid for tid, tm in current.items() if tm.is_leader}
    )
    want_members |= want_leads
    for t in (teams or []) + (led or []):
        if t.school_id != staff.school_id:
            raise DomainError("Teams must belong to the same school.", field="teams")
    changed = False
    for tid, tm in current.items():
        if tid not in want_members:
            tm.delete()
            changed = True
        elif tm.is_leader != (tid in want_leads):
            tm.is_leader = tid in want_leads
            tm.save(update_fields=["is_leader"])
            changed = True
    for tid in want_members - set(current):
        TeamMembership.objects.create(team_id=tid, staff=staff, is_leader=tid in want_leads)
        changed = True
    return changed


@transaction.atomic
def add_staff(
    actor: User | None,
    school: School,
    *,
    email: str,
    full_name: str = "",
    subjects: Iterable[str] = (),
    teams: list[Team] | None = None,
    led_teams: list[Team] | None = None,
    **values: Any,
) -> StaffMember:
    """Add a person to a school's staff, creating their account if they have none yet.
    Adding someone already on the staff is refused; re-adding an archived record restores it."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise DomainError("Enter a valid email address.", field="email")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name.strip())
        record(actor, "account.created", user, {"email": email}, school_id=school.pk)
    elif full_name and not user.full_name:
        user.full_name = full_name.strip()
        user.save(update_fields=["full_name"])
    existing = StaffMember.objects.filter(user=user, school=school).first()
    if existing and existing.archived_at is None:
        raise Conflict(f"{email} is already on the staff of {school}.", field="email")
    fields = _staff_values(school, values)
    if existing:
        staff = existing
        staff.archived_at = None
        for k, v in fields.items():
            setattr(staff, k, v)
    else:
        staff = StaffMember(user=user, school=school, **fields)
    _clean(staff, exclude=["user", "school", "mentor"])
    staff.save()
    if subjects:
        staff.subjects.set(_subjects(subjects))
    _set_teams(staff, teams, led_teams)
    record(actor, "staff.added", staff, {"email": email, **snapshot(staff, STAFF_FIELDS)})
    return staff


@transaction.atomic
def update_staff(
    actor: User | None,
    staff: StaffMember,
    *,
    full_name: str | None = None,
    subjects: Iterable[str] | None = None,
    teams: list[Team] | None = None,
    led_teams: list[Team] | None = None,
    **values: Any,
) -> StaffMember:
    staff = StaffMember.objects.select_for_update().get(pk=staff.pk)
    before = snapshot(staff, STAFF_FIELDS)
    fields = _staff_values(staff.school, values)
    if "ect_year" in values and values["ect_year"] in (None, "", 0):
        fields["ect_year"] = None
        if staff.career_stage == StaffMember.CareerStage.ECT and "career_stage" not in values:
            fields["career_stage"] = StaffMember.CareerStage.EARLY
    if fields.get("mentor_id") == staff.pk:
        raise DomainError("A person cannot mentor themselves.", field="mentor")
    for k, v in fields.items():
        setattr(staff, k, v)
    _clean(staff, exclude=["user", "school", "mentor"])
    changes = diff(before, snapshot(staff, STAFF_FIELDS))
    staff.save()
    if full_name is not None and full_name.strip() != staff.user.full_name:
        changes["full_name"] = [staff.user.full_name, full_name.strip()]
        staff.user.full_name = full_name.strip()
        staff.user.save(update_fields=["full_name"])
    if subjects is not None:
        old = sorted(s.name for s in staff.subjects.all())
        new = _subjects(subjects)
        if sorted(s.name for s in new) != old:
            staff.subjects.set(new)
            changes["subjects"] = [old, sorted(s.name for s in new)]
    if _set_teams(staff, teams, led_teams):
        changes["teams"] = "changed"
    if changes:
        record(actor, "staff.updated", staff, changes)
    return staff


@transaction.atomic
def archive_staff(actor: User | None, staff: StaffMember) -> StaffMember:
    """Archive a leaver: their record and history stay, their access to the school ends."""
    if staff.archived_at is not None:
        return staff
    if actor is not None and staff.user_id == actor.pk and staff.is_school_admin:
        others = StaffMember.objects.filter(
            school=staff.school, is_school_admin=True, archived_at__isnull=True
        ).exclude(pk=staff.pk)
        if not others.exists():
            raise DomainError("You are the school's only administrator: name another first.")
    staff.archived_at = timezone.now()
    staff.save(update_fields=["archived_at"])
    StaffMember.objects.filter(mentor=staff).update(mentor=None)
    record(actor, "staff.archived", staff, {"archived_at": staff.archived_at})
    return staff


@transaction.atomic
def restore_staff(actor: User | None, staff: StaffMember) -> StaffMember:
    if staff.archived_at is None:
        return staff
    staff.archived_at = None
    staff.save(update_fields=["archived_at"])
    record(actor, "staff.restored", staff, {"archived_at": None})
    return staff


@transaction.atomic
def create_team(
    actor: User | None,
    school: School,
    *,
    name: str,
    kind: str = "department",
    leaders: list[StaffMember] | None = None,
) -> Team:
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the team a name.", field="name")
    if kind not in Team.Kind.values:
        raise DomainError("Unknown kind of team.", field="kind")
    if Team.objects.filter(school=school, name__iexact=name, archived_at__isnull=True).exists():
        raise Conflict(f"{school} already has a team called {name}.", field="name")
    team = Team.objects.create(school=school, name=name[:120], kind=kind)
    for leader in leaders or []:
        if leader.school_id != school.pk:
            raise DomainError("Leaders must be staff of the same school.", field="leaders")
        TeamMembership.objects.update_or_create(
            team=team, staff=leader, defaults={"is_leader": True}
        )
    record(
        actor,
        "team.created",
        team,
        {"name": name, "kind": kind, "leaders": [s.pk for s in leaders or []]},
    )
    return team


@transaction.atomic
def update_team(
    actor: User | None,
    team: Team,
    *,
    name: str | None = None,
    kind: str | None = None,
    leaders: list[StaffMember] | None = None,
) -> Team:
    before = snapshot(team, ["name", "kind"])
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError("Give the team a name.", field="name")
        clash = Team.objects.filter(
            school=team.school, name__iexact=name, archived_at__isnull=True
        ).exclude(pk=team.pk)
        if clash.exists():
            raise Conflict(f"{team.school} already has a team called {name}.", field="name")
        team.name = name[:120]
    if kind is not None:
        if kind not in Team.Kind.values:
            raise DomainError("Unknown kind of team.", field="kind")
        team.kind = kind
    changes = diff(before, snapshot(team, ["name", "kind"]))
    team.save()
    if leaders is not None:
        want = {s.pk for s in leaders}
        for s in leaders:
            if s.school_id != team.school_id:
                raise DomainError("Leaders must be staff of the same school.", field="leaders")
        old = set(team.memberships.filter(is_leader=True).values_list("staff_id", flat=True))
        if want != old:
            team.memberships.filter(is_leader=True).exclude(staff_id__in=want).update(
                is_leader=False
            )
            for sid in want - old:
                TeamMembership.objects.update_or_create(
                    team=team, staff_id=sid, defaults={"is_leader": True}
                )
            changes["leaders"] = [sorted(old), sorted(want)]
    if changes:
        record(actor, "team.updated", team, changes)
    return team


@transaction.atomic
def archive_team(actor: User | None, team: Team) -> Team:
    if team.archived_at is None:
        team.archived_at = timezone.now()
        team.save(update_fields=["archived_at"])
        record(actor, "team.archived", team, {"archived_at": team.archived_at})
    return team


@transaction.atomic
def update_profile(
    user: User, *, full_name: str | None = None, records: dict[int, dict[str, Any]] | None = None
) -> User:
    """A person updates their own name and, per school, their subjects, phase and career
    stage (what shapes the CPD they are offered). Roles stay with the school administrator."""
    if full_name is not None and full_name.strip() != user.full_name:
        record(user, "account.updated", user, {"full_name": [user.full_name, full_name.strip()]})
        user.full_name = full_name.strip()
        user.save(update_fields=["full_name"])
    for staff_id, values in (records or {}).items():
        staff = StaffMember.objects.get(pk=staff_id, user=user)
        allowed = {k: v for k, v in values.items() if k in {"phase", "career_stage"}}
        if (
            "career_stage" in allowed
            and allowed["career_stage"] not in StaffMember.CareerStage.values
        ):
            raise DomainError("Unknown career stage.", field="career_stage")
        update_staff(user, staff, subjects=values.get("subjects"), **allowed)
    gate.forget(user)
    return user


def create_token(
    user: User, name: str = "Personal token", actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and never stored."""
    name = (name or "Personal token").strip()[:100] or "Personal token"
    with transaction.atomic():
        token, raw = ApiToken.issue(user, name)
        record(actor or user, "token.created", token, {"name": name, "hint": token.hint})
    return token, raw


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(user, "token.revoked", token, {"hint": token.hint})


def ensure_unique_email(email: str, exclude_user: User | None = None) -> None:
    qs = User.objects.filter(email__iexact=email)
    if exclude_user is not None:
        qs = qs.exclude(pk=exclude_user.pk)
    if qs.exists():
        raise Conflict("That email address belongs to another account.", field="email")


__all__ = [
    "add_staff",
    "update_staff",
    "archive_staff",
    "restore_staff",
    "create_team",
    "update_team",
    "archive_team",
    "update_profile",
    "create_token",
    "revoke_token",
    "IntegrityError",
]
