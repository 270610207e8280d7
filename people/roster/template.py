"""The plain staff template, for schools without OneRoster: one CSV or XLSX sheet.

Columns: email, full_name, school_urn, job_title, roles, ect_year, mentor_email,
career_stage, phase, subjects, fte, teams, leads_teams. Lists are separated by semicolons.
A row is keyed by (school, email), so re-importing the same sheet changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from people.roster.errors import ErrorList
from people.roster.reading import URN_RE, Columns, Source, check_header, normal_email, read_csv
from people.roster.summary import History, Progress, Scope, Summary
from tenancy.models import (
    NetworkMembership,
    School,
    StaffMember,
    Subject,
    Team,
    TeamMembership,
    User,
)

COLUMNS = [
    "email",
    "full_name",
    "school_urn",
    "job_title",
    "roles",
    "ect_year",
    "mentor_email",
    "career_stage",
    "phase",
    "subjects",
    "fte",
    "teams",
    "leads_teams",
]
REQUIRED = {"email", "full_name", "school_urn"}
ROLE_FLAGS = {
    "teacher": "is_teacher",
    "ect": None,
    "mentor": "is_mentor",
    "cpd_lead": "is_cpd_lead",
    "facilitator": "is_facilitator",
    "school_admin": "is_school_admin",
    "senior_leader": "is_senior_leader",
}
FLAG_FIELDS = [f for f in ROLE_FLAGS.values() if f]
STAFF_FIELDS = [
    "job_title",
    *FLAG_FIELDS,
    "ect_year",
    "career_stage",
    "phase",
    "fte",
    "archived_at",
]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows(path: Path, errors: ErrorList) -> Iterator[tuple[int, list[str], Columns]]:
    """Stream the template's rows from a CSV or the first sheet of an XLSX workbook."""
    name = path.name
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path, errors)
        return
    source = Source(path.parent)
    yield from read_csv(source, name, COLUMNS, REQUIRED, errors)


def _xlsx_rows(path: Path, errors: ErrorList) -> Iterator[tuple[int, list[str], Columns]]:
    from openpyxl import load_workbook

    name = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        errors.add(name, None, "", "The file is not an Excel workbook (.xlsx).")
        return
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        first = next(lines, None)
        if first is None:
            errors.add(name, 1, "", "The sheet is empty: it needs a header row.")
            return
        header = [_cell(v) for v in first]
        while header and not header[-1]:
            header.pop()
        cols = check_header(name, header, COLUMNS, REQUIRED, errors)
        if cols is None:
            return
        width = len(header)
        for line, values in enumerate(lines, 2):
            cells = [_cell(v) for v in values[:width]]
            cells += [""] * (width - len(cells))
            if any(cells):
                yield line, cells, cols
    finally:
        book.close()


def _get(row: list[str], cols: Columns, name: str) -> str | None:
    """The cell, or None when the column was left out of the file (leave the field be)."""
    i = cols[name]
    return row[i].strip() if i >= 0 else None


def check(path: Path, scope: Scope, errors: ErrorList, progress: Progress | None) -> int:
    """Check every row; return how many there are. Schools and mentors are checked against
    the database once the pass is done, from the few keys kept."""
    name = path.name
    seen: dict[tuple[str, str], int] = {}
    urn_lines: dict[str, list[int]] = {}
    mentors: list[tuple[int, str, str]] = []
    count = 0
    for line, row, c in rows(path, errors):
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count, None)
        email = normal_email(row[c["email"]])
        if email is None:
            errors.add(name, line, "email", f"{row[c['email']]!r} is not an email address.")
        if not row[c["full_name"]].strip():
            errors.add(name, line, "full_name", "full_name is required.")
        urn = row[c["school_urn"]].strip()
        if not URN_RE.match(urn):
            errors.add(name, line, "school_urn", f"A URN is exactly six digits, not {urn!r}.")
        else:
            urn_lines.setdefault(urn, []).append(line)
        if email and URN_RE.match(urn):
            if (urn, email) in seen:
                errors.add(name, line, "email", f"{email} is also on line {seen[(urn, email)]}.")
            seen[(urn, email)] = line
        _check_values(name, line, row, c, errors)
        mentor = _get(row, c, "mentor_email")
        if mentor:
            m = normal_email(mentor)
            if m is None:
                errors.add(name, line, "mentor_email", f"{mentor!r} is not an email address.")
            elif m == email:
                errors.add(name, line, "mentor_email", "A person cannot mentor themselves.")
            else:
                mentors.append((line, urn, m))
    schools = _schools_in_scope(name, urn_lines, scope, errors)
    outside = [(line, urn, m) for line, urn, m in mentors if (urn, m) not in seen]
    if outside:
        known = set(
            StaffMember.objects.filter(
                school__urn__in={urn for _, urn, _ in outside},
                user__email__in={m for _, _, m in outside},
                archived_at__isnull=True,
            ).values_list("school__urn", "user__email")
        )
        for line, urn, m in outside:
            if urn in schools and (urn, m) not in known:
                errors.add(name, line, "mentor_email", f"{m} is not on the staff of school {urn}.")
    return count


def _check_values(name: str, line: int, row: list[str], c: Columns, errors: ErrorList) -> None:
    roles = _get(row, c, "roles")
    for role in _split(roles or ""):
        if role not in ROLE_FLAGS:
            errors.add(name, line, "roles", f"Unknown role {role!r} (use {';'.join(ROLE_FLAGS)}).")
    ect = _get(row, c, "ect_year")
    if ect and ect not in ("1", "2"):
        errors.add(name, line, "ect_year", f"ect_year must be 1, 2 or blank, not {ect!r}.")
    stage = _get(row, c, "career_stage")
    if stage and stage not in StaffMember.CareerStage.values:
        errors.add(name, line, "career_stage", f"Unknown career stage {stage!r}.")
    phase = _get(row, c, "phase")
    if phase and phase not in School.Phase.values:
        errors.add(name, line, "phase", f"Unknown phase {phase!r}.")
    fte = _get(row, c, "fte")
    if fte:
        value = _fte(fte)
        if value is None:
            errors.add(
                name, line, "fte", f"fte must be a number above 0 and at most 1, not {fte!r}."
            )
    for col, limit in (("subjects", 80), ("teams", 120), ("leads_teams", 120)):
        for item in _split(_get(row, c, col) or ""):
            if len(item) > limit:
                errors.add(name, line, col, f"{item[:20]}… is longer than {limit} characters.")


def _fte(value: str) -> Decimal | None:
    try:
        fte = Decimal(value)
    except InvalidOperation:
        return None
    if not fte.is_finite() or fte <= 0 or fte > 1:
        return None
    return fte.quantize(Decimal("0.001"))


def _schools_in_scope(
    name: str, urn_lines: dict[str, list[int]], scope: Scope, errors: ErrorList
) -> dict[str, School]:
    found = {s.urn: s for s in School.objects.filter(urn__in=list(urn_lines))}
    members: set[int] | None = None
    if scope.network is not None:
        members = set(
            NetworkMembership.objects.filter(
                network=scope.network, left_on__isnull=True
            ).values_list("school_id", flat=True)
        )
    for urn, lines in urn_lines.items():
        school = found.get(urn)
        if school is None:
            message = f"No school has URN {urn}."
        elif scope.school is not None and school.pk != scope.school.pk:
            message = (
                f"This import may only change {scope.school.name}; URN {urn} is another school."
            )
        elif members is not None and school.pk not in members:
            message = f"{school.name} (URN {urn}) is not a member of {scope.network.name}."
        else:
            continue
        found.pop(urn, None)
        for line in lines:
            errors.add(name, line, "school_urn", message)
    return found


def apply(
    path: Path,
    scope: Scope,
    actor: User | None,
    summary: Summary,
    errors: ErrorList,
    progress: Progress | None,
) -> None:
    """Write a checked template. Run inside one transaction."""
    history = History(actor, note="Staff template import")
    now = timezone.now()
    schools: dict[str, School] = {}
    mentor_wants: list[tuple[StaffMember, str | None]] = []
    done = 0
    for _line, row, c in rows(path, errors):
        done += 1
        urn = row[c["school_urn"]].strip()
        school = schools.get(urn)
        if school is None:
            school = schools[urn] = School.objects.get(urn=urn)
        staff = _apply_row(row, c, school, history, summary, now)
        mentor = _get(row, c, "mentor_email")
        if mentor is not None:
            mentor_wants.append((staff, normal_email(mentor) if mentor else None))
        if progress is not None and done % 200 == 0:
            progress(done, summary.rows)
    for staff, mentor_email in mentor_wants:
        mentor_id = None
        if mentor_email:
            mentor_id = (
                StaffMember.objects.filter(
                    school_id=staff.school_id, user__email=mentor_email, archived_at__isnull=True
                )
                .values_list("pk", flat=True)
                .first()
            )
        if staff.mentor_id != mentor_id:
            history.add(
                "staff.updated",
                "tenancy.staffmember",
                staff.pk,
                {"mentor_id": [staff.mentor_id, mentor_id]},
                school_id=staff.school_id,
            )
            StaffMember.objects.filter(pk=staff.pk).update(mentor_id=mentor_id)
            summary.updated["staff"] += 1
    history.flush()
    if progress is not None:
        progress(done, summary.rows)


def _apply_row(
    row: list[str], c: Columns, school: School, history: History, summary: Summary, now
) -> StaffMember:
    email = normal_email(row[c["email"]])
    full_name = row[c["full_name"]].strip()[:150]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            full_name=full_name,
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        summary.created["account"] += 1
        history.add(
            "account.created", "tenancy.user", user.pk, {"email": email}, school_id=school.pk
        )
    elif full_name and user.full_name != full_name:
        history.add(
            "account.updated", "tenancy.user", user.pk, {"full_name": [user.full_name, full_name]}
        )
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        summary.updated["account"] += 1

    want: dict[str, Any] = {"archived_at": None}
    for key in ("job_title", "phase", "career_stage"):
        value = _get(row, c, key)
        if value is not None and (value or key != "career_stage"):
            want[key] = value[:120]
    roles = _get(row, c, "roles")
    if roles is not None:
        names = set(_split(roles))
        for role, flag in ROLE_FLAGS.items():
            if flag:
                want[flag] = role in names
        want["is_teacher"] = bool(names & {"teacher", "ect"})
    ect = _get(row, c, "ect_year")
    if ect is not None:
        want["ect_year"] = int(ect) if ect else None
    if roles is not None and "ect" in _split(roles) and not want.get("ect_year"):
        want["ect_year"] = 1
    if want.get("ect_year") and "career_stage" not in want:
        want["career_stage"] = StaffMember.CareerStage.ECT
    fte = _get(row, c, "fte")
    if fte:
        want["fte"] = _fte(fte)

    staff = StaffMember.objects.filter(user=user, school=school).first()
    created = staff is None
    changes: dict[str, Any] = {}
    if staff is None:
        staff = StaffMember.objects.create(user=user, school=school, **want)
    else:
        changes = {
            k: [_plain(getattr(staff, k)), _plain(v)]
            for k, v in want.items()
            if getattr(staff, k) != v
        }
        if changes:
            for k, v in want.items():
                setattr(staff, k, v)
            staff.save(update_fields=list(changes))
    list_changes = _apply_lists(row, c, staff, history)
    if created:
        summary.created["staff"] += 1
        values = {k: _plain(v) for k, v in want.items()}
        history.add(
            "staff.created",
            "tenancy.staffmember",
            staff.pk,
            {**values, **list_changes},
            school_id=school.pk,
        )
    elif changes or list_changes:
        action = "staff.restored" if "archived_at" in changes else "staff.updated"
        history.add(
            action,
            "tenancy.staffmember",
            staff.pk,
            {**changes, **list_changes},
            school_id=school.pk,
        )
        summary.updated["staff"] += 1
    return staff


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _apply_lists(row: list[str], c: Columns, staff: StaffMember, history: History) -> dict:
    changes: dict[str, Any] = {}
    subjects = _get(row, c, "subjects")
    if subjects is not None:
        want = sorted(set(_split(subjects)))
        have = sorted(staff.subjects.values_list("name", flat=True))
        if want != have:
            found = {s.name: s for s in Subject.objects.filter(name__in=want)}
            for missing in set(want) - set(found):
                found[missing] = Subject.objects.create(name=missing)
            staff.subjects.set(found.values())
            changes["subjects"] = [have, want]
    teams, leads = _get(row, c, "teams"), _get(row, c, "leads_teams")
    if teams is None and leads is None:
        return changes
    current = {tm.team.name: tm for tm in staff.team_memberships.select_related("team").all()}
    want_leads = (
        set(_split(leads))
        if leads is not None
        else {n for n, tm in current.items() if tm.is_leader}
    )
    want_members = (set(_split(teams)) if teams is not None else set(current)) | want_leads
    have = {n: tm.is_leader for n, tm in current.items()}
    want = {n: n in want_leads for n in want_members}
    if have == want:
        return changes
    by_name = {
        t.name: t
        for t in Team.objects.filter(
            school_id=staff.school_id, name__in=want_members, archived_at__isnull=True
        )
    }
    for team_name in sorted(want_members - set(by_name)):
        team = Team.objects.create(school_id=staff.school_id, name=team_name)
        history.add(
            "team.created",
            "tenancy.team",
            team.pk,
            {"name": team_name},
            school_id=staff.school_id,
        )
        by_name[team_name] = team
    for team_name, tm in current.items():
        if team_name not in want:
            tm.delete()
        elif tm.is_leader != want[team_name]:
            tm.is_leader = want[team_name]
            tm.save(update_fields=["is_leader"])
    for team_name in want_members - set(current):
        TeamMembership.objects.create(
            team=by_name[team_name], staff=staff, is_leader=want[team_name]
        )
    changes["teams"] = [
        sorted(f"{n}{' (leader)' if v else ''}" for n, v in have.items()),
        sorted(f"{n}{' (leader)' if v else ''}" for n, v in want.items()),
    ]
    return changes
