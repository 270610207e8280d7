"""OneRoster 1.1 and 1.2 CSV bulk exports: check every file first, then apply in batches.

Checking streams each file once, keeping only what references need (org ids and types,
user ids, staff emails and, for 1.2, the staff roles per user). Applying streams the files
again and writes in chunks: each chunk finds its existing rows (see existing.py: read once
up front for a small database, a few array-keyed queries per chunk for a big one),
compares, and creates or updates only what differs, so a re-import of the same file reads
but never writes.

People are most of a national file. Their new accounts, staff records and history rows
go in by COPY on PostgreSQL (fastsql.py), on a writer thread that overlaps the server's
work with the reading of the next chunk; a new person costs one history row, the staff
record's, which also names the account it created. Updates, archivals and every other
record keep a history row each.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from people.roster.errors import ErrorList
from people.roster.existing import Existing, Queried, existing_rows
from people.roster.fastsql import FastInsert, Writer
from people.roster.reading import (
    URN_RE,
    Source,
    is_iso_datetime,
    normal_email,
    parse_date,
    read_csv,
)
from people.roster.summary import History, Progress, Scope, Summary
from tenancy.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffMember,
    User,
)

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
USERS = "users.csv"
ROLES = "roles.csv"

ORG_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
]
ORG_REQUIRED = {"sourcedId", "name", "type"}
USER_COLUMNS_11 = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
]
USER_REQUIRED_11 = {
    "sourcedId",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "givenName",
    "familyName",
}
USER_COLUMNS_12 = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "resourceSourcedIds",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
]
USER_REQUIRED_12 = {"sourcedId", "enabledUser", "username", "givenName", "familyName"}
ROLE_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]
ROLE_REQUIRED = {"sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"}

ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
ROLES_11 = {
    "administrator",
    "aide",
    "guardian",
    "parent",
    "proctor",
    "relative",
    "student",
    "teacher",
}
ROLES_12 = ROLES_11 | {
    "counselor",
    "principal",
    "siteAdministrator",
    "districtAdministrator",
    "systemAdministrator",
}
STATUSES = {"", "active", "tobedeleted"}
# What each staff role becomes: T a teacher, A a school administrator, D a network lead.
STAFF_ROLE = {
    "teacher": "T",
    "administrator": "A",
    "principal": "A",
    "siteAdministrator": "A",
    "districtAdministrator": "D",
}
CHUNK = 2000
# People per chunk: each chunk costs a few lookups and three bulk writes whatever its size,
# so bigger is faster, while the chunk's rows and answers stay a few megabytes.
PEOPLE_CHUNK = 10_000


@dataclass
class Plan:
    """What checking learnt: enough to resolve references while applying."""

    version: str = ""
    org_type: dict[str, str] = field(default_factory=dict)
    # 1.2 only: user sourcedId -> [(org sourcedId, T|A|D, archived)] for staff roles.
    roles: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    rows: int = 0


# --- Checking ------------------------------------------------------------------------------


def _common(
    file: str, line: int, row: list[str], cols, required: set[str], errors: ErrorList
) -> bool:
    ok = True
    for name in required:
        if not row[cols[name]].strip():
            errors.add(file, line, name, f"{name} is required.")
            ok = False
    i = cols["status"]
    if i >= 0 and row[i] not in STATUSES:
        errors.add(file, line, "status", f"status must be active or tobedeleted, not {row[i]!r}.")
    i = cols["dateLastModified"]
    if i >= 0 and row[i] and not is_iso_datetime(row[i]):
        errors.add(
            file,
            line,
            "dateLastModified",
            f"{row[i]!r} is not an ISO 8601 date-time (e.g. 2024-09-01T08:00:00Z).",
        )
    return ok


def _manifest(source: Source, errors: ErrorList) -> str:
    if not source.has(MANIFEST):
        errors.add(MANIFEST, None, "", "manifest.csv is missing from the export.")
        return ""
    props: dict[str, tuple[int, str]] = {}
    for line, row, cols in read_csv(
        source, MANIFEST, ["propertyName", "value"], {"propertyName", "value"}, errors
    ):
        props[row[cols["propertyName"]].strip()] = (line, row[cols["value"]].strip())
    if errors:
        return ""
    line, version = props.get("oneroster.version", (None, ""))
    if version not in ("1.1", "1.2"):
        errors.add(
            MANIFEST, line, "value", f"oneroster.version must be 1.1 or 1.2, not {version!r}."
        )
        return ""
    needed = [ORGS, USERS] + ([ROLES] if version == "1.2" else [])
    for file in needed:
        key = "file." + file.removesuffix(".csv")
        line, mode = props.get(key, (None, "absent"))
        if mode == "delta":
            errors.add(MANIFEST, line, "value", f"{key} is delta; only bulk exports are imported.")
        elif mode != "bulk":
            errors.add(MANIFEST, line, "value", f"{key} must be bulk: a roster needs {file}.")
        elif not source.has(file):
            errors.add(file, None, "", f"The manifest lists {file} but the export lacks it.")
    return version


def check(source: Source, errors: ErrorList, progress: Progress | None = None) -> Plan:
    """Check the whole export, collecting every error; return what applying needs."""
    plan = Plan(version=_manifest(source, errors))
    if errors:
        return plan
    tick = _ticker(progress, None)
    _check_orgs(source, plan, errors, tick)
    if plan.version == "1.2":
        role_users = _check_roles(source, plan, errors, tick)
        user_ids = _check_users(source, plan, errors, tick)
        for user, line in role_users.items():
            if user not in user_ids:
                errors.add(ROLES, line, "userSourcedId", f"No user has sourcedId {user!r}.")
    else:
        _check_users(source, plan, errors, tick)
    return plan


def _ticker(progress: Progress | None, total: int | None):
    count = [0]

    def tick(n: int = 1) -> int:
        count[0] += n
        if progress is not None and count[0] % 5000 < n:
            progress(count[0], total)
        return count[0]

    return tick


def _check_orgs(source: Source, plan: Plan, errors: ErrorList, tick) -> None:
    seen: dict[str, int] = {}
    urns: dict[str, int] = {}
    parents: list[tuple[int, str, str]] = []
    for line, row, c in read_csv(source, ORGS, ORG_COLUMNS, ORG_REQUIRED, errors):
        tick()
        plan.rows += 1
        _common(ORGS, line, row, c, ORG_REQUIRED, errors)
        sid, kind = row[c["sourcedId"]], row[c["type"]]
        if sid in seen:
            errors.add(ORGS, line, "sourcedId", f"sourcedId {sid!r} is also on line {seen[sid]}.")
        elif sid:
            seen[sid] = line
            plan.org_type[sid] = kind
        if kind not in ORG_TYPES:
            errors.add(
                ORGS, line, "type", f"{kind!r} is not an org type ({', '.join(sorted(ORG_TYPES))})."
            )
        if kind == "school":
            urn = row[c["identifier"]].strip() if c["identifier"] >= 0 else ""
            if not URN_RE.match(urn):
                errors.add(
                    ORGS,
                    line,
                    "identifier",
                    f"A school's identifier must be its six-digit URN, not {urn!r}.",
                )
            elif urn in urns:
                errors.add(ORGS, line, "identifier", f"URN {urn} is also on line {urns[urn]}.")
            else:
                urns[urn] = line
        parent = row[c["parentSourcedId"]].strip() if c["parentSourcedId"] >= 0 else ""
        if parent:
            parents.append((line, sid, parent))
    for line, sid, parent in parents:
        if parent not in plan.org_type:
            errors.add(ORGS, line, "parentSourcedId", f"No org has sourcedId {parent!r}.")
        elif parent == sid:
            errors.add(ORGS, line, "parentSourcedId", "An org cannot be its own parent.")


def _check_roles(source: Source, plan: Plan, errors: ErrorList, tick) -> dict[str, int]:
    seen: set[str] = set()
    role_users: dict[str, int] = {}
    today = timezone.localdate()
    for line, row, c in read_csv(source, ROLES, ROLE_COLUMNS, ROLE_REQUIRED, errors):
        tick()
        plan.rows += 1
        _common(ROLES, line, row, c, ROLE_REQUIRED, errors)
        sid = row[c["sourcedId"]]
        if sid in seen:
            errors.add(ROLES, line, "sourcedId", f"sourcedId {sid!r} appears more than once.")
        seen.add(sid)
        if row[c["roleType"]] not in ("primary", "secondary"):
            errors.add(
                ROLES,
                line,
                "roleType",
                f"roleType must be primary or secondary, not {row[c['roleType']]!r}.",
            )
        role = row[c["role"]]
        if role not in ROLES_12:
            errors.add(ROLES, line, "role", f"{role!r} is not a OneRoster 1.2 role.")
        org = row[c["orgSourcedId"]]
        if org and org not in plan.org_type:
            errors.add(ROLES, line, "orgSourcedId", f"No org has sourcedId {org!r}.")
        ended = False
        for name in ("beginDate", "endDate"):
            i = c[name]
            if i >= 0 and row[i]:
                day = parse_date(row[i])
                if day is None:
                    errors.add(ROLES, line, name, f"{row[i]!r} is not a date (YYYY-MM-DD).")
                elif name == "endDate" and day < today:
                    ended = True
        user = row[c["userSourcedId"]]
        role_users.setdefault(user, line)
        flag = STAFF_ROLE.get(role)
        if flag is not None:
            archived = ended or (c["status"] >= 0 and row[c["status"]] == "tobedeleted")
            plan.roles.setdefault(user, []).append((org, flag, archived))
    return role_users


def _check_users(source: Source, plan: Plan, errors: ErrorList, tick) -> set[str]:
    v11 = plan.version == "1.1"
    spec, required = (
        (USER_COLUMNS_11, USER_REQUIRED_11) if v11 else (USER_COLUMNS_12, USER_REQUIRED_12)
    )
    seen: set[str] = set()
    emails: dict[str, int] = {}
    org_type = plan.org_type
    for line, row, c in read_csv(source, USERS, spec, required, errors):
        tick()
        plan.rows += 1
        _common(USERS, line, row, c, required, errors)
        sid = row[c["sourcedId"]]
        if sid in seen:
            errors.add(USERS, line, "sourcedId", f"sourcedId {sid!r} appears more than once.")
        seen.add(sid)
        if row[c["enabledUser"]].lower() not in ("true", "false"):
            errors.add(
                USERS,
                line,
                "enabledUser",
                f"enabledUser must be true or false, not {row[c['enabledUser']]!r}.",
            )
        if v11:
            role = row[c["role"]]
            if role not in ROLES_11:
                errors.add(USERS, line, "role", f"{role!r} is not a OneRoster 1.1 role.")
            for org in row[c["orgSourcedIds"]].split(","):
                org = org.strip()
                if org and org not in org_type:
                    errors.add(USERS, line, "orgSourcedIds", f"No org has sourcedId {org!r}.")
            staff = role in STAFF_ROLE
        else:
            staff = sid in plan.roles
            i = c["primaryOrgSourcedId"]
            if i >= 0 and row[i] and row[i] not in org_type:
                errors.add(USERS, line, "primaryOrgSourcedId", f"No org has sourcedId {row[i]!r}.")
        if staff:
            email = _email(row, c)
            if email is None:
                errors.add(
                    USERS,
                    line,
                    "email",
                    "A teacher or administrator needs an email address "
                    "(in email, or a username that is one).",
                )
            elif email in emails:
                errors.add(USERS, line, "email", f"{email} is also used on line {emails[email]}.")
            else:
                emails[email] = line
    return seen


def _email(row: list[str], c) -> str | None:
    i = c["email"]
    return normal_email(row[i] if i >= 0 else "") or normal_email(row[c["username"]])


# --- Applying -----------------------------------------------------------------------------


class Applier:
    """Writes a checked export. Run inside one transaction; errors found against the
    database (a URN owned by another school, an email owned by another account, a school
    outside the import's scope) go into `errors` and the caller rolls back."""

    def __init__(
        self,
        source: Source,
        plan: Plan,
        scope: Scope,
        actor: User | None,
        summary: Summary,
        errors: ErrorList,
        progress: Progress | None = None,
    ):
        self.source, self.plan, self.scope, self.actor = source, plan, scope, actor
        self.summary, self.errors = summary, errors
        self.history = History(actor)
        self.user_insert = FastInsert(User, ["email", "full_name", "password", "date_joined"])
        self.staff_insert = FastInsert(
            StaffMember,
            ["user", "school", "source_id", "is_teacher", "is_school_admin", "archived_at"],
        )
        self.now = timezone.now()
        self.tick = _ticker(progress, plan.rows)
        self.school_pk: dict[str, int] = {}
        self.network_pk: dict[str, int] = {}
        self.joins: list[tuple[int, int | str]] = []  # (school pk, network pk or district id)
        self.member_ids: set[int] = set()
        self.scope_school_seen = False
        self.analysed_at = 5000  # rows created when statistics were last refreshed
        self.existing: Existing | None = None  # what the database holds: set by _apply_people
        self.writer = Writer(background=False)  # replaced by _apply_people
        if scope.network is not None:
            self.member_ids = set(
                NetworkMembership.objects.filter(network=scope.network, left_on__isnull=True)
                .order_by()
                .values_list("school_id", flat=True)
            )

    def run(self) -> None:
        self._apply_orgs()
        if self.scope.school is not None and not self.scope_school_seen:
            s = self.scope.school
            self.errors.add(
                ORGS, None, "", f"The export has no school org for {s.name} (URN {s.urn})."
            )
        if self.errors:
            return
        self._apply_joins()
        self._apply_people()
        self.history.flush()

    # Orgs ---------------------------------------------------------------------------------

    def _apply_orgs(self) -> None:
        chunk: list[tuple] = []
        for line, row, c in read_csv(self.source, ORGS, ORG_COLUMNS, ORG_REQUIRED, self.errors):
            self.tick()
            ident = row[c["identifier"]].strip() if c["identifier"] >= 0 else ""
            parent = row[c["parentSourcedId"]].strip() if c["parentSourcedId"] >= 0 else ""
            chunk.append(
                (
                    line,
                    row[c["sourcedId"]],
                    row[c["name"]].strip()[:200],
                    row[c["type"]],
                    ident,
                    parent,
                )
            )
            if len(chunk) >= CHUNK:
                self._org_chunk(chunk)
                chunk = []
        if chunk:
            self._org_chunk(chunk)

    def _org_chunk(self, chunk: list[tuple]) -> None:
        districts = [o for o in chunk if o[3] == "district"]
        schools = [o for o in chunk if o[3] == "school"]
        if districts and self.scope.school is None:
            self._networks(districts)
        if schools:
            self._schools(schools)

    def _networks(self, districts: list[tuple]) -> None:
        existing = {
            sid: (pk, name)
            for pk, sid, name in Network.objects.filter(source_id__in=[d[1] for d in districts])
            .order_by()
            .values_list("pk", "source_id", "name")
        }
        scoped = self.scope.network
        new: list[Network] = []
        changed: dict[int, tuple[Network, dict]] = {}
        for line, sid, name, _, _, _ in districts:
            if scoped is not None:
                if scoped.source_id is None and not self.network_pk:
                    # A network made by hand takes the first district's id as its own.
                    changed[scoped.pk] = (
                        Network(pk=scoped.pk, name=scoped.name, source_id=sid),
                        {"source_id": [None, sid]},
                    )
                    scoped.source_id = sid
                    existing[sid] = (scoped.pk, scoped.name)
                elif scoped.source_id != sid:
                    self.errors.add(
                        ORGS,
                        line,
                        "sourcedId",
                        f"This import may only change the network {scoped.name}; "
                        f"district {sid!r} is another.",
                    )
                    continue
            if sid not in existing:
                new.append(Network(name=name, kind=Network.Kind.TRUST, source_id=sid))
                continue
            pk, old = existing[sid]
            self.network_pk[sid] = pk
            if old != name:
                obj, changes = changed.setdefault(
                    pk, (Network(pk=pk, name=name, source_id=sid), {})
                )
                obj.name = name
                changes["name"] = [old, name]
        if new:
            Network.objects.bulk_create(new, batch_size=500)
            for n in new:
                self.network_pk[n.source_id] = n.pk
                self.summary.created["network"] += 1
                self.history.add(
                    "network.created",
                    "tenancy.network",
                    n.pk,
                    {"name": n.name, "source_id": n.source_id},
                    network_id=n.pk,
                )
        if changed:
            Network.objects.bulk_update(
                [o for o, _ in changed.values()], ["name", "source_id"], batch_size=500
            )
            for obj, ch in changed.values():
                self.summary.updated["network"] += 1
                self.history.add(
                    "network.updated", "tenancy.network", obj.pk, ch, network_id=obj.pk
                )

    def _schools(self, schools: list[tuple]) -> None:
        sids = [s[1] for s in schools]
        urns = [s[4] for s in schools]
        rows = (
            School.objects.filter(Q(source_id__in=sids) | Q(urn__in=urns))
            .order_by()
            .values_list("pk", "source_id", "urn", "name")
        )
        by_sid = {r[1]: r for r in rows if r[1] is not None}
        by_urn = {r[2]: r for r in rows}
        scope = self.scope
        new: list[tuple[School, str]] = []
        changed: list[tuple[School, dict]] = []
        for line, sid, name, _, urn, parent in schools:
            found = by_sid.get(sid) or by_urn.get(urn)
            if (
                found is not None
                and found[2] != urn
                and urn in by_urn
                and by_urn[urn][0] != found[0]
            ):
                self.errors.add(
                    ORGS,
                    line,
                    "identifier",
                    f"URN {urn} belongs to another school, {by_urn[urn][3]}.",
                )
                continue
            if scope.school is not None:
                if found is None or found[0] != scope.school.pk:
                    self.summary.skipped += 1
                    continue
                self.scope_school_seen = True
            elif (
                scope.network is not None and found is not None and found[0] not in self.member_ids
            ):
                self.errors.add(
                    ORGS,
                    line,
                    "identifier",
                    f"{found[3]} (URN {found[2]}) is not a member of {scope.network.name}.",
                )
                continue
            if found is None:
                new.append((School(urn=urn, name=name, source_id=sid), parent))
                continue
            pk = found[0]
            self.school_pk[sid] = pk
            self._want_join(pk, parent)
            changes = {}
            for key, old, want in (
                ("source_id", found[1], sid),
                ("urn", found[2], urn),
                ("name", found[3], name),
            ):
                if old != want:
                    changes[key] = [old, want]
            if changes:
                changed.append((School(pk=pk, source_id=sid, urn=urn, name=name), changes))
        if new:
            School.objects.bulk_create([s for s, _ in new], batch_size=500)
            for s, parent in new:
                self.school_pk[s.source_id] = s.pk
                self._want_join(s.pk, parent)
                self.summary.created["school"] += 1
                self.history.add(
                    "school.created",
                    "tenancy.school",
                    s.pk,
                    {"urn": s.urn, "name": s.name, "source_id": s.source_id},
                    school_id=s.pk,
                )
        if changed:
            School.objects.bulk_update(
                [s for s, _ in changed], ["source_id", "urn", "name"], batch_size=500
            )
            for s, ch in changed:
                self.summary.updated["school"] += 1
                self.history.add("school.updated", "tenancy.school", s.pk, ch, school_id=s.pk)

    def _want_join(self, school_pk: int, parent: str) -> None:
        # A district may come later in the file than its schools, so joins name the
        # district and resolve once every org is in.
        if self.scope.school is not None:
            return
        if self.scope.network is not None:
            self.joins.append((school_pk, self.scope.network.pk))
        elif parent and self.plan.org_type.get(parent) == "district":
            self.joins.append((school_pk, parent))

    def _apply_joins(self) -> None:
        today = timezone.localdate()
        wanted: dict[int, int] = {}
        for school_pk, net in self.joins:
            net_pk = net if isinstance(net, int) else self.network_pk.get(net)
            if net_pk is not None:
                wanted[school_pk] = net_pk
        items = list(wanted.items())
        for start in range(0, len(items), CHUNK):
            part = dict(items[start : start + CHUNK])
            current = (
                NetworkMembership.objects.filter(school_id__in=part.keys(), left_on__isnull=True)
                .order_by()
                .values_list("pk", "school_id", "network_id", "network__source_id", "joined_on")
            )
            have: set[tuple[int, int]] = set()
            leave: list[NetworkMembership] = []
            for pk, school_id, network_id, net_source, joined in current:
                have.add((school_id, network_id))
                # The roster decides membership of roster networks only; a hub or an
                # enquiry network a school joined by hand is left alone.
                if (
                    self.scope.anywhere
                    and net_source is not None
                    and network_id != part[school_id]
                    and joined <= today
                ):
                    leave.append(
                        NetworkMembership(
                            pk=pk, school_id=school_id, network_id=network_id, left_on=today
                        )
                    )
            new = [
                NetworkMembership(network_id=net_pk, school_id=school_pk)
                for school_pk, net_pk in part.items()
                if (school_pk, net_pk) not in have
            ]
            if leave:
                NetworkMembership.objects.bulk_update(leave, ["left_on"], batch_size=500)
                for m in leave:
                    self.summary.archived["membership"] += 1
                    self.history.add(
                        "network.school_left",
                        "tenancy.networkmembership",
                        m.pk,
                        {"left_on": today.isoformat()},
                        school_id=m.school_id,
                        network_id=m.network_id,
                    )
            if new:
                NetworkMembership.objects.bulk_create(new, batch_size=500)
                for m in new:
                    self.summary.created["membership"] += 1
                    self.history.add(
                        "network.school_joined",
                        "tenancy.networkmembership",
                        m.pk,
                        {"school": m.school_id, "network": m.network_id},
                        school_id=m.school_id,
                        network_id=m.network_id,
                    )

    # People -------------------------------------------------------------------------------

    def _people(self) -> Iterator[tuple]:
        """(line, sourcedId, email, full name, [(org, T|A|D, archived)]) per staff user."""
        v11 = self.plan.version == "1.1"
        spec, required = (
            (USER_COLUMNS_11, USER_REQUIRED_11) if v11 else (USER_COLUMNS_12, USER_REQUIRED_12)
        )
        roles = self.plan.roles
        for line, row, c in read_csv(self.source, USERS, spec, required, self.errors):
            self.tick()
            sid = row[c["sourcedId"]]
            disabled = row[c["enabledUser"]].lower() == "false" or (
                c["status"] >= 0 and row[c["status"]] == "tobedeleted"
            )
            if v11:
                flag = STAFF_ROLE.get(row[c["role"]])
                if flag is None:
                    continue
                orgs = [o.strip() for o in row[c["orgSourcedIds"]].split(",") if o.strip()]
                if flag == "A":
                    # A 1.1 administrator of a district is that district's administrator.
                    assigned = [
                        (o, "D" if self.plan.org_type.get(o) == "district" else "A", disabled)
                        for o in orgs
                    ]
                else:
                    assigned = [(o, flag, disabled) for o in orgs]
            else:
                staff_roles = roles.get(sid)
                if not staff_roles:
                    continue
                assigned = [(o, f, disabled or archived) for o, f, archived in staff_roles]
            given = row[c["givenName"]].strip()
            if not v11 and c["preferredGivenName"] >= 0 and row[c["preferredGivenName"]].strip():
                given = row[c["preferredGivenName"]].strip()
            full_name = f"{given} {row[c['familyName']].strip()}".strip()[:150]
            yield line, sid, _email(row, c), full_name, assigned

    def _apply_people(self) -> None:
        self.existing = existing_rows()
        if isinstance(self.existing, Queried):
            # Lookups by key from here on: statistics from before a big load would plan
            # them as sequential scans.
            self._refresh_statistics(force=True)
        # New people's rows (most of an import's writes) and the history go through the
        # writer; everything else this phase does with the database waits for it first.
        self.writer = Writer(background=connection.vendor == "postgresql")
        self.history.flush()
        self.history.writer = self.writer
        try:
            chunk: list[tuple] = []
            for person in self._people():
                chunk.append(person)
                if len(chunk) >= PEOPLE_CHUNK:
                    self._people_chunk(chunk)
                    self._refresh_statistics()
                    chunk = []
            if chunk:
                self._people_chunk(chunk)
            self.history.flush()
        finally:
            self.history.writer = None
            self.writer.close()

    def _people_chunk(self, chunk: list[tuple]) -> None:
        # Resolve each person to their schools and networks first; out-of-scope rows drop.
        wanted: list[tuple] = []
        school_pk, network_pk = self.school_pk, self.network_pk
        for line, sid, email, name, assigned in chunk:
            schools: dict[int, list] = {}
            leads: set[int] = set()
            for org, flag, archived in assigned:
                if flag == "D":
                    net = network_pk.get(org)
                    if net is not None:
                        leads.add(net)
                    continue
                school = school_pk.get(org)
                if school is None:
                    continue
                want = schools.get(school)
                if want is None:
                    schools[school] = [flag == "T", flag == "A", archived]
                else:
                    want[0] |= flag == "T"
                    want[1] |= flag == "A"
                    want[2] &= archived
            if schools or leads:
                wanted.append((line, sid, email, name, schools, leads))
            else:
                self.summary.skipped += 1
        if not wanted:
            return
        existing = self.existing
        if isinstance(existing, Queried):
            self.writer.wait()
        sids = {w[1] for w in wanted}
        users: dict[int, tuple] = {}
        by_email: dict[str, int] = {}
        for u in existing.users_by_email([w[2] for w in wanted]):
            users[u[0]] = u
            by_email[u[1]] = u[0]
        staff = existing.staff_by_source([(school, w[1]) for w in wanted for school in w[4]])
        if users:
            seen_pks = {s[0] for s in staff}
            staff += [s for s in existing.staff_by_users(users) if s[0] not in seen_pks]
        uid_for_sid = {s[3]: s[2] for s in staff if s[3] in sids}
        missing = set(uid_for_sid.values()) - set(users)
        if missing:
            for u in existing.users_by_pk(missing):
                users[u[0]] = u
            staff += [s for s in existing.staff_by_users(missing) if s[3] not in sids]
        by_key = {(s[1], s[3]): s for s in staff if s[3] is not None}
        by_user_school = {(s[2], s[1]): s for s in staff}

        # Accounts: match by the staff record's source id first, then by email.
        resolved: list[tuple[tuple, int | str]] = []
        new_users: list[tuple] = []
        user_updates: list[tuple[tuple, tuple, dict]] = []
        now = self.now
        passwords = iter(_unusable_passwords(len(wanted)))
        for w in wanted:
            line, sid, email, name, schools, _ = w
            uid = uid_for_sid.get(sid)
            other = by_email.get(email)
            if uid is not None and other is not None and other != uid:
                self.errors.add(USERS, line, "email", f"{email} belongs to another account.")
                continue
            uid = uid if uid is not None else other
            if uid is None:
                new_users.append((email, name, next(passwords), now))
                resolved.append((w, email))
                continue
            old = users[uid]
            changes = {}
            if old[1] != email:
                changes["email"] = [old[1], email]
            if name and old[2] != name:
                changes["full_name"] = [old[2], name]
            if changes:
                user_updates.append((old, (uid, email, name or old[2]), changes))
            resolved.append((w, uid))
        if self.errors:
            return
        if user_updates:
            self.writer.wait()
            User.objects.bulk_update(
                [User(pk=new[0], email=new[1], full_name=new[2]) for _, new, _ in user_updates],
                ["email", "full_name"],
                batch_size=1000,
            )
            for old, new, ch in user_updates:
                existing.user_changed(old, new)
                self.summary.updated["account"] += 1
                self.history.add("account.updated", "tenancy.user", new[0], ch)

        new_staff: list[tuple] = []
        staff_updates: list[tuple[tuple, tuple, str, dict]] = []
        lead_wants: list[tuple[int, int | str]] = []
        for w, uid in resolved:
            # uid: an account's id, or for a new account its email until the writer has
            # inserted it.
            _, sid, _, _, schools, leads = w
            if leads:
                lead_wants += [(net, uid) for net in leads]
            for school, (teacher, admin, archived) in schools.items():
                row = by_key.get((school, sid))
                if row is None and isinstance(uid, int):
                    row = by_user_school.get((uid, school))
                archived_at = now if archived else None
                if row is None:
                    new_staff.append((uid, school, sid, teacher, admin, archived_at))
                    continue
                pk, _, row_user, row_sid, row_teacher, row_admin, row_archived = row
                changes = {}
                if row_sid != sid:
                    changes["source_id"] = [row_sid, sid]
                if row_teacher != teacher:
                    changes["is_teacher"] = [row_teacher, teacher]
                if row_admin != admin:
                    changes["is_school_admin"] = [row_admin, admin]
                action = "staff.updated"
                if archived != (row_archived is not None):
                    changes["archived_at"] = [
                        str(row_archived) if row_archived else None,
                        archived_at.isoformat() if archived_at else None,
                    ]
                    action = "staff.archived" if archived else "staff.restored"
                else:
                    archived_at = row_archived
                if changes:
                    new = (pk, school, row_user, sid, teacher, admin, archived_at)
                    staff_updates.append((row, new, action, changes))
        written = None
        if new_users or new_staff:
            written = self.writer.submit(self._write_new_people, new_users, new_staff)
            self.summary.created["account"] += len(new_users)
            self.summary.created["staff"] += len(new_staff)
        if staff_updates:
            self.writer.wait()
            StaffMember.objects.bulk_update(
                [
                    StaffMember(
                        pk=new[0],
                        user_id=new[2],
                        school_id=new[1],
                        source_id=new[3],
                        is_teacher=new[4],
                        is_school_admin=new[5],
                        archived_at=new[6],
                    )
                    for _, new, _, _ in staff_updates
                ],
                ["source_id", "is_teacher", "is_school_admin", "archived_at"],
                batch_size=1000,
            )
            archived_pks = []
            for old, new, action, ch in staff_updates:
                existing.staff_changed(old, new)
                bucket = (
                    self.summary.archived if action == "staff.archived" else self.summary.updated
                )
                bucket["staff"] += 1
                if action == "staff.archived":
                    archived_pks.append(new[0])
                self.history.add(action, "tenancy.staffmember", new[0], ch, school_id=new[1])
            if archived_pks:
                # As when archiving by hand: a leaver mentors no one.
                StaffMember.objects.filter(mentor_id__in=archived_pks).update(mentor=None)
        if lead_wants:
            new_ids = written.result() if written is not None else {}
            self.writer.wait()
            self._leads([(net, new_ids.get(uid, uid)) for net, uid in lead_wants])

    def _write_new_people(
        self, raw: Any, new_users: list[tuple], new_staff: list[tuple]
    ) -> dict[str, int]:
        """Insert one chunk's new accounts and staff records and their history; return the
        new accounts' ids by email. A Writer job: it uses `raw`, never Django's connection.

        Each new staff record has one history row; a new account is told in the row of
        its first staff record (under "account"), so a new teacher costs one row, not
        two. An account with no staff record (a network lead only) has a row of its own.
        """
        ids = self.user_insert.insert(new_users, raw)
        new_ids: dict[str, int] = {}
        accounts: dict[int, dict[str, Any]] = {}
        for (email, name, _, _), pk in zip(new_users, ids, strict=True):
            new_ids[email] = pk
            accounts[pk] = {"id": pk, "email": email, "full_name": name}
        rows = [(uid if isinstance(uid, int) else new_ids[uid], *rest) for uid, *rest in new_staff]
        ids = self.staff_insert.insert(rows, raw)
        history: list[tuple] = []
        entry = self.history.row
        for (uid, school, sid, teacher, admin, archived_at), pk in zip(rows, ids, strict=True):
            changes: dict[str, Any] = {
                "source_id": sid,
                "is_teacher": teacher,
                "is_school_admin": admin,
                "archived": archived_at is not None,
            }
            account = accounts.pop(uid, None)
            if account is not None:
                changes["account"] = account
            history.append(
                entry("staff.created", "tenancy.staffmember", pk, changes, school_id=school)
            )
        for pk, account in accounts.items():
            changes = {"email": account["email"], "full_name": account["full_name"]}
            history.append(entry("account.created", "tenancy.user", pk, changes))
        self.history.write(raw, history)
        return new_ids

    def _refresh_statistics(self, *, force: bool = False) -> None:
        """On PostgreSQL, when chunks are looked up by query, re-analyse the tables this
        import grows each time they double. Planner statistics from before a bulk load
        make every chunk's lookup a sequential scan of a table that has since grown a
        hundredfold. (Loaded lookups ask nothing, so they need no statistics.)"""
        if connection.vendor != "postgresql" or not isinstance(self.existing, Queried):
            return
        grown = self.summary.created["staff"] + self.summary.created["account"]
        if not force and grown < self.analysed_at * 2:
            return
        self.analysed_at = max(grown, 5000)
        self.writer.wait()
        tables = [User._meta.db_table, StaffMember._meta.db_table, School._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))

    def _leads(self, wants: list[tuple[int, int]]) -> None:
        existing = {
            (n, u): (pk, role)
            for pk, n, u, role in NetworkRole.objects.filter(
                user_id__in={u for _, u in wants}, network_id__in={n for n, _ in wants}
            )
            .order_by()
            .values_list("pk", "network_id", "user_id", "role")
        }
        new, promote = [], []
        for key in dict.fromkeys(wants):
            if key not in existing:
                new.append(
                    NetworkRole(network_id=key[0], user_id=key[1], role=NetworkRole.Role.LEAD)
                )
            elif existing[key][1] != NetworkRole.Role.LEAD:
                promote.append(
                    NetworkRole(
                        pk=existing[key][0],
                        network_id=key[0],
                        user_id=key[1],
                        role=NetworkRole.Role.LEAD,
                    )
                )
        if new:
            NetworkRole.objects.bulk_create(new)
            for r in new:
                self.summary.created["network_role"] += 1
                self.history.add(
                    "network.role_granted",
                    "tenancy.networkrole",
                    r.pk,
                    {"user": r.user_id, "role": r.role},
                    network_id=r.network_id,
                )
        if promote:
            NetworkRole.objects.bulk_update(promote, ["role"])
            for r in promote:
                self.summary.updated["network_role"] += 1
                self.history.add(
                    "network.role_changed",
                    "tenancy.networkrole",
                    r.pk,
                    {"role": ["member", "lead"]},
                    network_id=r.network_id,
                )


def _unusable_passwords(n: int) -> list[str]:
    """`n` unusable passwords like Django's make_password(None): the prefix and 40 random
    URL-safe characters. One read of the system's randomness for all, not one each."""
    text = base64.urlsafe_b64encode(os.urandom(30 * n)).decode()
    return [UNUSABLE_PASSWORD_PREFIX + text[i : i + 40] for i in range(0, 40 * n, 40)]
