"""Adding, changing and archiving staff; teams and their middle leaders."""

import pytest

from history.models import HistoryEntry
from people import services
from tenancy import gate
from tenancy.errors import Conflict, DomainError
from tenancy.models import StaffMember, TeamMembership, User

pytestmark = pytest.mark.django_db


def test_adding_staff_creates_their_account_once_across_schools(world):
    admin = world.people["school_admin"]
    staff = services.add_staff(
        admin,
        world.school,
        email="New.Person@Riverside.example",
        full_name="New Person",
        subjects=["Science"],
    )
    assert staff.user.email == "new.person@riverside.example"
    assert [s.name for s in staff.subjects.all()] == ["Science"]
    services.add_staff(None, world.sister, email="new.person@riverside.example")
    assert User.objects.filter(email="new.person@riverside.example").count() == 1
    assert StaffMember.objects.filter(user=staff.user).count() == 2


def test_adding_someone_already_on_the_staff_is_refused(world):
    with pytest.raises(Conflict):
        services.add_staff(None, world.school, email="teacher@riverside.example")


def test_an_early_careers_mentor_must_work_at_the_same_school(world):
    with pytest.raises(DomainError) as excinfo:
        services.add_staff(
            None,
            world.school,
            email="ect2@riverside.example",
            ect_year=1,
            mentor=world.staff["outsider"],
        )
    assert excinfo.value.field == "mentor"


def test_an_ect_defaults_to_the_early_career_stage(world):
    staff = services.add_staff(None, world.school, email="ect2@riverside.example", ect_year=2)
    assert staff.career_stage == StaffMember.CareerStage.ECT


def test_directed_time_is_1265_hours_pro_rata_unless_set(world):
    part_time = services.add_staff(None, world.school, email="pt@riverside.example", fte="0.6")
    assert part_time.allowance_hours == pytest.approx(759)
    services.update_staff(None, part_time, directed_hours="700")
    part_time.refresh_from_db()
    assert part_time.allowance_hours == 700


def test_an_fte_above_one_is_refused_and_nothing_changes(world):
    teacher = world.staff["teacher"]
    with pytest.raises(DomainError) as excinfo:
        services.update_staff(None, teacher, fte="1.5")
    assert excinfo.value.field == "fte"
    teacher.refresh_from_db()
    assert teacher.fte == 1


def test_changes_to_staff_are_recorded_with_old_and_new_values(world):
    admin = world.people["school_admin"]
    services.update_staff(admin, world.staff["teacher"], job_title="Head of year 3")
    entry = HistoryEntry.objects.filter(action="staff.updated").latest("at")
    assert entry.actor == admin
    assert entry.changes["job_title"] == ["", "Head of year 3"]


def test_saving_without_changes_records_nothing(world):
    before = HistoryEntry.objects.count()
    services.update_staff(None, world.staff["teacher"], job_title="")
    assert HistoryEntry.objects.count() == before


def test_ending_induction_drops_the_early_career_role(world):
    ect = services.update_staff(None, world.staff["ect"], ect_year=None)
    assert ect.ect_year is None
    assert ect.career_stage == StaffMember.CareerStage.EARLY


def test_leading_a_team_makes_a_middle_leader_who_reads_the_directory(world):
    teacher = world.staff["teacher"]
    services.update_staff(None, teacher, led_teams=[world.team])
    user = User.objects.get(pk=teacher.user_id)
    assert "Middle leader" in StaffMember.objects.get(pk=teacher.pk).role_names()
    assert gate.can(user, "school.view_directory", world.school)


def test_sending_only_led_teams_keeps_the_other_team_memberships(world):
    science = services.create_team(None, world.school, name="Science")
    teacher = world.staff["teacher"]
    services.update_staff(None, teacher, led_teams=[science])
    teams = set(TeamMembership.objects.filter(staff=teacher).values_list("team__name", flat=True))
    assert teams == {"Maths", "Science"}


def test_archiving_a_leaver_clears_them_as_mentor_and_can_be_undone(world):
    mentor = world.staff["mentor"]
    services.archive_staff(world.people["school_admin"], mentor)
    assert StaffMember.objects.get(pk=world.staff["ect"].pk).mentor is None
    services.restore_staff(world.people["school_admin"], mentor)
    assert StaffMember.objects.get(pk=mentor.pk).archived_at is None


def test_the_only_school_administrator_cannot_archive_themselves(world):
    admin = world.staff["school_admin"]
    with pytest.raises(DomainError):
        services.archive_staff(admin.user, admin)


def test_team_names_are_unique_within_a_school(world):
    with pytest.raises(Conflict):
        services.create_team(None, world.school, name="maths")
    services.create_team(None, world.sister, name="Maths")


def test_a_teams_leaders_can_be_replaced(world):
    new_lead = world.staff["teacher"]
    services.update_team(None, world.team, leaders=[new_lead])
    leaders = set(world.team.memberships.filter(is_leader=True).values_list("staff_id", flat=True))
    assert leaders == {new_lead.pk}


def test_a_person_updates_their_own_subjects_and_career_stage_but_not_roles(world):
    teacher = world.staff["teacher"]
    services.update_profile(
        teacher.user,
        full_name="Tess Teacher",
        records={
            teacher.pk: {
                "subjects": ["Maths", "Computing"],
                "career_stage": "early",
                "is_school_admin": True,
            },
        },
    )
    teacher.refresh_from_db()
    assert teacher.user.full_name == "Tess Teacher"
    assert sorted(s.name for s in teacher.subjects.all()) == ["Computing", "Maths"]
    assert teacher.career_stage == "early"
    assert not teacher.is_school_admin


def test_a_token_is_shown_once_and_stored_only_as_a_hash(world):
    token, raw = services.create_token(world.people["teacher"], "My script")
    assert raw.startswith("sr_")
    assert raw not in token.key_hash
    services.revoke_token(world.people["teacher"], token)
    token.refresh_from_db()
    assert token.revoked_at is not None
