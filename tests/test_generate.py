"""`staffroom generate`: the synthetic national dataset, the same rows for the same seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from staffroom.generate import EMAIL_SUFFIX, reset
from tenancy.factories import make_school, make_staff
from tenancy.models import NetworkMembership, School, StaffMember, Team, TeamMembership, User

SCALE = "0.002"  # 48 schools, 960 staff


def generate(seed: int = 7, *extra: str) -> None:
    call_command(
        "generate", "--seed", str(seed), "--scale", SCALE, "--no-progress", *extra,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


def fingerprint() -> tuple[list[str], list[str]]:
    urns = sorted(School.objects.values_list("urn", flat=True))
    emails = sorted(User.objects.values_list("email", flat=True))
    return urns, emails


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_schools_and_people_after_a_reset():
    generate(7)
    first = fingerprint()
    generate(7, "--reset")
    assert fingerprint() == first


@pytest.mark.django_db
def test_another_seed_gives_other_schools():
    generate(7)
    first = fingerprint()
    generate(8, "--reset")
    assert fingerprint()[0] != first[0]


@pytest.mark.django_db
def test_a_small_scale_is_a_small_but_complete_organisation_dataset():
    generate(7)

    assert School.objects.count() == 48
    assert StaffMember.objects.count() == 960
    assert all(len(u) == 6 and u.isdigit() for u in School.objects.values_list("urn", flat=True))
    per_school = NetworkMembership.objects.values("school").annotate(n=Count("id"))
    assert {row["n"] for row in per_school} <= {1, 2} and len(per_school) == 48
    leaders = TeamMembership.objects.filter(is_leader=True).values("team").annotate(n=Count("id"))
    assert len(leaders) == Team.objects.count() and {row["n"] for row in leaders} == {1}
    assert 5 <= Team.objects.count() / 48 <= 10
    for school in School.objects.all():
        assert school.staff.filter(is_cpd_lead=True).count() == 1
        assert school.staff.filter(is_school_admin=True).count() == 1
    assert not StaffMember.objects.filter(ect_year__isnull=False, mentor__isnull=True).exists()
    assert StaffMember.objects.filter(fte__lt=1).exists()
    assert all(e.endswith(EMAIL_SUFFIX) for e in User.objects.values_list("email", flat=True))


@pytest.mark.django_db
def test_a_second_run_without_reset_is_refused():
    generate(7)
    with pytest.raises(CommandError, match="--reset"):
        generate(7)


@pytest.mark.django_db
def test_reset_removes_generated_rows_and_keeps_everything_else():
    school = make_school("Real School", urn="100001")
    person = make_staff(school, email="real@school.example")
    generate(7)
    generated = StaffMember.objects.exclude(pk=person.pk)
    # Links both ways between real and generated people.
    generated.filter(pk=generated.first().pk).update(mentor=person)
    StaffMember.objects.filter(pk=person.pk).update(mentor=generated.last())

    removed = reset()

    assert removed["tenancy.School"] == 48
    assert list(School.objects.all()) == [school]
    assert list(StaffMember.objects.all()) == [person]
    person.refresh_from_db()
    assert person.mentor is None
    assert list(User.objects.all()) == [person.user]
    assert not Team.objects.exists() and not NetworkMembership.objects.exists()


@pytest.mark.django_db
def test_ids_continue_after_generated_rows():
    generate(7)
    top = School.objects.order_by("-pk").first().pk
    assert make_school("After", urn="100002").pk > top
