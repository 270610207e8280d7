"""The demo: two fictional networks, twelve schools and about 400 staff, loaded idempotently.

The demo is built in two halves so that a second run changes nothing. `build_plan()` turns a
fixed seed into plain data (schools, teams, people, networks) without touching the database;
the STEPS then create whatever of that plan is missing, looked up by natural keys (URN, email,
network source id, (school, team name)). Later steps add the year's CPD offer, bookings,
registers and evaluations from the same plan (see `staffroom.demo_offer`).

Every name, URN, postcode and email address here is invented; the domains end in `.example`.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from history.services import record
from people.services import add_staff, create_team
from staffroom.demo_offer import (
    YearPlan,
    load_network_offers,
    load_priorities,
    load_school_offers,
    quiet_tasks,
)
from tenancy.models import Network, NetworkRole, School, StaffMember, Team, User
from tenancy.services import add_school_to_network, create_network, create_school, set_network_role

PASSWORD = "staffroom-demo"
SEED = 2025

# The roles printed after loading, in this order, one login each.
ROLES = [
    "site administrator",
    "network lead",
    "network member",
    "school administrator",
    "CPD lead",
    "senior leader",
    "middle leader",
    "mentor",
    "early-career teacher",
    "teacher",
    "facilitator",
    "external provider",
]

FIRST_NAMES = [
    "Aaliyah", "Abdul", "Ada", "Adebayo", "Aisha", "Alfie", "Amara", "Amelia", "Amir", "Ana",
    "Anjali", "Arjun", "Ava", "Ayesha", "Bartosz", "Beatrice", "Bethan", "Callum", "Carys",
    "Chidi", "Chloe", "Ciaran", "Connor", "Daisy", "Daniel", "Deepa", "Dylan", "Eilidh", "Elif",
    "Ellie", "Emeka", "Emily", "Erin", "Ewan", "Fatima", "Femi", "Finn", "Freya", "Gareth",
    "Grace", "Hamza", "Hannah", "Harvey", "Hassan", "Imogen", "Isaac", "Isla", "Jack", "Jade",
    "Jamal", "Jasmine", "Jiayi", "Joseph", "Kai", "Karolina", "Kwame", "Layla", "Leah", "Leon",
    "Lewis", "Lucia", "Maddison", "Mariam", "Marcus", "Mateusz", "Megan", "Mei", "Mohammed",
    "Naomi", "Nathan", "Niamh", "Nikhil", "Noah", "Oliver", "Olivia", "Oscar", "Owen", "Priya",
    "Rachel", "Rhys", "Rosa", "Ruby", "Ryan", "Safiya", "Sam", "Sana", "Seren", "Siobhan",
    "Sophie", "Tariq", "Theo", "Tobi", "Tom", "Ursula", "Wei", "Yasmin", "Yusuf", "Zainab",
    "Zara", "Zofia",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Adeyemi", "Ahmed", "Akhtar", "Allen", "Asante", "Bailey", "Banerjee", "Begum",
    "Bennett", "Bhatt", "Brennan", "Brooks", "Campbell", "Chen", "Chowdhury", "Clarke",
    "Coleman", "Cooper", "Davies", "Dhillon", "Doherty", "Edwards", "Evans", "Fernandes",
    "Fisher", "Fletcher", "Gallagher", "Gill", "Green", "Griffiths", "Hall", "Harris",
    "Hussain", "Iqbal", "Jackson", "James", "Jenkins", "Johnson", "Kaur", "Kelly", "Khan",
    "Kowalski", "Lewis", "Lloyd", "Mahmood", "Malik", "Marsh", "Mensah", "Mistry", "Morgan",
    "Murphy", "Nguyen", "Nowak", "Obi", "O'Connor", "Okafor", "Osei", "Owusu", "Palmer",
    "Parry", "Patel", "Pearson", "Price", "Quinn", "Rahman", "Reid", "Richards", "Roberts",
    "Robinson", "Santos", "Shah", "Sharma", "Singh", "Smith", "Sullivan", "Taylor", "Thomas",
    "Thompson", "Turner", "Wallace", "Walsh", "Ward", "Watson", "Williams", "Wilson", "Wood",
    "Wright", "Yilmaz", "Young", "Zhang",
]  # fmt: skip

PRIMARY_SUBJECTS = [
    "English", "Mathematics", "Science", "History", "Geography", "Art and design", "Music",
    "Physical education", "Computing", "Religious education", "French", "Design and technology",
]  # fmt: skip
DEPARTMENT_SUBJECTS = {
    "English": ["English"],
    "Mathematics": ["Mathematics"],
    "Science": ["Biology", "Chemistry", "Physics"],
    "Humanities": ["History", "Geography", "Religious education"],
    "Modern languages": ["French", "Spanish", "German"],
    "Creative arts": ["Art and design", "Music", "Drama"],
    "Physical education": ["Physical education"],
    "Computing": ["Computing"],
    "Design and technology": ["Design and technology", "Food and nutrition"],
    "Inclusion": ["Special educational needs"],
    "Languages and arts": ["French", "Art and design", "Music"],
    "Sciences": ["Biology", "Chemistry", "Physics"],
    "English and modern languages": ["English", "French", "Spanish"],
    "Humanities and social sciences": ["History", "Psychology", "Sociology", "Economics"],
    "Creative and vocational": ["Art and design", "Business", "Health and social care"],
    "Arts and physical education": ["Art and design", "Music", "Physical education"],
}

SECONDARY_TEAMS = [
    "English", "Mathematics", "Science", "Humanities", "Modern languages", "Creative arts",
    "Physical education", "Computing", "Design and technology", "Inclusion",
]  # fmt: skip


@dataclass(frozen=True)
class TeamPlan:
    name: str
    kind: str
    phase: str = ""  # the staff phase for an all-through school's primary teams


@dataclass
class PersonPlan:
    email: str
    full_name: str
    job_title: str = ""
    is_teacher: bool = True
    career_stage: str = StaffMember.CareerStage.EXPERIENCED
    is_senior_leader: bool = False
    is_cpd_lead: bool = False
    is_school_admin: bool = False
    is_mentor: bool = False
    is_facilitator: bool = False
    ect_year: int | None = None
    mentor_email: str | None = None
    fte: Decimal = Decimal("1.000")
    team: str | None = None
    leads: str | None = None
    subjects: tuple[str, ...] = ()
    phase: str = ""


@dataclass
class SchoolPlan:
    urn: str
    name: str
    phase: str
    school_type: str
    local_authority: str
    region: str
    postcode: str
    pupils: int
    domain: str
    staff_count: int
    teams: list[TeamPlan]
    staff: list[PersonPlan] = field(default_factory=list)


@dataclass
class NetworkPlan:
    source_id: str
    name: str
    kind: str
    description: str
    urns: list[str]
    lead: PersonPlan
    members: list[PersonPlan]
    # Staff of member schools who also take part in the network (by email).
    member_staff: list[str] = field(default_factory=list)


@dataclass
class DemoPlan:
    site_admin: PersonPlan
    provider: PersonPlan
    provider_name: str
    schools: list[SchoolPlan]
    networks: list[NetworkPlan]
    logins: dict[str, str] = field(default_factory=dict)  # role -> email

    def school(self, urn: str) -> SchoolPlan:
        return next(s for s in self.schools if s.urn == urn)


def _teams(names: list[str], kind: str, phase: str = "") -> list[TeamPlan]:
    return [TeamPlan(n, kind, phase) for n in names]


PRIMARY_YEARS = _teams(["Early Years"] + [f"Year {n}" for n in range(1, 7)], "year_group")
PRIMARY_PHASES = _teams(
    ["Early Years Foundation Stage", "Key Stage 1", "Lower Key Stage 2", "Upper Key Stage 2"],
    "phase",
)

# urn, name, phase, type, LA, region, postcode, pupils, domain, staff, teams
SCHOOLS: list[tuple[Any, ...]] = [
    ("147201", "Riverside Academy", "secondary", "Academy converter", "Riverside",
     "North West", "RV2 4QT", 1180, "riverside.example", 80,
     _teams(SECONDARY_TEAMS[:9], "department") + _teams(["Inclusion"], "other")),
    ("147202", "Riverside Primary School", "primary", "Academy converter", "Riverside",
     "North West", "RV3 7HB", 420, "riversideprimary.example", 32, PRIMARY_YEARS),
    ("147203", "Hollins Green Primary Academy", "primary", "Academy sponsor led", "Riverside",
     "North West", "RV7 1LN", 205, "hollinsgreen.example", 17, PRIMARY_PHASES),
    ("147204", "Castlegate All-Through School", "all_through", "Free school", "Castleshire",
     "North West", "CG1 9DW", 1540, "castlegate.example", 75,
     [TeamPlan("Primary: Early Years and Key Stage 1", "phase", "primary"),
      TeamPlan("Primary: Key Stage 2", "phase", "primary")]
     + _teams(["English", "Mathematics", "Science", "Humanities", "Languages and arts",
               "Physical education"], "department", "secondary")),
    ("147205", "Brookfield School", "special", "Academy special converter", "Riverside",
     "North West", "RV5 2EF", 118, "brookfield.example", 30,
     _teams(["Primary department", "Secondary department", "Post-16 pathway"], "phase")
     + _teams(["Therapies and outreach"], "other")),
    ("147206", "Riverside Sixth Form College", "post_16", "Academy 16-19 converter",
     "Riverside", "North West", "RV1 6SX", 760, "riverside6.example", 34,
     _teams(["Sciences", "Mathematics", "English and modern languages",
             "Humanities and social sciences", "Creative and vocational"], "department")),
    ("147207", "Millbeck Primary Academy", "primary", "Academy converter", "Castleshire",
     "North West", "CG4 3PA", 315, "millbeck.example", 24, PRIMARY_PHASES),
    ("112408", "St Aidan's Church of England Primary School", "primary",
     "Voluntary aided school", "Northvale", "Yorkshire and the Humber", "NV6 8RJ", 210,
     "staidans.example", 16, PRIMARY_PHASES),
    ("136515", "Northvale High School", "secondary", "Community school", "Northvale",
     "Yorkshire and the Humber", "NV2 5TU", 920, "northvalehigh.example", 55,
     _teams(SECONDARY_TEAMS[:8], "department") + _teams(["Inclusion"], "other")),
    ("108722", "Wrenford Nursery School", "nursery", "Local authority nursery school",
     "Wrenford", "Yorkshire and the Humber", "WF3 2GG", 96, "wrenfordnursery.example", 10,
     _teams(["Two-year-olds room", "Preschool room"], "other")),
    ("140931", "Ashby Fields Middle School", "middle", "Foundation school", "Wrenford",
     "Yorkshire and the Humber", "WF8 4NL", 540, "ashbyfields.example", 34,
     _teams(["English", "Mathematics", "Science", "Humanities",
             "Arts and physical education"], "department")),
    ("143377", "Larkspur Academy", "alternative", "Academy alternative provision converter",
     "Northvale", "Yorkshire and the Humber", "NV1 3BY", 48, "larkspur.example", 12,
     _teams(["Key Stage 3", "Key Stage 4"], "phase") + _teams(["Pastoral and therapeutic"],
     "other")),
]  # fmt: skip

TRUST_URNS = ["147201", "147202", "147203", "147204", "147205", "147206", "147207"]
HUB_URNS = ["147204", "112408", "136515", "108722", "140931", "143377"]
SHOWCASE_URN = "147201"  # the school whose people are printed as the role logins


class _Namer:
    """Fictional, varied names with email addresses unique across the whole demo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def person(self, domain: str, **values: Any) -> PersonPlan:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        local = _slug(f"{first}.{last}")
        email, n = f"{local}@{domain}", 2
        while email in self.taken:
            email, n = f"{local}{n}@{domain}", n + 1
        self.taken.add(email)
        return PersonPlan(email=email, full_name=f"{first} {last}", **values)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c in ".-")


def _lead_title(team: TeamPlan) -> str:
    if team.kind == Team.Kind.DEPARTMENT:
        return f"Head of {team.name.split(': ')[-1]}"
    if team.kind == Team.Kind.YEAR_GROUP:
        return f"{team.name} lead"
    if team.kind == Team.Kind.PHASE:
        return f"{team.name.split(': ')[-1]} leader"
    return f"Lead for {team.name.lower()}"


def _subjects_for(rng: random.Random, team: TeamPlan) -> tuple[str, ...]:
    if team.kind == Team.Kind.DEPARTMENT:
        options = DEPARTMENT_SUBJECTS.get(team.name, [team.name])
        return (rng.choice(options),)
    if team.name == "Inclusion":
        return ("Special educational needs",)
    # Primary and special-school teachers teach everything and lead one subject.
    return (rng.choice(PRIMARY_SUBJECTS),)


def _school_staff(rng: random.Random, namer: _Namer, school: SchoolPlan) -> list[PersonPlan]:
    """A plausible staff for one school: leadership, one leader per team, mentors with
    early-career teachers, facilitators, teachers, support staff and some part-timers."""
    n, dom, teams = school.staff_count, school.domain, school.teams
    head_title = "Principal" if school.phase == "post_16" else "Headteacher"
    people: list[PersonPlan] = []

    def add(team: TeamPlan | None = None, **values: Any) -> PersonPlan:
        if team is not None:
            values.setdefault("team", team.name)
            values.setdefault("phase", team.phase)
            if values.get("is_teacher", True) and school.phase not in ("nursery",):
                values.setdefault("subjects", _subjects_for(rng, team))
        values.setdefault("phase", "")
        if not values["phase"]:
            values["phase"] = school.phase if school.phase in School.Phase.values else ""
        person = namer.person(dom, **values)
        people.append(person)
        return person

    add(job_title=head_title, is_senior_leader=True, career_stage="headteacher")
    for i in range(max(1, n // 30)):
        title = "Deputy headteacher" if i == 0 else "Assistant headteacher"
        add(job_title=title, is_senior_leader=True, career_stage="senior_leader")
    add(
        job_title="Assistant headteacher (professional development)",
        is_senior_leader=True,
        is_cpd_lead=True,
        is_facilitator=True,
        career_stage="senior_leader",
    )
    admin_title = "School administrator" if n < 20 else "School business manager"
    add(job_title=admin_title, is_teacher=False, is_school_admin=True, career_stage="support")
    for team in teams:
        add(team, leads=team.name, job_title=_lead_title(team), career_stage="middle_leader")

    remaining = n - len(people)
    n_mentors = max(1, remaining // 14)
    n_ect1 = max(1, remaining // 16) if remaining >= 5 else 0
    n_ect2 = max(1, remaining // 20) if remaining >= 6 else 0
    n_facilitators = max(1, remaining // 18)
    n_trainees = remaining // 25
    n_support = max(1, remaining // 6)
    support_title = {
        "nursery": "Early years practitioner",
        "special": "Learning support assistant",
    }.get(school.phase, "Teaching assistant")

    def team_at(i: int) -> TeamPlan:
        return teams[i % len(teams)]

    mentors = [
        add(team_at(i), job_title="Teacher and ECT mentor", is_mentor=True)
        for i in range(n_mentors)
    ]
    for year, count in ((1, n_ect1), (2, n_ect2)):
        for i in range(count):
            mentor = mentors[(i + year - 1) % len(mentors)]
            team = next(t for t in teams if t.name == mentor.team)
            add(
                team,
                job_title="Early-career teacher",
                ect_year=year,
                mentor_email=mentor.email,
                career_stage="ect",
            )
    for i in range(n_facilitators):
        add(team_at(i + 1), job_title="Lead practitioner", is_facilitator=True)
    for i in range(n_trainees):
        add(team_at(i + 2), job_title="Trainee teacher", career_stage="trainee")
    for i in range(n_support):
        add(team_at(i), job_title=support_title, is_teacher=False, career_stage="support")
    i = 0
    while len(people) < n:
        stage = "early" if rng.random() < 0.25 else "experienced"
        title = "Class teacher" if school.phase in ("primary", "nursery") else "Teacher"
        add(team_at(i), job_title=title, career_stage=stage)
        i += 1
    # About one in six teachers and support staff work part-time; leaders and ECTs do not.
    for person in people:
        plain = not (person.is_senior_leader or person.leads or person.ect_year)
        if plain and not person.is_school_admin and rng.random() < 0.17:
            person.fte = Decimal(rng.choice(["0.400", "0.500", "0.600", "0.800"]))
    return people


def _first_plain_teacher(staff: list[PersonPlan], team: str | None) -> PersonPlan:
    """A full-time classroom teacher, preferably in the given team."""
    plain = [p for p in staff if p.job_title in ("Teacher", "Class teacher") and p.fte == 1]
    return next((p for p in plain if p.team == team), plain[0])


def build_plan(seed: int = SEED) -> DemoPlan:
    """The whole demo as plain data: the same seed always gives the same people."""
    rng = random.Random(seed)
    namer = _Namer(rng)
    schools = []
    for urn, name, phase, kind, la, region, postcode, pupils, dom, count, teams in SCHOOLS:
        school = SchoolPlan(urn, name, phase, kind, la, region, postcode, pupils, dom, count, teams)
        school.staff = _school_staff(rng, namer, school)
        schools.append(school)

    site_admin = namer.person("staffroom.example", job_title="Site administrator")
    provider = namer.person("kestrel-learning.example", job_title="Programme director")
    trust = NetworkPlan(
        source_id="demo:riverside-learning-trust",
        name="Riverside Learning Trust",
        kind=Network.Kind.TRUST,
        description="A multi-academy trust of seven schools along the Riverside valley.",
        urns=TRUST_URNS,
        lead=namer.person("riversidetrust.example", job_title="Director of education"),
        members=[
            namer.person("riversidetrust.example", job_title="Trust lead for mathematics"),
            namer.person("riversidetrust.example", job_title="Trust lead for English"),
        ],
    )
    hub = NetworkPlan(
        source_id="demo:northvale-teaching-school-hub",
        name="Northvale Teaching School Hub",
        kind=Network.Kind.HUB,
        description="The teaching school hub for Northvale and Wrenford: ECT induction, "
        "NPQs and school-to-school support.",
        urns=HUB_URNS,
        lead=namer.person("northvalehub.example", job_title="Hub director"),
        members=[namer.person("northvalehub.example", job_title="ECTE programme coordinator")],
    )
    plan = DemoPlan(site_admin, provider, "Kestrel Learning", schools, [trust, hub])
    # Headteachers take part in their networks; the hub also gathers the CPD leads.
    for network in plan.networks:
        for urn in network.urns:
            staff = plan.school(urn).staff
            network.member_staff.append(staff[0].email)
            if network.kind == Network.Kind.HUB:
                network.member_staff += [p.email for p in staff if p.is_cpd_lead]

    showcase = plan.school(SHOWCASE_URN).staff
    ect = next(p for p in showcase if p.ect_year == 1)
    mentor = next(p for p in showcase if p.email == ect.mentor_email)
    plan.logins = {
        "site administrator": site_admin.email,
        "network lead": trust.lead.email,
        "network member": trust.members[0].email,
        "school administrator": next(p for p in showcase if p.is_school_admin).email,
        "CPD lead": next(p for p in showcase if p.is_cpd_lead).email,
        "senior leader": next(
            p
            for p in showcase
            if p.is_senior_leader and not p.is_cpd_lead and p.career_stage == "senior_leader"
        ).email,
        "middle leader": next(p for p in showcase if p.leads == ect.team).email,
        "mentor": mentor.email,
        "early-career teacher": ect.email,
        "teacher": _first_plain_teacher(showcase, ect.team).email,
        "facilitator": next(p for p in showcase if p.is_facilitator and not p.is_cpd_lead).email,
        "external provider": provider.email,
    }
    return plan


# --- Loading -------------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What the steps share: the plan, the one password hash, today (dates of the year's
    offer hang on it) and what each step made."""

    plan: DemoPlan
    password_hash: str
    created: dict[str, int] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)  # urn -> school
    networks: dict[str, Network] = field(default_factory=dict)  # source id -> network
    today: datetime.date = field(default_factory=timezone.localdate)
    year: YearPlan | None = None  # the year's offer, planned on first use

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def user(self, person: PersonPlan, **extra: Any) -> User:
        """The person's account, made with the demo password if it does not exist yet."""
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User(
                email=person.email, full_name=person.full_name, password=self.password_hash, **extra
            )
            user.save()
            record(None, "account.created", user, {"email": person.email}, note="demo")
            self.count("accounts")
        return user


def load_site_admin(ctx: DemoContext) -> None:
    ctx.user(ctx.plan.site_admin, is_staff=True, is_superuser=True)


def load_schools(ctx: DemoContext) -> None:
    for s in ctx.plan.schools:
        school = School.objects.filter(urn=s.urn).first()
        if school is None:
            school = create_school(
                None,
                urn=s.urn,
                name=s.name,
                phase=s.phase,
                school_type=s.school_type,
                local_authority=s.local_authority,
                region=s.region,
                postcode=s.postcode,
                pupils=s.pupils,
            )
            ctx.count("schools")
        ctx.schools[s.urn] = school


def load_networks(ctx: DemoContext) -> None:
    for n in ctx.plan.networks:
        network = Network.objects.filter(source_id=n.source_id).first()
        if network is None:
            network = create_network(
                None, name=n.name, kind=n.kind, description=n.description, source_id=n.source_id
            )
            ctx.count("networks")
        ctx.networks[n.source_id] = network
        for urn in n.urns:
            add_school_to_network(None, network, ctx.schools[urn])


def load_teams(ctx: DemoContext) -> None:
    for s in ctx.plan.schools:
        school = ctx.schools[s.urn]
        existing = set(
            Team.objects.filter(school=school, archived_at__isnull=True).values_list(
                "name", flat=True
            )
        )
        for t in s.teams:
            if t.name not in existing:
                create_team(None, school, name=t.name, kind=t.kind)
                ctx.count("teams")


def load_staff(ctx: DemoContext) -> None:
    for s in ctx.plan.schools:
        school = ctx.schools[s.urn]
        teams = {t.name: t for t in Team.objects.filter(school=school, archived_at__isnull=True)}
        on_staff = {
            m.user.email: m
            for m in StaffMember.objects.filter(school=school).select_related("user")
        }
        for p in s.staff:  # mentors come before their early-career teachers
            if p.email in on_staff:
                continue
            ctx.user(p)
            # Senior leaders and administrators sit above the teams; everyone else is in one.
            team = teams.get(p.team or p.leads or "")
            on_staff[p.email] = add_staff(
                None,
                school,
                email=p.email,
                full_name=p.full_name,
                subjects=p.subjects,
                teams=[team] if team else [],
                led_teams=[team] if team and p.leads else [],
                job_title=p.job_title,
                is_teacher=p.is_teacher,
                career_stage=p.career_stage,
                is_senior_leader=p.is_senior_leader,
                is_cpd_lead=p.is_cpd_lead,
                is_school_admin=p.is_school_admin,
                is_mentor=p.is_mentor,
                is_facilitator=p.is_facilitator,
                ect_year=p.ect_year,
                mentor=on_staff[p.mentor_email] if p.mentor_email else None,
                fte=p.fte,
                phase=p.phase,
            )
            ctx.count("staff")


def load_network_people(ctx: DemoContext) -> None:
    for n in ctx.plan.networks:
        network = ctx.networks[n.source_id]
        roles = [(n.lead, NetworkRole.Role.LEAD)] + [
            (m, NetworkRole.Role.MEMBER) for m in n.members
        ]
        for person, role in roles:
            _ensure_role(ctx, network, ctx.user(person), role)
        for user in User.objects.filter(email__in=n.member_staff):
            _ensure_role(ctx, network, user, NetworkRole.Role.MEMBER)


def _ensure_role(ctx: DemoContext, network: Network, user: User, role: str) -> None:
    # Create only: a role someone changed since the last run is theirs to keep.
    if not NetworkRole.objects.filter(network=network, user=user).exists():
        set_network_role(None, network, user, role)
        ctx.count("network roles")


def load_provider(ctx: DemoContext) -> None:
    ctx.user(ctx.plan.provider, provider_name=ctx.plan.provider_name)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[DemoContext], None]


# Later work appends steps here (reflections, goals...).
STEPS: list[Step] = [
    Step("site administrator", load_site_admin),
    Step("schools", load_schools),
    Step("networks", load_networks),
    Step("teams", load_teams),
    Step("staff", load_staff),
    Step("network leads and members", load_network_people),
    Step("external provider", load_provider),
    Step("school priorities", load_priorities),
    Step("the year's CPD offer in each school", load_school_offers),
    Step("network events and provider courses", load_network_offers),
]


def load_demo(stdout: TextIO | None = None, steps: list[Step] | None = None) -> DemoContext:
    """Create whatever of the demo is missing, in one transaction, and return what was made.
    Running it again creates, changes and records nothing. No task is queued: the services'
    notifications go to a dummy backend until the transaction has committed."""
    ctx = DemoContext(plan=build_plan(), password_hash=make_password(PASSWORD))
    with quiet_tasks(), transaction.atomic():
        for step in STEPS if steps is None else steps:
            if stdout is not None:
                stdout.write(f"Loading {step.name}…\n")
                stdout.flush()
            step.run(ctx)
    return ctx


def logins(plan: DemoPlan) -> list[tuple[str, str, str]]:
    """(role, email, password) for each role, in the order they are printed."""
    return [(role, plan.logins[role], PASSWORD) for role in ROLES]
