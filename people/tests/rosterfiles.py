"""Writers for test inputs, built from the OneRoster specification (domain.md 8.1), not
from the importer: headers are copied from the specification's tables."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ORGS_HEADER = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
USERS_11_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)
USERS_12_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
    "userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,"
    "preferredFamilyName,primaryOrgSourcedId,pronouns"
)
ROLES_12_HEADER = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
    "orgSourcedId,userProfileSourcedId"
)
TEMPLATE_HEADER = (
    "email,full_name,school_urn,job_title,roles,ect_year,mentor_email,career_stage,phase,"
    "subjects,fte,teams,leads_teams"
)


def csv_text(header: str, rows: list[dict]) -> str:
    """A CSV with the header as given and each row's cells by column name (blank if absent)."""
    columns = header.split(",")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def org(sid: str, name: str, kind: str, identifier: str = "", parent: str = "", **more) -> dict:
    return {
        "sourcedId": sid,
        "name": name,
        "type": kind,
        "identifier": identifier,
        "parentSourcedId": parent,
        **more,
    }


def user11(sid: str, orgs: str, role: str, email: str, given="Alex", family="Smith", **more):
    return {
        "sourcedId": sid,
        "enabledUser": "true",
        "orgSourcedIds": orgs,
        "role": role,
        "username": email.split("@")[0] if email else sid,
        "givenName": given,
        "familyName": family,
        "email": email,
        **more,
    }


def user12(sid: str, email: str, given="Alex", family="Smith", **more) -> dict:
    return {
        "sourcedId": sid,
        "enabledUser": "true",
        "username": email.split("@")[0] if email else sid,
        "givenName": given,
        "familyName": family,
        "email": email,
        **more,
    }


def role12(sid: str, user: str, role: str, org_sid: str, role_type="primary", **more) -> dict:
    return {
        "sourcedId": sid,
        "userSourcedId": user,
        "roleType": role_type,
        "role": role,
        "orgSourcedId": org_sid,
        **more,
    }


def manifest(version: str, files: dict[str, str]) -> str:
    rows = [
        {"propertyName": "manifest.version", "value": "1.0"},
        {"propertyName": "oneroster.version", "value": version},
    ]
    rows += [{"propertyName": f"file.{k}", "value": v} for k, v in files.items()]
    rows.append({"propertyName": "source.systemName", "value": "Test MIS"})
    return csv_text("propertyName,value", rows)


def write_export(
    folder: Path,
    *,
    version: str = "1.1",
    orgs: list[dict],
    users: list[dict],
    roles: list[dict] | None = None,
    as_zip: bool = False,
    overrides: dict[str, bytes | str] | None = None,
) -> Path:
    """Write a bulk export to `folder` (or a zip inside it) and return its path."""
    files: dict[str, str | bytes] = {}
    listed = {"academicSessions": "absent", "orgs": "bulk", "users": "bulk"}
    if version == "1.2":
        listed["roles"] = "bulk"
    files["manifest.csv"] = manifest(version, listed)
    files["orgs.csv"] = csv_text(ORGS_HEADER, orgs)
    header = USERS_11_HEADER if version == "1.1" else USERS_12_HEADER
    files["users.csv"] = csv_text(header, users)
    if version == "1.2":
        files["roles.csv"] = csv_text(ROLES_12_HEADER, roles or [])
    files.update(overrides or {})
    folder.mkdir(parents=True, exist_ok=True)
    if as_zip:
        target = folder / "oneroster.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for name, body in files.items():
                zf.writestr(name, body if isinstance(body, bytes) else body.encode())
        return target
    export = folder / "export"
    export.mkdir(exist_ok=True)
    for name, body in files.items():
        data = body if isinstance(body, bytes) else body.encode()
        (export / name).write_bytes(data)
    return export


def trust_export(folder: Path, **kwargs) -> Path:
    """A small 1.1 trust: one district, two schools, staff of each role, and a pupil."""
    orgs = [
        org("d1", "Riverbend Trust", "district"),
        org("s1", "Riverbend Primary", "school", "123456", "d1"),
        org("s2", "Riverbend Academy", "school", "123457", "d1"),
    ]
    users = [
        user11("t1", "s1", "teacher", "Ann.Teacher@RIVERBEND.example", "Ann", "Teacher"),
        user11("a1", "s1,s2", "administrator", "boss@riverbend.example", "Bo", "Boss"),
        user11("p1", "s1", "student", "", "Pupil", "One"),
        user11("t2", "s2", "teacher", "", "Cy", "Login", username="cy.login@riverbend.example"),
    ]
    return write_export(
        folder, orgs=kwargs.pop("orgs", orgs), users=kwargs.pop("users", users), **kwargs
    )


def template_csv(folder: Path, rows: list[dict], name: str = "staff.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(csv_text(TEMPLATE_HEADER, rows))
    return path
