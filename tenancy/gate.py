"""The one place that decides who may see and change what.

Every page, form and API route asks this module. A record the person may not see answers
404 (so ids leak nothing); a record they may see but not change answers 403.

`access(user)` loads a person's memberships once per request (two queries) and caches them
on the user object; the queryset helpers turn them into filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tenancy.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffMember,
    Team,
    TeamMembership,
    User,
)
from tenancy.prepared import Prepared


@dataclass
class Access:
    """What one person is, where: loaded once, asked many times."""

    user_id: int | None
    is_authenticated: bool = False
    is_site_admin: bool = False
    staff: dict[int, StaffMember] = field(default_factory=dict)  # school id -> current record
    led_team_ids: set[int] = field(default_factory=set)
    led_team_schools: set[int] = field(default_factory=set)
    network_roles: dict[int, str] = field(default_factory=dict)  # network id -> lead | member
    school_networks: set[int] = field(default_factory=set)  # networks my schools belong to

    @property
    def school_ids(self) -> set[int]:
        return set(self.staff)

    @property
    def led_network_ids(self) -> set[int]:
        return {n for n, role in self.network_roles.items() if role == NetworkRole.Role.LEAD}

    @property
    def network_ids(self) -> set[int]:
        return set(self.network_roles) | self.school_networks

    def record(self, school_id: int | None) -> StaffMember | None:
        return self.staff.get(school_id) if school_id is not None else None

    def is_school_admin(self, school_id: int | None) -> bool:
        rec = self.record(school_id)
        return self.is_site_admin or bool(rec and rec.is_school_admin)

    def is_cpd_lead(self, school_id: int | None) -> bool:
        rec = self.record(school_id)
        return self.is_site_admin or bool(rec and rec.is_cpd_lead)

    def is_school_leader(self, school_id: int | None) -> bool:
        """School administrators, CPD leads, senior leaders and middle leaders."""
        rec = self.record(school_id)
        if self.is_site_admin:
            return True
        if rec is None:
            return False
        return (
            rec.is_school_admin
            or rec.is_cpd_lead
            or rec.is_senior_leader
            or school_id in self.led_team_schools
        )

    def leads_network(self, network_id: int | None) -> bool:
        return self.is_site_admin or (network_id in self.led_network_ids)


def access(user: Any) -> Access:
    """The person's memberships, cached on the user object for the rest of the request.

    Two queries: the current staff records (with their schools, which pages show beside
    the roles), then the led teams, network roles and the networks of those schools as
    one UNION ALL, each row tagged with what it is."""
    cached = getattr(user, "_staffroom_access", None)
    if cached is not None:
        return cached
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        result = Access(user_id=None)
    else:
        result = Access(
            user_id=user.pk, is_authenticated=True, is_site_admin=bool(user.is_superuser)
        )
        for rec in _current_records(user.pk):
            result.staff[rec.school_id] = rec
        for kind, first, second, role in _memberships(user.pk, result.staff.values()):
            if kind == "team":
                result.led_team_ids.add(first)
                result.led_team_schools.add(second)
            elif kind == "role":
                result.network_roles[first] = role
            else:
                result.school_networks.add(first)
    if user is not None and getattr(user, "is_authenticated", False):
        user._staffroom_access = result
    return result


# order_by(): the models' default orderings would join users and networks.
_current_records = Prepared(
    lambda user_id: (
        StaffMember.objects.filter(user_id=user_id, archived_at__isnull=True)
        .select_related("school")
        .order_by()
    ),
    int,
)

# Every request that asks the gate runs this, so it is plain SQL: building the same UNION
# through the ORM cost several times what the database spends on it.
_ROLES, _TEAMS = NetworkRole._meta.db_table, Team._meta.db_table
_LEADERS, _MEMBERS = TeamMembership._meta.db_table, NetworkMembership._meta.db_table
_ROLES_SQL = f"""
    SELECT 'role', network_id, network_id, role FROM {_ROLES} WHERE user_id = %s
"""  # noqa: S608 (table names from the models; every value is a parameter)
_TEAMS_SQL = f"""
    SELECT 'team', tm.team_id, t.school_id, '' FROM {_LEADERS} tm
    JOIN {_TEAMS} t ON t.id = tm.team_id
    WHERE tm.staff_id IN ({{staff}}) AND tm.is_leader = %s AND t.archived_at IS NULL
"""  # noqa: S608
_NETWORKS_SQL = f"""
    SELECT 'school', network_id, network_id, '' FROM {_MEMBERS}
    WHERE school_id IN ({{schools}}) AND left_on IS NULL
"""  # noqa: S608


def _memberships(user_id: int, records: Any) -> list[tuple[str, int, int, str]]:
    """Rows (kind, id, school or network id, role): the live teams the person leads
    ("team", team, its school), their network roles ("role", network, network, role) and
    the current networks of their schools ("school", network, network, "")."""
    records = list(records)
    parts, params = [_ROLES_SQL], [user_id]
    if records:
        marks = ", ".join(["%s"] * len(records))
        parts.append(_TEAMS_SQL.format(staff=marks))
        params += [rec.pk for rec in records] + [True]
        parts.append(_NETWORKS_SQL.format(schools=marks))
        params += [rec.school_id for rec in records]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def forget(user: Any) -> None:
    """Drop the cached memberships, after a service changed them."""
    if hasattr(user, "_staffroom_access"):
        del user._staffroom_access


# --- What a person may see -------------------------------------------------------------


def networks(user: Any) -> QuerySet[Network]:
    a = access(user)
    if a.is_site_admin:
        return Network.objects.all()
    return Network.objects.filter(id__in=a.network_ids)


def schools(user: Any) -> QuerySet[School]:
    """Schools the person works in, and the current member schools of their networks."""
    a = access(user)
    if a.is_site_admin:
        return School.objects.all()
    if not a.is_authenticated:
        return School.objects.none()
    in_networks = NetworkMembership.objects.filter(
        network_id__in=a.network_ids, left_on__isnull=True
    ).values("school_id")
    return School.objects.filter(Q(id__in=a.school_ids) | Q(id__in=in_networks))


def directory_school_ids(user: Any) -> set[int] | None:
    """Schools whose staff directory the person may read; None means every school."""
    a = access(user)
    if a.is_site_admin:
        return None
    return {sid for sid in a.school_ids if a.is_school_leader(sid)}


def staff(user: Any, *, include_archived: bool = False) -> QuerySet[StaffMember]:
    """Staff records the person may read: their own, their mentees', and whole directories
    of the schools they lead. Archived records only for school administrators."""
    a = access(user)
    qs = StaffMember.objects.all()
    if a.is_site_admin:
        return qs if include_archived else qs.filter(archived_at__isnull=True)
    if not a.is_authenticated:
        return qs.none()
    led = directory_school_ids(user) or set()
    admin_of = {sid for sid in a.school_ids if a.is_school_admin(sid)}
    own = [rec.pk for rec in a.staff.values()]
    visible = Q(user_id=a.user_id) | Q(mentor_id__in=own) | Q(school_id__in=led)
    if include_archived:
        live = Q(archived_at__isnull=True) | Q(school_id__in=admin_of)
    else:
        live = Q(archived_at__isnull=True)
    return qs.filter(visible & live)


def teams(user: Any) -> QuerySet[Team]:
    a = access(user)
    if a.is_site_admin:
        return Team.objects.all()
    return Team.objects.filter(school_id__in=a.school_ids)


def people(user: Any) -> QuerySet[User]:
    """Accounts the person may look up: themselves and the people behind visible staff."""
    a = access(user)
    if a.is_site_admin:
        return User.objects.all()
    return User.objects.filter(Q(pk=a.user_id) | Q(staff_records__in=staff(user))).distinct()


# --- What a person may do -------------------------------------------------------------

Rule = Callable[[Access, Any], bool]


def _school_id(obj: Any) -> int | None:
    if isinstance(obj, School):
        return obj.pk
    return getattr(obj, "school_id", None)


RULES: dict[str, Rule] = {
    "site.manage": lambda a, obj: a.is_site_admin,
    "school.edit": lambda a, obj: a.is_school_admin(_school_id(obj)),
    "school.manage_staff": lambda a, obj: a.is_school_admin(_school_id(obj)),
    "school.import_roster": lambda a, obj: a.is_school_admin(_school_id(obj)),
    "school.view_directory": lambda a, obj: a.is_school_leader(_school_id(obj)),
    # Whole-school leaders see the school's directed time (middle leaders see their teams'
    # people through `bookings`).
    "school.view_directed_time": lambda a, obj: (
        a.is_cpd_lead(_school_id(obj))
        or a.is_school_admin(_school_id(obj))
        or bool(a.record(_school_id(obj)) and a.record(_school_id(obj)).is_senior_leader)
    ),
    "staff.edit": lambda a, obj: a.is_school_admin(_school_id(obj)),
    "team.edit": lambda a, obj: a.is_school_admin(_school_id(obj)),
    "network.manage": lambda a, obj: a.leads_network(getattr(obj, "pk", None)),
    "network.add_school": lambda a, obj: a.leads_network(getattr(obj, "pk", None)),
    "network.import_roster": lambda a, obj: a.leads_network(getattr(obj, "pk", None)),
    "roster.import_any": lambda a, obj: (
        a.is_site_admin
        or bool(a.led_network_ids)
        or any(a.is_school_admin(s) for s in a.school_ids)
    ),
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May this person do `action` to `obj`? The single question for pages and the API."""
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"No permission rule named {action!r}")
    a = access(user)
    if not a.is_authenticated:
        return False
    return bool(rule(a, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless `can`; call after the object was found visible."""
    if not can(user, action, obj):
        raise PermissionDenied("You do not have permission to do that.")


MAX_ID = 2**63 - 1


def get_visible(queryset: QuerySet, **lookup: Any) -> Model:
    """Fetch one record from a gate queryset; missing and not-yours both answer 404, and
    so does an id no database column could hold."""
    for value in lookup.values():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if not -MAX_ID <= number <= MAX_ID:
            raise Http404("Not found.")
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("Not found.") from exc


def school(user: Any, pk: Any) -> School:
    return get_visible(schools(user), pk=pk)


def network(user: Any, pk: Any) -> Network:
    return get_visible(networks(user), pk=pk)


def staff_member(user: Any, pk: Any, *, include_archived: bool = False) -> StaffMember:
    return get_visible(staff(user, include_archived=include_archived), pk=pk)


def team(user: Any, pk: Any) -> Team:
    return get_visible(teams(user), pk=pk)


# --- The CPD offer and bookings --------------------------------------------------------
# Feature models are looked up by name so that tenancy never imports a feature app, while
# the decision about who sees an offer, a session or a booking still lives here.


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def published_offer_scopes(user: Any, prefix: str = "") -> list[Q]:
    """The published offers the person may see, as disjoint conditions on the offer's own
    columns (`prefix` "offer__" to use them on sessions): providers' courses, which everyone
    signed in sees, and those of their schools and networks. No join and no subquery, so
    that a catalogue query can use them beside its filters (or run one query per scope)
    and PostgreSQL reads them as index conditions. Empty for someone signed out."""
    a = access(user)
    published = Q(**{f"{prefix}status": "published"})
    if a.is_site_admin:
        return [published]
    if not a.is_authenticated:
        return []
    scopes = [published & Q(**{f"{prefix}provider_id__isnull": False})]
    local = Q()
    if a.school_ids:
        local |= Q(**{f"{prefix}school_id__in": sorted(a.school_ids)})
    if a.network_ids:
        local |= Q(**{f"{prefix}network_id__in": sorted(a.network_ids)})
    if local:
        scopes.append(published & local)
    return scopes


def published_offers_q(user: Any, prefix: str = "") -> Q:
    """`published_offer_scopes` as one condition: a school's offer to its staff, a
    network's to its member schools' staff and its role holders, a provider's to everyone
    signed in."""
    scopes = published_offer_scopes(user, prefix)
    if not scopes:
        return Q(**{f"{prefix}pk__in": []})
    visible = scopes[0]
    for scope in scopes[1:]:
        visible |= scope
    return visible


def offers(user: Any, *, include_unpublished: bool = True) -> QuerySet:
    """Offers the person may see.

    Published offers: see `published_offer_scopes`. Proposals are seen by the school's staff.
    Drafts, declined and archived offers only by those who manage them (and their
    facilitators). Every condition is on the offer's row or an IN-subquery, so no row
    repeats and no DISTINCT is needed (a DISTINCT makes callers wrap it in a subquery)."""
    Offer = _model("offers.Offer")
    a = access(user)
    if a.is_site_admin:
        return Offer.objects.all()
    if not a.is_authenticated:
        return Offer.objects.none()
    in_school = Q(school_id__in=a.school_ids)
    visible = (
        published_offers_q(user) | (Q(status="proposed") & in_school) | Q(provider_id=a.user_id)
    )
    if include_unpublished:
        managed_schools = [s for s in a.school_ids if a.is_cpd_lead(s) or a.is_school_admin(s)]
        visible |= Q(school_id__in=managed_schools) | Q(network_id__in=a.led_network_ids)
        visible |= Q(proposed_by_id=a.user_id) | Q(created_by_id=a.user_id)
        facilitated = _model("offers.Session").objects.filter(facilitators=a.user_id)
        leads = Offer.facilitators.through.objects.filter(user_id=a.user_id)
        visible |= Q(id__in=leads.values("offer_id")) | Q(id__in=facilitated.values("offer_id"))
    return Offer.objects.filter(visible)


def sessions(user: Any) -> QuerySet:
    Session = _model("offers.Session")
    return Session.objects.filter(offer__in=offers(user).values("id"))


def manages_offer(user: Any, offer: Any) -> bool:
    """CPD leads and school administrators for a school's offer, network leads for a
    network's, the provider for their own; site administrators for all."""
    a = access(user)
    if not a.is_authenticated:
        return False
    if a.is_site_admin:
        return True
    if offer.school_id:
        return a.is_cpd_lead(offer.school_id) or a.is_school_admin(offer.school_id)
    if offer.network_id:
        return a.leads_network(offer.network_id)
    return offer.provider_id == a.user_id


def runs_session(user: Any, session: Any) -> bool:
    """May take the register and read feedback: the managers and the facilitators."""
    a = access(user)
    if manages_offer(user, session.offer):
        return True
    if not a.is_authenticated:
        return False
    return (
        session.facilitators.filter(pk=a.user_id).exists()
        or session.offer.facilitators.filter(pk=a.user_id).exists()
    )


def may_book(user: Any, session: Any) -> bool:
    """Who a session is open to: staff of the owning school; staff of a network's member
    schools; anyone with a staff record for a provider's course."""
    a = access(user)
    if not a.is_authenticated:
        return False
    offer = session.offer
    if offer.status != "published" or session.status != "scheduled":
        return False
    if offer.school_id:
        return offer.school_id in a.school_ids
    if offer.network_id:
        return offer.network_id in a.school_networks or offer.network_id in a.network_roles
    return bool(a.staff) or a.is_site_admin


def may_approve(user: Any, booking: Any) -> bool:
    """The CPD lead approves external courses with a cost; or the teacher's middle leader
    when the school says so."""
    a = access(user)
    if not a.is_authenticated or (booking.user_id == a.user_id and not a.is_site_admin):
        return False
    if a.is_site_admin:
        return True
    school_id = booking.school_id
    if school_id is None:
        return False
    if a.is_cpd_lead(school_id):
        return True
    School = _model("tenancy.School")
    approver = School.objects.filter(pk=school_id).values_list("approver", flat=True).first()
    if approver == "middle_leader":
        return TeamMembership.objects.filter(
            team_id__in=a.led_team_ids, staff__user_id=booking.user_id, staff__school_id=school_id
        ).exists()
    return False


def may_direct(user: Any, school_id: int | None, person_id: int) -> bool:
    """Leaders invite or direct colleagues: CPD leads, senior leaders and administrators
    for the whole school, middle leaders for their own teams."""
    a = access(user)
    if not a.is_authenticated or school_id is None:
        return False
    if a.is_site_admin:
        return True
    rec = a.record(school_id)
    if rec and (rec.is_cpd_lead or rec.is_senior_leader or rec.is_school_admin):
        return True
    return TeamMembership.objects.filter(
        team_id__in=a.led_team_ids, staff__user_id=person_id, staff__school_id=school_id
    ).exists()


def bookings(user: Any) -> QuerySet:
    """Bookings the person may read: their own; those on sessions they run or manage; and
    their school's when they are its CPD lead, administrator or senior leader, or their
    team's when they lead it."""
    Booking = _model("booking.Booking")
    a = access(user)
    if a.is_site_admin:
        return Booking.objects.all()
    if not a.is_authenticated:
        return Booking.objects.none()
    whole = [
        s
        for s in a.school_ids
        if a.is_cpd_lead(s)
        or a.is_school_admin(s)
        or (a.record(s) is not None and a.record(s).is_senior_leader)
    ]
    team_people = TeamMembership.objects.filter(team_id__in=a.led_team_ids).values("staff__user_id")
    Session = _model("offers.Session")
    run = Session.objects.filter(
        Q(facilitators=a.user_id)
        | Q(offer__facilitators=a.user_id)
        | Q(offer__provider_id=a.user_id)
        | Q(offer__network_id__in=a.led_network_ids)
        | Q(offer__school_id__in=whole)
    ).values("id")
    return Booking.objects.filter(
        Q(user_id=a.user_id)
        | Q(session_id__in=run)
        | Q(school_id__in=whole)
        | Q(user_id__in=team_people, school_id__in=a.led_team_schools)
    )


def may_create_offer(user: Any, *, school: Any = None, network: Any = None) -> bool:
    a = access(user)
    if not a.is_authenticated:
        return False
    if a.is_site_admin:
        return True
    if school is not None:
        return a.is_cpd_lead(school.pk) or a.is_school_admin(school.pk)
    if network is not None:
        return a.leads_network(network.pk)
    return bool(getattr(user, "provider_name", ""))


def directable_staff(user: Any) -> QuerySet[StaffMember]:
    """Current staff the person may invite or direct to a session (`may_direct` as a
    queryset): whole schools for CPD leads, senior leaders and administrators, their own
    teams for middle leaders, everyone for site administrators."""
    a = access(user)
    live = StaffMember.objects.filter(archived_at__isnull=True)
    if a.is_site_admin:
        return live
    if not a.is_authenticated:
        return live.none()
    whole = [
        s
        for s, rec in a.staff.items()
        if rec.is_cpd_lead or rec.is_senior_leader or rec.is_school_admin
    ]
    return live.filter(
        Q(school_id__in=whole)
        | Q(team_memberships__team_id__in=a.led_team_ids, school_id__in=a.led_team_schools)
    ).exclude(user_id=a.user_id)


def import_jobs(user: Any) -> QuerySet:
    """Roster imports the person may follow: their own, and those of the schools and
    networks they may import into (site administrators: all)."""
    ImportJob = _model("people.ImportJob")
    a = access(user)
    if a.is_site_admin:
        return ImportJob.objects.all()
    if not a.is_authenticated:
        return ImportJob.objects.none()
    schools = [s for s in a.school_ids if a.is_school_admin(s)]
    return ImportJob.objects.filter(
        Q(created_by_id=a.user_id) | Q(school_id__in=schools) | Q(network_id__in=a.led_network_ids)
    )
