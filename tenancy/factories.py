"""Small factories for tests, the demo and benchmarks: real rows through real models."""

from __future__ import annotations

import itertools
from typing import Any

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

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(email: str | None = None, *, password: str | None = PASSWORD, **extra: Any) -> User:
    n = next(_seq)
    email = email or f"person{n}@example.org"
    extra.setdefault("full_name", email.split("@")[0].replace(".", " ").title())
    return User.objects.create_user(email=email, password=password, **extra)


def make_network(name: str | None = None, **extra: Any) -> Network:
    return Network.objects.create(name=name or f"Network {next(_seq)}", **extra)


def make_school(name: str | None = None, *, network: Network | None = None, **extra: Any) -> School:
    n = next(_seq)
    extra.setdefault("urn", f"{(100000 + n * 7919) % 900000 + 100000:06d}")
    while School.objects.filter(urn=extra["urn"]).exists():
        extra["urn"] = f"{(int(extra['urn']) + 1 - 100000) % 900000 + 100000:06d}"
    school = School.objects.create(name=name or f"School {n}", **extra)
    if network is not None:
        NetworkMembership.objects.create(network=network, school=school)
    return school


def make_staff(
    school: School,
    user: User | None = None,
    *,
    email: str | None = None,
    leads: Team | None = None,
    teams: tuple[Team, ...] = (),
    **extra: Any,
) -> StaffMember:
    user = user or make_user(email)
    staff = StaffMember.objects.create(user=user, school=school, **extra)
    for team in teams:
        TeamMembership.objects.create(team=team, staff=staff)
    if leads is not None:
        TeamMembership.objects.update_or_create(
            team=leads, staff=staff, defaults={"is_leader": True}
        )
    return staff


def make_team(school: School, name: str | None = None, **extra: Any) -> Team:
    return Team.objects.create(school=school, name=name or f"Team {next(_seq)}", **extra)


def make_network_role(
    network: Network, user: User | None = None, role: str = "lead"
) -> NetworkRole:
    return NetworkRole.objects.create(network=network, user=user or make_user(), role=role)
