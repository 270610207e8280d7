"""The synthetic national dataset behind the benchmarks (DESIGN.md, "Benchmarks").

At scale 1.0: 24,000 schools in 400 networks (each school in one or two), 480,000 staff with
accounts and about eight teams per school, each team with a leader. The same seed always gives
the same rows (URNs, names, emails), whatever ran before, because every stage draws from its
own random stream, `Random(f"{seed}:{stage}")`.

Rows are written with explicit ids, by PostgreSQL `COPY` (psycopg 3) or by `bulk_create` in
large batches elsewhere, and the id sequences are moved past them afterwards. Generated rows
are marked (`source_id` starting `gen:`, emails at `*.gen.example`) so that `reset()` removes
them, and only them. Later work appends stages (offers, sessions, bookings, pupil outcomes)
that read what earlier stages left in the context.
"""

from __future__ import annotations

import datetime
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from tqdm import tqdm

from staffroom.demo_data import DEPARTMENT_SUBJECTS, FIRST_NAMES, LAST_NAMES
from tenancy.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffMember,
    Subject,
    Team,
    TeamMembership,
    User,
)

FULL = {"schools": 24_000, "networks": 400, "staff": 480_000}
SOURCE_PREFIX = "gen:"
EMAIL_SUFFIX = ".gen.example"
PASSWORD = "staffroom-bench"  # one shared hash: benchmarks may sign in as anyone generated
EPOCH = datetime.datetime(2024, 9, 1, tzinfo=datetime.UTC)
CHUNK_SCHOOLS = 500  # schools per write batch in the staff stage: bounds memory

PLACES = [
    "Ashcombe", "Barrowby", "Bramley", "Brookhurst", "Calderbank", "Castleford", "Charnwood",
    "Coldharbour", "Deepdale", "Eastwick", "Elmstead", "Fairhaven", "Fernhill", "Foxley",
    "Glenmoor", "Greystone", "Hartwell", "Hazelmere", "Highcliffe", "Hollybush", "Ivybridge",
    "Kingsmead", "Kirkdale", "Lakeside", "Langley", "Larchfield", "Marshfield", "Meadowbank",
    "Millbrook", "Moorside", "Netherby", "Northbridge", "Oakfield", "Orchard Vale", "Pennington",
    "Queensway", "Ravenswood", "Redcliffe", "Ridgeway", "Rosedale", "Saltmarsh", "Sandford",
    "Shirebrook", "Silverdale", "Southgate", "Stonebridge", "Summerfield", "Thornbury",
    "Upton", "Valley Park", "Westmoor", "Whitegate", "Willowbrook", "Windmill Hill", "Woodside",
    "Wrenfield", "Yarrow", "Yewtree",
]  # fmt: skip
REGIONS = [
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]  # fmt: skip
# phase, share of schools, pupils (low, high), name endings, types
PHASES: list[tuple[str, float, tuple[int, int], list[str], list[str]]] = [
    ("primary", 0.70, (60, 700),
     ["Primary School", "Primary Academy", "Church of England Primary School",
      "Infant and Junior School", "Community Primary School"],
     ["Academy converter", "Community school", "Voluntary aided school",
      "Voluntary controlled school", "Academy sponsor led", "Foundation school"]),
    ("secondary", 0.145, (450, 2000), ["High School", "Academy", "School", "Community College"],
     ["Academy converter", "Academy sponsor led", "Community school", "Free school"]),
    ("special", 0.045, (40, 260), ["School", "Special School"],
     ["Community special school", "Academy special converter"]),
    ("nursery", 0.018, (40, 150), ["Nursery School"], ["Local authority nursery school"]),
    ("alternative", 0.014, (15, 120), ["Academy", "Pupil Referral Unit"],
     ["Pupil referral unit", "Academy alternative provision converter"]),
    ("post_16", 0.03, (300, 2500), ["Sixth Form College"], ["Academy 16-19 converter"]),
    ("middle", 0.03, (300, 800), ["Middle School"], ["Foundation school", "Academy converter"]),
    ("all_through", 0.018, (900, 2600), ["All-Through School"], ["Academy converter"]),
]  # fmt: skip
PRIMARY_TEAMS = ["Early Years", *(f"Year {n}" for n in range(1, 7)), "Inclusion", "Curriculum"]
SECONDARY_TEAMS = [
    "English", "Mathematics", "Science", "Humanities", "Modern languages", "Creative arts",
    "Physical education", "Computing", "Design and technology", "Inclusion", "Sixth form",
    "Pastoral",
]  # fmt: skip
SPECIAL_TEAMS = [
    "Primary department", "Secondary department", "Post-16 pathway", "Therapies and outreach",
    "Key Stage 3", "Key Stage 4", "Pastoral",
]  # fmt: skip
NETWORK_KINDS = [
    (Network.Kind.TRUST, 0.6, "Learning Trust"),
    (Network.Kind.HUB, 0.15, "Teaching School Hub"),
    (Network.Kind.LA_CLUSTER, 0.15, "Schools Partnership"),
    (Network.Kind.SUBJECT_ASSOCIATION, 0.05, "Subject Network"),
    (Network.Kind.ENQUIRY, 0.05, "Research and Enquiry Network"),
]


@dataclass(slots=True)
class GenSchool:
    """What later stages need to know about one generated school, without a query."""

    id: int
    urn: str
    phase: str
    staff_count: int
    networks: list[int] = field(default_factory=list)
    first_staff_id: int = 0
    first_team_id: int = 0
    team_count: int = 0
    mentors: list[int] = field(default_factory=list)
    facilitators: list[int] = field(default_factory=list)
    ects: list[int] = field(default_factory=list)

    @property
    def cpd_lead_id(self) -> int:
        return self.first_staff_id + 1


@dataclass
class GenContext:
    seed: int
    scale: float
    progress: bool = True
    password_hash: str = ""
    networks: list[int] = field(default_factory=list)  # network ids
    schools: list[GenSchool] = field(default_factory=list)
    subjects: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def size(self, what: str) -> int:
        return max(1, round(FULL[what] * self.scale))

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"{self.seed}:{stage}")

    def bar(self, desc: str, total: int) -> tqdm:
        return tqdm(total=total, desc=desc, unit=" rows", disable=not self.progress, leave=True)


# --- Writing -------------------------------------------------------------------------------


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def next_id(model: type[models.Model]) -> int:
    """The first free id: generated rows take explicit ids so that stages can link them."""
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def write(
    ctx: GenContext,
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Insert rows giving values for `names` (attnames); other columns take their defaults,
    worked out once, so that fields added later need no change here."""
    # An id not given is left to the database.
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in names]
    template = [f.get_default() for f in fields]
    position = {f.attname: i for i, f in enumerate(fields)}
    slots = [position[name] for name in names]

    def full(row: Sequence[Any]) -> list[Any]:
        out = list(template)
        for slot, value in zip(slots, row, strict=True):
            out[slot] = value
        return out

    n = 0
    if is_postgres():
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(full(row))
                n += 1
    else:
        attnames = [f.attname for f in fields]
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(attnames, full(row), strict=True))))
            n += 1
            if len(batch) >= 5000:
                model.objects.bulk_create(batch, batch_size=5000)
                batch = []
        model.objects.bulk_create(batch, batch_size=5000)
    ctx.counts[model._meta.label] = ctx.counts.get(model._meta.label, 0) + n
    return n


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Move id sequences past explicitly numbered rows, and refresh planner statistics."""
    model_list = list(model_list)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)
        if is_postgres():
            for model in model_list:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _delete_where(model: type[models.Model], subquery: str, params: list[Any], depth=0) -> int:
    """Delete the rows of `model` whose id is in `subquery`, dependants first, in SQL: the
    ORM's collector would load every one of hundreds of thousands of rows."""
    if depth > 6:
        raise RuntimeError(f"Relations too deep to reset generated {model._meta.label} rows.")
    qn = connection.ops.quote_name
    model = model._meta.concrete_model
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for other in apps.get_models(include_auto_created=True):
            if other._meta.proxy or other._meta.db_table not in tables:
                continue  # e.g. a model whose migration has not been applied here
            for f in other._meta.concrete_fields:
                if not f.is_relation or f.remote_field.model._meta.concrete_model is not model:
                    continue
                table, column = qn(other._meta.db_table), qn(f.column)
                if f.remote_field.on_delete is models.DO_NOTHING:
                    continue
                if f.remote_field.on_delete is models.SET_NULL:
                    # Identifiers come from model metadata; values are bound parameters.
                    sql = f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({subquery})"  # noqa: S608
                    cursor.execute(sql, params)
                    continue
                # CASCADE, and PROTECT or RESTRICT too: everything here was generated.
                pk = qn(other._meta.pk.column)
                child = f"SELECT {pk} FROM {table} WHERE {column} IN ({subquery})"  # noqa: S608
                _delete_where(other, child, params, depth + 1)
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({subquery})", params)  # noqa: S608
        return cursor.rowcount


def reset() -> dict[str, int]:
    """Remove every generated row (and whatever depends on it); leave everything else."""
    qn = connection.ops.quote_name
    removed = {}
    roots = [
        (User, "email", "%" + EMAIL_SUFFIX),
        (School, "source_id", SOURCE_PREFIX + "%"),
        (Network, "source_id", SOURCE_PREFIX + "%"),
    ]
    with transaction.atomic():
        for model, column, pattern in roots:
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            subquery = f"SELECT {pk} FROM {table} WHERE {qn(column)} LIKE %s"  # noqa: S608
            removed[model._meta.label] = _delete_where(model, subquery, [pattern])
    return removed


def exists() -> bool:
    return School.objects.filter(source_id__startswith=SOURCE_PREFIX).exists()


# --- Stages --------------------------------------------------------------------------------


def _weighted(rng: random.Random, table: list[tuple]) -> tuple:
    return rng.choices(table, weights=[row[1] for row in table])[0]


def stage_networks(ctx: GenContext) -> None:
    rng = ctx.rng("networks")
    n = ctx.size("networks")
    first = next_id(Network)
    rows = []
    for i in range(n):
        kind, _, ending = _weighted(rng, NETWORK_KINDS)
        name = f"{rng.choice(PLACES)} {ending}"
        rows.append((first + i, f"{name} {i + 1}", kind, f"{SOURCE_PREFIX}network:{i + 1}", EPOCH))
    write(ctx, Network, ["id", "name", "kind", "source_id", "created_at"], rows)
    ctx.networks = [row[0] for row in rows]


def _staff_counts(rng: random.Random, pupils: list[int], phases: list[str], total: int):
    """Share `total` staff across schools by size (special schools staff more per pupil),
    at least six each, the sum exactly `total` when the total allows it."""
    weights = [p * (3 if ph == "special" else 1) + 60 for p, ph in zip(pupils, phases, strict=True)]
    scale = total / sum(weights)
    counts = [max(6, int(w * scale)) for w in weights]
    order = list(range(len(counts)))
    rng.shuffle(order)
    i, diff = 0, total - sum(counts)
    while diff != 0 and i < 50 * len(order):
        k = order[i % len(order)]
        if diff > 0:
            counts[k] += 1
            diff -= 1
        elif counts[k] > 6:
            counts[k] -= 1
            diff += 1
        i += 1
    return counts


def stage_schools(ctx: GenContext) -> None:
    rng = ctx.rng("schools")
    n = ctx.size("schools")
    taken = set(School.objects.values_list("urn", flat=True))
    urns = [u for u in rng.sample(range(200_000, 1_000_000), n + len(taken)) if str(u) not in taken]
    las = [
        (f"{rng.choice(['', 'North ', 'South ', 'East ', 'West '])}{place}", rng.choice(REGIONS))
        for place in rng.sample(PLACES, len(PLACES))
        for _ in range(3)
    ]
    first = next_id(School)
    rows, phases, pupils = [], [], []
    for i in range(n):
        phase, _, (low, high), endings, types = _weighted(rng, PHASES)
        la_index = rng.randrange(len(las))
        la, region = las[la_index]
        area = chr(65 + la_index % 26) + chr(65 + (la_index // 26) % 26)
        postcode = (
            f"{area}{rng.randint(1, 30)} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        size = int(rng.triangular(low, high, low + (high - low) / 3))
        name = f"{rng.choice(PLACES)} {rng.choice(endings)}"
        urn = f"{urns[i]:06d}"
        rows.append(
            (first + i, urn, name, phase, rng.choice(types), la, region, postcode, size,
             f"{SOURCE_PREFIX}school:{urn}", EPOCH)
        )  # fmt: skip
        phases.append(phase)
        pupils.append(size)
    names = ["id", "urn", "name", "phase", "school_type", "local_authority", "region"]
    names += ["postcode", "pupils", "source_id", "created_at"]
    write(ctx, School, names, rows)
    counts = _staff_counts(rng, pupils, phases, ctx.size("staff"))
    ctx.schools = [
        GenSchool(row[0], row[1], row[3], count) for row, count in zip(rows, counts, strict=True)
    ]


def stage_memberships(ctx: GenContext) -> None:
    """Each school in one network; about three in ten in a second one as well."""
    rng = ctx.rng("memberships")
    rows = []
    for school in ctx.schools:
        picks = [rng.choice(ctx.networks)]
        if len(ctx.networks) > 1 and rng.random() < 0.3:
            picks.append(rng.choice(ctx.networks))  # the same one twice means one membership
        joined = datetime.date(2016, 9, 1) + datetime.timedelta(days=rng.randrange(3000))
        for network in dict.fromkeys(picks):
            school.networks.append(network)
            rows.append((network, school.id, joined, True))
    write(ctx, NetworkMembership, ["network_id", "school_id", "joined_on", "shares_data"], rows)


def _team_names(phase: str) -> tuple[list[str], str]:
    if phase in ("primary", "nursery"):
        return PRIMARY_TEAMS, Team.Kind.YEAR_GROUP
    if phase in ("special", "alternative"):
        return SPECIAL_TEAMS, Team.Kind.PHASE
    return SECONDARY_TEAMS, Team.Kind.DEPARTMENT


def stage_subjects(ctx: GenContext) -> None:
    names = sorted({s for subjects in DEPARTMENT_SUBJECTS.values() for s in subjects})
    for name in names:
        ctx.subjects[name] = Subject.objects.get_or_create(name=name)[0].pk


def stage_teams(ctx: GenContext) -> None:
    """About eight teams a school: year groups, departments or phases by the school's phase."""
    next_team = next_id(Team)
    rows = []
    for school in ctx.schools:
        names, kind = _team_names(school.phase)
        # Leaders come from the staff beyond the senior posts (see _school_people).
        n = school.staff_count
        count = min(len(names), max(2, round(n / 2.2)), n - 4 - n // 40)
        school.first_team_id, school.team_count = next_team, count
        for name in names[:count]:
            team_kind = Team.Kind.OTHER if name in ("Inclusion", "Pastoral") else kind
            rows.append((next_team, school.id, name, team_kind))
            next_team += 1
    write(ctx, Team, ["id", "school_id", "name", "kind"], rows)


USER_FIELDS = ["id", "email", "full_name", "password", "date_joined"]
STAFF_FIELDS = [
    "id", "user_id", "school_id", "job_title", "is_teacher", "career_stage", "phase", "fte",
    "is_senior_leader", "is_cpd_lead", "is_school_admin", "is_mentor", "is_facilitator",
    "ect_year", "mentor_id",
]  # fmt: skip
PART_TIME = [Decimal("0.400"), Decimal("0.500"), Decimal("0.600"), Decimal("0.800")]


def _school_people(ctx: GenContext, school: GenSchool, first_user: int, out: dict[str, list]):
    """One school's staff, drawn from the school's own random stream so that a school's
    people do not depend on how many came before."""
    rng = ctx.rng(f"staff:{school.urn}")
    n, k = school.staff_count, school.team_count
    team_names, _ = _team_names(school.phase)
    departments = school.phase in ("secondary", "all_through", "middle", "post_16")
    n_senior = 1 + n // 40
    n_mentors, n_ect1, n_ect2 = max(1, n // 14), max(1, n // 16), n // 20
    n_facilitators, n_trainees, n_support = max(1, n // 18), n // 25, n // 6
    staff_phase = school.phase if school.phase in School.Phase.values else ""
    mentors: list[int] = []
    for j in range(n):
        user_id, staff_id = first_user + j, school.first_staff_id + j
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        email = f"{local}.{j + 1}@s{school.urn}{EMAIL_SUFFIX}"
        out["users"].append((user_id, email, f"{first} {last}", ctx.password_hash, EPOCH))
        role: dict[str, Any] = {"job_title": "Teacher", "career_stage": "experienced"}
        team, leads = None, False
        r = j - 3 - n_senior  # index past the leadership posts
        if j == 0:
            role = {"job_title": "Headteacher", "career_stage": "headteacher"}
            role["is_senior_leader"] = True
        elif j == 1:
            role = {"job_title": "Assistant headteacher (CPD)", "career_stage": "senior_leader"}
            role.update(is_senior_leader=True, is_cpd_lead=True, is_facilitator=True)
        elif j == 2:
            role = {"job_title": "School business manager", "career_stage": "support"}
            role.update(is_teacher=False, is_school_admin=True)
        elif j < 3 + n_senior:
            role = {"job_title": "Deputy headteacher", "career_stage": "senior_leader"}
            role["is_senior_leader"] = True
        elif r < k:
            team, leads = r, True
            role = {"job_title": f"Lead for {team_names[r]}", "career_stage": "middle_leader"}
        else:
            r -= k
            team = r % k
            if r < n_mentors:
                role.update(job_title="Teacher and ECT mentor", is_mentor=True)
                mentors.append(staff_id)
                school.mentors.append(staff_id)
            elif r < n_mentors + n_ect1 + n_ect2 and mentors:
                year = 1 if r < n_mentors + n_ect1 else 2
                role = {"job_title": "Early-career teacher", "career_stage": "ect"}
                role.update(ect_year=year, mentor_id=mentors[r % len(mentors)])
                school.ects.append(staff_id)
            elif r < n_mentors + n_ect1 + n_ect2 + n_facilitators:
                role.update(job_title="Lead practitioner", is_facilitator=True)
                school.facilitators.append(staff_id)
            elif r < n_mentors + n_ect1 + n_ect2 + n_facilitators + n_trainees:
                role = {"job_title": "Trainee teacher", "career_stage": "trainee"}
            elif r < n_mentors + n_ect1 + n_ect2 + n_facilitators + n_trainees + n_support:
                role = {"job_title": "Teaching assistant", "career_stage": "support"}
                role["is_teacher"] = False
            elif rng.random() < 0.25:
                role["career_stage"] = "early"
        fte = Decimal("1.000")
        if role["career_stage"] in ("experienced", "early", "support") and rng.random() < 0.17:
            fte = rng.choice(PART_TIME)
        out["staff"].append(
            (staff_id, user_id, school.id, role["job_title"], role.get("is_teacher", True),
             role["career_stage"], staff_phase, fte, role.get("is_senior_leader", False),
             role.get("is_cpd_lead", False), role.get("is_school_admin", False),
             role.get("is_mentor", False), role.get("is_facilitator", False),
             role.get("ect_year"), role.get("mentor_id"))
        )  # fmt: skip
        if team is not None:
            out["teams"].append((school.first_team_id + team, staff_id, leads))
            subjects = DEPARTMENT_SUBJECTS.get(team_names[team]) if departments else None
            if subjects and role.get("is_teacher", True):
                out["subjects"].append((staff_id, ctx.subjects[rng.choice(subjects)]))


def stage_staff(ctx: GenContext) -> None:
    """Accounts and staff records, team places (one leader a team) and subjects, written a
    few hundred schools at a time so that memory stays flat at national scale."""
    user_id, staff_id = next_id(User), next_id(StaffMember)
    through = StaffMember.subjects.through
    total = sum(s.staff_count for s in ctx.schools)
    with ctx.bar("staff", total) as bar:
        for start in range(0, len(ctx.schools), CHUNK_SCHOOLS):
            out: dict[str, list] = {"users": [], "staff": [], "teams": [], "subjects": []}
            for school in ctx.schools[start : start + CHUNK_SCHOOLS]:
                school.first_staff_id = staff_id
                _school_people(ctx, school, user_id, out)
                user_id += school.staff_count
                staff_id += school.staff_count
            write(ctx, User, USER_FIELDS, out["users"])
            write(ctx, StaffMember, STAFF_FIELDS, out["staff"])
            write(ctx, TeamMembership, ["team_id", "staff_id", "is_leader"], out["teams"])
            write(ctx, through, ["staffmember_id", "subject_id"], out["subjects"])
            bar.update(len(out["staff"]))


def stage_network_people(ctx: GenContext) -> None:
    """A lead and a member for each network, with accounts but no school."""
    rng = ctx.rng("network people")
    user_id = next_id(User)
    users, roles = [], []
    for i, network in enumerate(ctx.networks):
        for role in (NetworkRole.Role.LEAD, NetworkRole.Role.MEMBER):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{role}@n{i + 1:03d}{EMAIL_SUFFIX}"
            users.append((user_id, email, f"{first} {last}", ctx.password_hash, EPOCH))
            roles.append((network, user_id, role))
            user_id += 1
    write(ctx, User, USER_FIELDS, users)
    write(ctx, NetworkRole, ["network_id", "user_id", "role"], roles)


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[GenContext], None]


# Later work appends stages here: offers, sessions, bookings, enquiries, pupil outcomes.
STAGES: list[Stage] = [
    Stage("networks", stage_networks),
    Stage("schools", stage_schools),
    Stage("memberships", stage_memberships),
    Stage("subjects", stage_subjects),
    Stage("teams", stage_teams),
    Stage("staff", stage_staff),
    Stage("network people", stage_network_people),
]
MODELS = [Network, School, NetworkMembership, Team, User, StaffMember, TeamMembership]
MODELS += [StaffMember.subjects.through, NetworkRole]


def generate(
    seed: int, scale: float = 1.0, progress: bool = True, stages: list[Stage] | None = None
) -> GenContext:
    """Build the dataset in one transaction. Call `reset()` first if one is already there."""
    ctx = GenContext(seed=seed, scale=scale, progress=progress)
    ctx.password_hash = make_password(PASSWORD, salt="staffroomgenerated")
    with transaction.atomic():
        for stage in STAGES if stages is None else stages:
            if progress:
                tqdm.write(f"Generating {stage.name}…", file=sys.stderr)
            stage.run(ctx)
        reset_sequences(MODELS)
    return ctx
