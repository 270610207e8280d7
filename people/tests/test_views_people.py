"""The people pages: directory, staff administration, teams, profile and tokens."""

import pytest

from tenancy.models import StaffMember, Team, User

pytestmark = pytest.mark.django_db


def test_the_directory_filters_by_role_and_answers_htmx_with_only_the_results(client, world):
    client.force_login(world.people["cpd_lead"])
    page = client.get("/people/directory/?role=ect")
    assert b"Staff directory" in page.content
    assert b"ect@riverside.example" in page.content
    assert b"teacher@riverside.example" not in page.content
    fragment = client.get("/people/directory/?q=mentor", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"mentor@riverside.example" in fragment.content


def test_the_directory_lists_no_one_from_another_school(client, world):
    client.force_login(world.people["cpd_lead"])
    page = client.get(f"/people/directory/?school={world.elsewhere.pk}")
    assert b"faraway.example" not in page.content


def test_a_school_administrator_adds_a_member_of_staff(client, world):
    client.force_login(world.people["school_admin"])
    response = client.post(
        f"/people/schools/{world.school.pk}/staff/new/",
        {
            "email": "newbie@riverside.example",
            "full_name": "Nia Newbie",
            "is_teacher": "on",
            "ect_year": "1",
            "mentor": world.staff["mentor"].pk,
            "career_stage": "ect",
            "fte": "1",
            "teams": [world.team.pk],
            "subjects": "Maths, Science",
        },
    )
    assert response.status_code == 302
    staff = StaffMember.objects.get(user__email="newbie@riverside.example")
    assert staff.mentor == world.staff["mentor"]
    assert staff.teams.get() == world.team


def test_bad_staff_input_is_shown_on_the_form_and_changes_nothing(client, world):
    client.force_login(world.people["school_admin"])
    before = User.objects.count()
    response = client.post(
        f"/people/schools/{world.school.pk}/staff/new/",
        {
            "email": "not an email",
            "full_name": "",
            "career_stage": "ect",
            "fte": "7",
        },
    )
    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert User.objects.count() == before


def test_adding_someone_already_on_the_staff_explains_why(client, world):
    client.force_login(world.people["school_admin"])
    response = client.post(
        f"/people/schools/{world.school.pk}/staff/new/",
        {
            "email": "teacher@riverside.example",
            "full_name": "Dup",
            "career_stage": "experienced",
            "fte": "1",
        },
    )
    assert b"already on the staff" in response.content


def test_archiving_a_leaver_from_their_page(client, world):
    client.force_login(world.people["school_admin"])
    client.post(f"/people/staff/{world.staff['teacher'].pk}/archive/")
    assert StaffMember.objects.get(pk=world.staff["teacher"].pk).archived_at is not None


def test_a_school_administrator_creates_a_team_with_a_middle_leader(client, world):
    client.force_login(world.people["school_admin"])
    client.post(
        f"/people/schools/{world.school.pk}/teams/",
        {
            "name": "English",
            "kind": "department",
            "leaders": [world.staff["teacher"].pk],
        },
    )
    team = Team.objects.get(school=world.school, name="English")
    assert team.memberships.get().is_leader


def test_a_teacher_updates_their_subjects_on_their_profile(client, world):
    teacher = world.staff["teacher"]
    client.force_login(teacher.user)
    client.post(
        "/people/profile/",
        {
            "full_name": "Tess Teacher",
            f"r{teacher.pk}-subjects": "Maths, Art",
            f"r{teacher.pk}-career_stage": "experienced",
            f"r{teacher.pk}-phase": "primary",
        },
    )
    teacher.refresh_from_db()
    assert sorted(s.name for s in teacher.subjects.all()) == ["Art", "Maths"]
    assert teacher.phase == "primary"


def test_a_new_token_is_shown_once(client, world):
    client.force_login(world.people["teacher"])
    made = client.post("/people/tokens/", {"name": "Spreadsheet"})
    assert b"Copy it now" in made.content
    again = client.get("/people/tokens/")
    assert b"Copy it now" not in again.content
    assert b"Spreadsheet" in again.content


def test_each_role_sees_next_steps_on_the_home_page(client, world):
    client.force_login(world.people["school_admin"])
    assert b"Add a member of staff" in client.get("/").content
    client.force_login(world.people["ect"])
    assert b"Your mentor is" in client.get("/").content
    client.force_login(world.people["mentor"])
    assert b"You mentor" in client.get("/").content
    client.force_login(world.people["network_lead"])
    assert b"Network lead" in client.get("/").content
    client.force_login(world.people["provider"])
    assert b"Courses Ltd" in client.get("/").content
