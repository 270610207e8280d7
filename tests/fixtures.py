"""Shared test set-up: personas for every role inside one school and network, and one
school outside them (the "elsewhere" school), built by factories rather than a fixture dump."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


@dataclass
class World:
    network: object
    school: object
    sister: object
    elsewhere_network: object
    elsewhere: object
    team: object
    people: dict
    staff: dict


@pytest.fixture
def world(db):
    """One trust with two schools, and an unrelated school in another network."""
    from offers.tags import ensure_shared_tags
    from tenancy.factories import (
        make_network,
        make_network_role,
        make_school,
        make_staff,
        make_team,
        make_user,
    )

    # A transactional test elsewhere on this worker may have flushed the migration's tags.
    ensure_shared_tags()
    network = make_network("Riverside Learning Trust", kind="trust")
    school = make_school("Riverside Primary", network=network, phase="primary", urn="100001")
    sister = make_school("Hillside Academy", network=network, phase="secondary", urn="100002")
    other_net = make_network("Faraway Hub", kind="hub")
    elsewhere = make_school("Faraway School", network=other_net, urn="100003")
    team = make_team(school, "Maths")

    staff = {}
    staff["school_admin"] = make_staff(
        school, email="admin@riverside.example", is_school_admin=True, is_teacher=False
    )
    staff["cpd_lead"] = make_staff(
        school, email="cpd@riverside.example", is_cpd_lead=True, career_stage="senior_leader"
    )
    staff["middle_leader"] = make_staff(
        school, email="maths.lead@riverside.example", leads=team, career_stage="middle_leader"
    )
    staff["mentor"] = make_staff(
        school, email="mentor@riverside.example", is_mentor=True, teams=(team,)
    )
    staff["ect"] = make_staff(
        school,
        email="ect@riverside.example",
        ect_year=1,
        career_stage="ect",
        mentor=staff["mentor"],
        teams=(team,),
    )
    staff["teacher"] = make_staff(school, email="teacher@riverside.example", teams=(team,))
    staff["facilitator"] = make_staff(
        school, email="facilitator@riverside.example", is_facilitator=True
    )
    staff["sister_teacher"] = make_staff(sister, email="teacher@hillside.example")
    staff["outsider"] = make_staff(elsewhere, email="teacher@faraway.example")
    staff["outsider_admin"] = make_staff(
        elsewhere, email="admin@faraway.example", is_school_admin=True, is_cpd_lead=True
    )
    people = {role: s.user for role, s in staff.items()}
    people["network_lead"] = make_user("lead@trust.example")
    make_network_role(network, people["network_lead"], "lead")
    people["network_member"] = make_user("member@trust.example")
    make_network_role(network, people["network_member"], "member")
    people["provider"] = make_user("provider@courses.example", provider_name="Courses Ltd")
    people["site_admin"] = make_user("root@staffroom.example", is_superuser=True, is_staff=True)
    return World(
        network=network,
        school=school,
        sister=sister,
        elsewhere_network=other_net,
        elsewhere=elsewhere,
        team=team,
        people=people,
        staff=staff,
    )


@pytest.fixture
def client_for(client):
    """Sign a test client in as a person (no password round trip)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
