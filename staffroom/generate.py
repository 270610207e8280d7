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

import bisect
import datetime
import random
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from tqdm import tqdm

from booking.models import Booking
from offers.models import FocusTag, Offer, Session, SessionDate
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

FULL = {
    "schools": 24_000,
    "networks": 400,
    "staff": 480_000,
    "providers": 200,
    "offers": 150_000,
    "sessions": 400_000,
    "bookings": 3_000_000,
}
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
    first_user_id: int = 0
    first_team_id: int = 0
    team_count: int = 0
    mentors: list[int] = field(default_factory=list)
    facilitators: list[int] = field(default_factory=list)
    ects: list[int] = field(default_factory=list)

    @property
    def cpd_lead_id(self) -> int:
        return self.first_staff_id + 1

    def user_of(self, staff_id: int) -> int:
        """Staff and their accounts are numbered side by side within a school."""
        return self.first_user_id + staff_id - self.first_staff_id


@dataclass(slots=True)
class GenOffer:
    """What the session and booking stages need to know about one generated offer."""

    id: int
    kind: str
    published: bool
    school: int | None  # index into GenContext.schools
    network: int | None  # network id
    strand: str
    counts_as_directed_time: bool
    approval: bool


@dataclass(slots=True)
class GenSession:
    """One generated session and the bookings planned for it; the session row is written
    with the counters these imply, so that the two always agree."""

    id: int
    offer: int  # index into GenContext.offers
    starts_at: datetime.datetime
    hours: Decimal
    confirmed: int = 0
    waiting: int = 0
    cancelled: int = 0
    pending: int = 0

    @property
    def bookings(self) -> int:
        return self.confirmed + self.waiting + self.cancelled + self.pending


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
    # The day the dataset is built around: session dates fall in its academic year.
    today: datetime.date = field(default_factory=datetime.date.today)
    providers: dict[int, str] = field(default_factory=dict)  # provider user id: name
    priorities: dict[int, list[int]] = field(default_factory=dict)  # school id: tag ids
    offers: list[GenOffer] = field(default_factory=list)
    sessions: list[GenSession] = field(default_factory=list)

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
                school.first_staff_id, school.first_user_id = staff_id, user_id
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


# --- The CPD offer: providers, priorities, offers, sessions and bookings -------------------

TOPICS = [
    "Retrieval practice", "Questioning", "Cognitive load theory", "Explicit vocabulary teaching",
    "Behaviour and routines", "Formative assessment", "Feedback", "Metacognition",
    "Self-regulated learning", "Early reading and phonics", "Reading fluency", "Oracy",
    "Modelling and worked examples", "Scaffolding", "Adaptive teaching", "Curriculum sequencing",
    "Disciplinary literacy", "Staff wellbeing", "Safeguarding", "Instructional coaching",
    "Mentoring early-career teachers", "Lesson study", "Spaced practice", "Dual coding",
    "Live marking", "Inclusive classrooms for SEND", "Teaching pupils with EAL",
    "Mastery in mathematics", "Practical science", "Extended writing", "Assessment design",
    "Data for middle leaders", "Leading a department", "Attendance and engagement",
    "Trauma-informed practice", "Outdoor learning", "Digital tools in the classroom",
    "Climate education", "Careers education", "Relationships education", "Cold calling",
    "Checking for understanding", "Homework that works", "Knowledge organisers",
    "Mathematical reasoning", "Number sense in the early years", "Handwriting", "Spelling",
    "Restorative practice", "Classroom talk",
]  # fmt: skip
ANGLES = [
    "in the primary classroom", "in Key Stage 3", "at GCSE", "across the curriculum",
    "for early-career teachers", "for middle leaders", "for support staff", "in the early years",
    "for new mentors", "with mixed-attainment classes", "in practical subjects",
    "in the sixth form", "in special schools", "step by step", "— what the evidence says",
    "— from theory to practice", "— a refresher", "— deliberate practice",
]  # fmt: skip
FORMATS = {
    Offer.Kind.ONE_OFF: ["twilight", "workshop", "INSET session", "briefing", "clinic"],
    Offer.Kind.PROGRAMME: ["programme", "course", "enquiry", "coaching cycle"],
    Offer.Kind.EXTERNAL: ["course", "masterclass", "conference", "certificate"],
    Offer.Kind.NETWORK_EVENT: ["network meeting", "conference", "hub day", "subject network"],
    Offer.Kind.TEACHER_PROPOSED: ["session", "sharing session", "teach-meet"],
}
SOURCES = [
    "the EEF guidance report on effective professional development",
    "Rosenshine's principles of instruction", "the Early Career Framework",
    "the EEF guidance on metacognition and self-regulated learning",
    "the EEF guidance on improving literacy", "research on spaced and interleaved practice",
    "the Teachers' Standards", "the EEF guidance on special educational needs",
]  # fmt: skip
PRIORITY_NAMES = [
    "Reading across the curriculum", "Attendance", "Adaptive teaching for SEND", "Oracy",
    "Behaviour and routines", "Feedback", "Mathematics mastery", "Disadvantaged pupils",
    "Extended writing", "Wellbeing and workload", "Curriculum coherence", "Questioning",
]  # fmt: skip
ROOMS = ["Main hall", "Library", "Staffroom", "Room 12", "Science lab 2", "Training room"]
VENUES = ["Teaching School Hub centre", "Trust training centre", "Conference centre"]
PROVIDER_KINDS = ["Education", "Learning", "Teaching", "Training", "CPD", "Institute"]
STAGE_CODES = [c for c in StaffMember.CareerStage.values if c != "headteacher"]
PHASE_CODES = list(School.Phase.values)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# offer kind: sessions per offer (drawn from), seats (low, high), dates per session (low, high)
SHAPES: dict[str, tuple[list[int], tuple[int, int], tuple[int, int]]] = {
    Offer.Kind.ONE_OFF: ([1, 1, 2, 3], (8, 30), (1, 1)),
    Offer.Kind.PROGRAMME: ([1, 1, 2, 3], (8, 20), (3, 6)),
    Offer.Kind.EXTERNAL: ([2, 3, 4, 5, 6], (12, 30), (1, 2)),
    Offer.Kind.NETWORK_EVENT: ([1, 2, 3], (20, 60), (1, 1)),
    Offer.Kind.TEACHER_PROPOSED: ([0], (10, 20), (1, 1)),
}


def _academic_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    month, day = getattr(settings, "ACADEMIC_YEAR_START", (9, 1))
    year = today.year if (today.month, today.day) >= (month, day) else today.year - 1
    start = datetime.date(year, month, day)
    return start, datetime.date(year + 1, month, day) - datetime.timedelta(days=1)


def _fit_total(rng: random.Random, counts: list[int], total: int, highs: list[int]) -> None:
    """Nudge `counts` (each within 0..highs[i], entries at 0 stay there) until they sum to
    `total`, first in proportion and then one at a time at random places."""
    current = sum(counts)
    if current == 0:
        return
    ratio = total / current
    for i, c in enumerate(counts):
        if c:
            counts[i] = min(highs[i], max(1, int(c * ratio)))
    live = [i for i, c in enumerate(counts) if c]
    diff = total - sum(counts)
    for _ in range(20):
        if diff == 0 or not live:
            break
        rng.shuffle(live)
        for i in live:
            if diff > 0 and counts[i] < highs[i]:
                counts[i] += 1
                diff -= 1
            elif diff < 0 and counts[i] > 1:
                counts[i] -= 1
                diff += 1
            if diff == 0:
                break


def stage_providers(ctx: GenContext) -> None:
    """Course providers: accounts with a provider name and no school, visible to everyone."""
    rng = ctx.rng("providers")
    user_id = next_id(User)
    rows = []
    for i in range(ctx.size("providers")):
        name = f"{rng.choice(PLACES)} {rng.choice(PROVIDER_KINDS)} {i + 1}"
        email = f"courses@p{i + 1:03d}{EMAIL_SUFFIX}"
        rows.append((user_id + i, email, name, ctx.password_hash, EPOCH, name))
    write(ctx, User, [*USER_FIELDS, "provider_name"], rows)
    ctx.providers = {row[0]: row[2] for row in rows}


def stage_priorities(ctx: GenContext) -> None:
    """Two school priorities for every school: the catalogue puts offers serving them first."""
    rng = ctx.rng("priorities")
    tag_id = next_id(FocusTag)
    rows = []
    for school in ctx.schools:
        tags = []
        for n, name in enumerate(rng.sample(PRIORITY_NAMES, 2), start=1):
            rows.append((tag_id, FocusTag.Kind.PRIORITY, f"P{n}", name, school.id))
            tags.append(tag_id)
            tag_id += 1
        ctx.priorities[school.id] = tags
    write(ctx, FocusTag, ["id", "kind", "code", "name", "school_id"], rows)


def _offer_text(rng: random.Random, kind: str) -> tuple[str, str, str]:
    topic, angle, fmt = rng.choice(TOPICS), rng.choice(ANGLES), rng.choice(FORMATS[kind])
    other = rng.choice(TOPICS)
    title = f"{topic} {angle}" if rng.random() < 0.7 else f"{topic}: {fmt}"
    article = "An" if fmt[0] in "AEIOU" else "A"
    about = f"{topic.lower()}: {angle[2:]}" if angle.startswith("—") else f"{topic.lower()} {angle}"
    summary = f"{article} {fmt} on {about}."
    description = (
        f"We look at {topic.lower()} and how it connects with {other.lower()}, watch it "
        f"modelled, rehearse it with colleagues and plan one change to try in the next "
        f"fortnight. Draws on {rng.choice(SOURCES)}."
    )
    return title[:200], summary[:300], description


def stage_offers(ctx: GenContext) -> None:
    """Offers: about 85 % a school's own, 10 % network events and programmes, 5 % provider
    courses; titles from word lists, strands, focus tags, audience and subjects."""
    rng = ctx.rng("offers")
    n = ctx.size("offers")
    shared_tags = list(
        FocusTag.objects.filter(school__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    subject_ids = sorted(ctx.subjects.values())
    offer_id = next_id(Offer)
    now = datetime.datetime.combine(ctx.today, datetime.time(8), tzinfo=datetime.UTC)
    year_start, _ = _academic_year(ctx.today)
    created_base = datetime.datetime.combine(year_start, datetime.time(8), tzinfo=datetime.UTC)
    rows, focus, subjects, facilitators = [], [], [], []
    provider_ids = list(ctx.providers)
    for _ in range(n):
        owner = rng.random()
        school: GenSchool | None = None
        school_index = network = provider = None
        if owner < 0.85 or not (ctx.networks or ctx.providers):
            school_index = rng.randrange(len(ctx.schools))
            school = ctx.schools[school_index]
            kind = _weighted(
                rng,
                [(Offer.Kind.ONE_OFF, 0.64), (Offer.Kind.PROGRAMME, 0.3),
                 (Offer.Kind.TEACHER_PROPOSED, 0.06)],
            )[0]  # fmt: skip
        elif owner < 0.95 and ctx.networks:
            network = rng.choice(ctx.networks)
            kind = rng.choice([Offer.Kind.NETWORK_EVENT] * 3 + [Offer.Kind.PROGRAMME])
        else:
            provider = rng.choice(provider_ids)
            kind = rng.choice([Offer.Kind.EXTERNAL] * 4 + [Offer.Kind.PROGRAMME])
        title, summary, description = _offer_text(rng, kind)
        if kind == Offer.Kind.TEACHER_PROPOSED:
            status = Offer.Status.PROPOSED
        else:
            status = _weighted(
                rng,
                [(Offer.Status.PUBLISHED, 0.92), (Offer.Status.DRAFT, 0.05),
                 (Offer.Status.ARCHIVED, 0.03)],
            )[0]  # fmt: skip
        strands = rng.random()
        whole, teams, individuals = strands < 0.5, 0.4 <= strands < 0.8, strands >= 0.7
        stages = rng.sample(STAGE_CODES, rng.choice([1, 1, 2])) if rng.random() < 0.45 else []
        if school is not None:
            phases = [school.phase] if rng.random() < 0.8 else []
        else:
            phases = rng.sample(PHASE_CODES, rng.choice([1, 2])) if rng.random() < 0.5 else []
        mode = _weighted(
            rng,
            [(Offer.Mode.IN_PERSON, 0.65), (Offer.Mode.ONLINE, 0.25), (Offer.Mode.HYBRID, 0.1)],
        )[0]
        location = ""
        if mode != Offer.Mode.ONLINE:
            location = rng.choice(ROOMS if school is not None else VENUES)
        cost, paid_by, approval = Decimal("0"), Offer.Payer.FREE, False
        provider_name = ""
        if provider is not None:
            provider_name = ctx.providers[provider]
            if rng.random() < 0.4:
                cost = Decimal(rng.randrange(50, 600, 5))
                paid_by, approval = Offer.Payer.SCHOOL, True
        created_at = created_base - datetime.timedelta(days=rng.randrange(1, 90))
        creator = school.user_of(school.cpd_lead_id) if school is not None else provider
        counts_dt = provider is None or rng.random() < 0.5
        terms = rng.choice([1, 2, 3]) if kind == Offer.Kind.PROGRAMME else None
        rows.append(
            (offer_id, title, summary, description, kind, status,
             school.id if school else None, network, provider, whole, teams, individuals,
             Offer.codes(stages), Offer.codes(phases), mode, location, counts_dt,
             provider_name, cost, paid_by, approval, terms, creator, created_at, now)
        )  # fmt: skip
        for tag in rng.sample(shared_tags, min(len(shared_tags), rng.choice([1, 2, 2, 3]))):
            focus.append((offer_id, tag))
        if school is not None and rng.random() < 0.4:
            focus.append((offer_id, rng.choice(ctx.priorities.get(school.id) or shared_tags)))
        if subject_ids and rng.random() < 0.4:
            for subject in rng.sample(subject_ids, rng.choice([1, 1, 2])):
                subjects.append((offer_id, subject))
        if school is not None and school.facilitators:
            facilitators.append((offer_id, school.user_of(rng.choice(school.facilitators))))
        strand = "whole_school" if whole else ("team" if teams else "individual")
        ctx.offers.append(
            GenOffer(
                offer_id, kind, status == Offer.Status.PUBLISHED,
                school_index if school is not None else None,
                network, strand, counts_dt, approval,
            )
        )  # fmt: skip
        offer_id += 1
    names = ["id", "title", "summary", "description", "kind", "status", "school_id"]
    names += ["network_id", "provider_id", "for_whole_school", "for_teams", "for_individuals"]
    names += ["career_stages", "phases", "mode", "location", "counts_as_directed_time"]
    names += ["provider_name", "cost", "paid_by", "needs_approval", "terms", "created_by_id"]
    names += ["created_at", "updated_at"]
    write(ctx, Offer, names, rows)
    write(ctx, Offer.focus.through, ["offer_id", "focustag_id"], focus)
    write(ctx, Offer.subjects.through, ["offer_id", "subject_id"], subjects)
    write(ctx, Offer.facilitators.through, ["offer_id", "user_id"], facilitators)


def _pools(ctx: GenContext) -> dict[int | None, tuple[list[int], list[int]]]:
    """Who may book a network's offers (staff of its member schools) and a provider's
    (anyone with a staff record, key None): school indices and running staff totals."""
    members: dict[int | None, list[int]] = {}
    for index, school in enumerate(ctx.schools):
        for network in school.networks:
            members.setdefault(network, []).append(index)
    members[None] = list(range(len(ctx.schools)))
    pools = {}
    for key, indices in members.items():
        running, total = [], 0
        for index in indices:
            running.append(total)
            total += ctx.schools[index].staff_count
        running.append(total)
        pools[key] = (indices, running)
    return pools


def _pool_size(ctx: GenContext, offer: GenOffer, pools: dict) -> int:
    if offer.school is not None:
        return ctx.schools[offer.school].staff_count
    return pools[offer.network][1][-1] if offer.network in pools else 0


def _session_day(
    rng: random.Random, ctx: GenContext, span: int
) -> tuple[datetime.date, datetime.date]:
    """A weekday in the academic year for a run lasting `span` days: about one in four
    before today, the rest from today on (a later window if the year is nearly over)."""
    start, end = _academic_year(ctx.today)
    past = (ctx.today - start).days
    future_end = max(end - datetime.timedelta(days=span), ctx.today + datetime.timedelta(days=60))
    future = (future_end - ctx.today).days
    if past > 0 and rng.random() < min(0.25, past / (past + future)):
        day = start + datetime.timedelta(days=rng.randrange(past))
    else:
        day = ctx.today + datetime.timedelta(days=1 + rng.randrange(future))
    if day.weekday() >= 5:
        day += datetime.timedelta(days=7 - day.weekday())
    return day, day + datetime.timedelta(days=span)


def _times(rng: random.Random, kind: str) -> tuple[datetime.time, int]:
    """Start (UK time) and length in minutes: twilights after school, courses all day."""
    if kind == Offer.Kind.ONE_OFF:
        return (
            (datetime.time(15, 45), rng.choice([60, 75, 90]))
            if rng.random() < 0.85
            else (datetime.time(9), 360)
        )
    if kind == Offer.Kind.PROGRAMME:
        return (datetime.time(16), 90) if rng.random() < 0.75 else (datetime.time(9), 360)
    if kind == Offer.Kind.EXTERNAL:
        return (datetime.time(9, 30), 360) if rng.random() < 0.6 else (datetime.time(16), 90)
    return rng.choice([(datetime.time(9), 180), (datetime.time(13), 180)])


def stage_sessions(ctx: GenContext) -> None:
    """Sessions with their dates (programmes several, a few weeks apart), and the number of
    bookings each will take: confirmed up to capacity, then a waiting list, some cancelled;
    the counters written here are the ones the bookings stage realises."""
    rng = ctx.rng("sessions")
    zone = ZoneInfo(settings.TIME_ZONE)
    pools = _pools(ctx)
    per_offer = [rng.choice(SHAPES[o.kind][0]) for o in ctx.offers]
    _fit_total(rng, per_offer, ctx.size("sessions"), [12] * len(per_offer))
    session_id = next_id(Session)
    sessions, dates, demands, highs = [], [], [], []
    for index, (offer, count) in enumerate(zip(ctx.offers, per_offer, strict=True)):
        _, seats, (low, high) = SHAPES[offer.kind]
        pool = _pool_size(ctx, offer, pools)
        for k in range(count):
            n_dates = rng.randint(low, high)
            gaps = [rng.randint(14, 28) for _ in range(n_dates - 1)]
            first, _ = _session_day(rng, ctx, sum(gaps))
            at, minutes = _times(rng, offer.kind)
            spans, day = [], first
            for gap in [0, *gaps]:
                day += datetime.timedelta(days=gap)
                if day.weekday() >= 5:
                    day += datetime.timedelta(days=7 - day.weekday())
                begins = datetime.datetime.combine(day, at, tzinfo=zone).astimezone(datetime.UTC)
                spans.append((begins, begins + datetime.timedelta(minutes=minutes)))
            hours = (Decimal(minutes * n_dates) / Decimal(60)).quantize(Decimal("0.01"))
            capacity = rng.randint(*seats)
            cancelled = rng.random() < 0.02
            label = f"Group {chr(65 + k)}" if count > 1 and k < 26 else ""
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(6))
            sessions.append(
                [session_id, offer.id, label, capacity, cancelled, spans[0][0], spans[-1][1],
                 code]
            )  # fmt: skip
            for n, (begins, ends) in enumerate(spans, start=1):
                title = f"Unit {n}" if n_dates > 1 else ""
                dates.append((session_id, begins, ends, title))
            r = rng.random()
            fill = (
                rng.uniform(0, 0.4)
                if r < 0.6
                else rng.uniform(0.4, 1)
                if r < 0.88
                else (rng.uniform(1, 1.6))
            )
            wanted = min(pool, round(capacity * fill)) if offer.published else 0
            demands.append(wanted)
            highs.append(min(pool, 2 * capacity) if offer.published else 0)
            ctx.sessions.append(GenSession(session_id, index, spans[0][0], hours))
            session_id += 1
    _fit_total(rng, demands, ctx.size("bookings"), highs)
    rows = []
    for row, planned, wanted in zip(sessions, ctx.sessions, demands, strict=True):
        sid, offer_id, label, capacity, cancelled, starts_at, ends_at, code = row
        offer = ctx.offers[planned.offer]
        dropped = sum(rng.random() < 0.06 for _ in range(wanted))
        planned.cancelled = wanted if cancelled else dropped
        active = wanted - planned.cancelled
        planned.pending = round(active * 0.1) if offer.approval else 0
        holders = active - planned.pending
        planned.confirmed = min(capacity, holders)
        planned.waiting = holders - planned.confirmed
        status = Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED
        rows.append(
            (sid, offer_id, label, capacity, status, starts_at, ends_at, planned.confirmed,
             planned.waiting, planned.waiting, code, EPOCH)
        )  # fmt: skip
    names = ["id", "offer_id", "label", "capacity", "status", "starts_at", "ends_at"]
    names += ["confirmed_count", "waiting_count", "last_position", "check_in_code", "created_at"]
    write(ctx, Session, names, rows)
    write(ctx, SessionDate, ["session_id", "starts_at", "ends_at", "title"], dates)


def _booking_rows(ctx: GenContext, bar: tqdm) -> Iterator[tuple]:
    """Each session's planned bookings, by distinct people who may book it, in arrival
    order: confirmed until the seats are gone, then waiting-list positions 1..N, with
    cancellations and requests awaiting approval among them."""
    rng = ctx.rng("bookings")
    pools = _pools(ctx)
    latest = datetime.datetime.combine(ctx.today, datetime.time(8), tzinfo=datetime.UTC)
    latest -= datetime.timedelta(days=3)
    for session in ctx.sessions:
        n = session.bookings
        if not n:
            continue
        offer = ctx.offers[session.offer]
        people: list[tuple[GenSchool, int]] = []
        if offer.school is not None:
            school = ctx.schools[offer.school]
            for j in rng.sample(range(school.staff_count), n):
                people.append((school, school.first_staff_id + j))
        else:
            indices, running = pools[offer.network]
            for x in rng.sample(range(running[-1]), n):
                k = bisect.bisect_right(running, x) - 1
                school = ctx.schools[indices[k]]
                people.append((school, school.first_staff_id + x - running[k]))
        statuses = [Booking.Status.CONFIRMED] * session.confirmed
        statuses += [Booking.Status.WAITLISTED] * session.waiting
        for status, times in (
            (Booking.Status.CANCELLED, session.cancelled),
            (Booking.Status.PENDING_APPROVAL, session.pending),
        ):
            for _ in range(times):
                statuses.insert(rng.randrange(len(statuses) + 1), status)
        opened = min(session.starts_at - datetime.timedelta(days=42), latest)
        position = 0
        for k, ((school, staff_id), status) in enumerate(zip(people, statuses, strict=True)):
            at = opened + datetime.timedelta(minutes=7 * k)
            place = None
            if status == Booking.Status.WAITLISTED:
                position += 1
                place = position
            yield (
                session.id, school.user_of(staff_id), school.id, status, place, session.hours,
                offer.strand, offer.counts_as_directed_time, at, at,
            )  # fmt: skip
        bar.update(n)


def stage_bookings(ctx: GenContext) -> None:
    total = sum(s.bookings for s in ctx.sessions)
    names = ["session_id", "user_id", "school_id", "status", "waitlist_position", "hours"]
    names += ["strand", "counts_as_directed_time", "created_at", "updated_at"]
    with ctx.bar("bookings", total) as bar:
        write(ctx, Booking, names, _booking_rows(ctx, bar))


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[GenContext], None]


# Later work appends stages here: enquiries, pupil outcomes.
STAGES: list[Stage] = [
    Stage("networks", stage_networks),
    Stage("schools", stage_schools),
    Stage("memberships", stage_memberships),
    Stage("subjects", stage_subjects),
    Stage("teams", stage_teams),
    Stage("staff", stage_staff),
    Stage("network people", stage_network_people),
    Stage("providers", stage_providers),
    Stage("priorities", stage_priorities),
    Stage("offers", stage_offers),
    Stage("sessions", stage_sessions),
    Stage("bookings", stage_bookings),
]
MODELS = [Network, School, NetworkMembership, Team, User, StaffMember, TeamMembership]
MODELS += [StaffMember.subjects.through, NetworkRole, FocusTag, Offer, Offer.focus.through]
MODELS += [Offer.subjects.through, Offer.facilitators.through, Session, SessionDate, Booking]


def generate(
    seed: int,
    scale: float = 1.0,
    progress: bool = True,
    stages: list[Stage] | None = None,
    today: datetime.date | None = None,
) -> GenContext:
    """Build the dataset in one transaction. Call `reset()` first if one is already there.
    Session dates fall in the academic year of `today` (default: the real today), so the
    same seed, scale and day give the same rows."""
    ctx = GenContext(seed=seed, scale=scale, progress=progress)
    if today is not None:
        ctx.today = today
    ctx.password_hash = make_password(PASSWORD, salt="staffroomgenerated")
    with transaction.atomic():
        for stage in STAGES if stages is None else stages:
            if progress:
                tqdm.write(f"Generating {stage.name}…", file=sys.stderr)
            stage.run(ctx)
        reset_sequences(MODELS)
    vacuum(MODELS)
    return ctx


def vacuum(model_list: Iterable[type[models.Model]]) -> None:
    """VACUUM (ANALYZE) the loaded tables on PostgreSQL, outside any transaction: bulk-loaded
    rows are otherwise first read without hint bits or a visibility map, which makes the
    first benchmark rounds write and index-only scans visit the heap."""
    if not is_postgres() or connection.in_atomic_block:
        return  # e.g. inside a test's transaction, where VACUUM cannot run
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
