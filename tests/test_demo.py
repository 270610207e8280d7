"""`staffroom demo`: the fictional demo loads every role, signs everyone in, and loads once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Max

from history.models import HistoryEntry
from staffroom.demo_data import PASSWORD, ROLES
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

COUNTED = [User, School, Network, NetworkMembership, NetworkRole, Team, StaffMember]
COUNTED += [TeamMembership, Subject, HistoryEntry]


def run_demo() -> list[list[str]]:
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    return [line.split("\t") for line in out.getvalue().splitlines()]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_a_second_run_of_the_demo_changes_nothing():
    first_logins = run_demo()
    before = counts()
    last_history = HistoryEntry.objects.aggregate(top=Max("id"))["top"]
    passwords = dict(User.objects.values_list("email", "password"))

    assert run_demo() == first_logins
    assert counts() == before
    assert HistoryEntry.objects.aggregate(top=Max("id"))["top"] == last_history
    assert dict(User.objects.values_list("email", "password")) == passwords


@pytest.mark.django_db
def test_the_demo_prints_one_login_per_role_and_each_signs_in(client):
    logins = run_demo()

    assert [role for role, _, _ in logins] == ROLES
    assert len({email for _, email, _ in logins}) == len(ROLES)
    for _role, email, password in logins:
        assert password == PASSWORD
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")


@pytest.mark.django_db
def test_every_demo_user_shares_one_password_hash():
    run_demo()
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert User.objects.first().check_password(PASSWORD)


@pytest.mark.django_db
def test_the_demo_has_every_role_in_plausible_schools():
    logins = {role: email for role, email, _ in run_demo()}
    staff = StaffMember.objects.all()

    assert 10 <= School.objects.count() <= 14
    assert all(
        len(urn) == 6 and urn.isdigit() for urn in School.objects.values_list("urn", flat=True)
    )
    assert len(set(School.objects.values_list("phase", flat=True))) >= 6
    assert 350 <= staff.count() <= 450
    assert set(Network.objects.values_list("kind", flat=True)) == {"trust", "hub"}
    in_both = School.objects.filter(network_memberships__left_on__isnull=True).values("id")
    assert any(NetworkMembership.objects.filter(school_id=s["id"]).count() == 2 for s in in_both)
    for school in School.objects.all():
        assert staff.filter(school=school, is_school_admin=True).exists(), school
        assert staff.filter(school=school, is_cpd_lead=True).exists(), school
        assert TeamMembership.objects.filter(team__school=school, is_leader=True).exists()
    assert staff.filter(is_senior_leader=True, is_cpd_lead=False).exists()
    assert staff.filter(is_mentor=True).exists()
    assert staff.filter(is_facilitator=True).exists()
    assert staff.filter(fte__lt=1).count() >= 20
    for year in (1, 2):
        assert staff.filter(ect_year=year).exists()
    assert not staff.filter(ect_year__isnull=False, mentor__isnull=True).exists()
    assert Subject.objects.count() >= 10
    assert NetworkRole.objects.filter(role="lead").count() == 2
    assert NetworkRole.objects.filter(role="member").exists()
    assert User.objects.get(email=logins["site administrator"]).is_superuser
    provider = User.objects.get(email=logins["external provider"])
    assert provider.provider_name and not provider.staff_records.exists()
    assert all(email.split("@")[1].endswith(".example") for email in logins.values())


@pytest.mark.django_db
def test_the_printed_early_career_teacher_is_mentored_by_the_printed_mentor():
    logins = {role: email for role, email, _ in run_demo()}
    ect = StaffMember.objects.get(user__email=logins["early-career teacher"])
    assert ect.ect_year == 1
    assert ect.mentor.user.email == logins["mentor"]
    leader = StaffMember.objects.get(user__email=logins["middle leader"])
    assert leader.team_memberships.get(is_leader=True).team in ect.teams.all()
