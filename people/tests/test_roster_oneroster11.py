"""OneRoster 1.1: districts become trusts, schools join them, teachers and administrators
become staff, pupils are ignored."""

from __future__ import annotations

import pytest

from history.models import HistoryEntry
from people.roster import import_roster
from people.tests.rosterfiles import org, trust_export, user11
from tenancy.models import Network, NetworkMembership, NetworkRole, School, StaffMember, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lookups")]


def test_a_district_becomes_a_trust_and_its_schools_join_it(tmp_path):
    import_roster(trust_export(tmp_path))
    trust = Network.objects.get(source_id="d1")
    assert trust.name == "Riverbend Trust"
    assert trust.kind == Network.Kind.TRUST
    primary = School.objects.get(urn="123456")
    assert primary.name == "Riverbend Primary"
    assert primary.source_id == "s1"
    members = set(
        NetworkMembership.objects.filter(network=trust, left_on__isnull=True).values_list(
            "school__urn", flat=True
        )
    )
    assert members == {"123456", "123457"}


def test_teachers_and_administrators_become_staff_and_pupils_are_ignored(tmp_path):
    summary = import_roster(trust_export(tmp_path))
    teacher = StaffMember.objects.get(source_id="t1")
    assert teacher.user.email == "ann.teacher@riverbend.example"
    assert teacher.user.full_name == "Ann Teacher"
    assert teacher.is_teacher and not teacher.is_school_admin
    admin_records = StaffMember.objects.filter(source_id="a1")
    assert {s.school.urn for s in admin_records} == {"123456", "123457"}
    assert all(s.is_school_admin and not s.is_teacher for s in admin_records)
    assert not StaffMember.objects.filter(source_id="p1").exists()
    assert summary.created["staff"] == 4
    assert summary.created["account"] == 3


def test_a_username_that_is_an_email_stands_in_for_a_blank_email(tmp_path):
    import_roster(trust_export(tmp_path))
    assert StaffMember.objects.get(source_id="t2").user.email == "cy.login@riverbend.example"


def test_a_disabled_user_is_imported_archived(tmp_path):
    users = [
        user11("t1", "s1", "teacher", "gone@riverbend.example", enabledUser="false"),
        user11("t2", "s1", "teacher", "bye@riverbend.example", status="tobedeleted"),
    ]
    import_roster(trust_export(tmp_path, users=users))
    assert StaffMember.objects.get(source_id="t1").archived_at is not None
    assert StaffMember.objects.get(source_id="t2").archived_at is not None


def test_an_administrator_of_the_district_becomes_its_network_lead(tmp_path):
    users = [user11("x1", "d1", "administrator", "ceo@riverbend.example")]
    import_roster(trust_export(tmp_path, users=users))
    role = NetworkRole.objects.get(user__email="ceo@riverbend.example")
    assert role.role == NetworkRole.Role.LEAD
    assert role.network.source_id == "d1"


def test_a_zip_with_files_at_its_root_imports_like_a_folder(tmp_path):
    import_roster(trust_export(tmp_path, as_zip=True))
    assert School.objects.filter(source_id__in=["s1", "s2"]).count() == 2
    assert StaffMember.objects.count() == 4


def test_an_existing_school_with_the_same_urn_is_adopted_not_duplicated(tmp_path, world):
    orgs = [org("s9", "Riverside Primary (MIS)", "school", world.school.urn)]
    users = [user11("t9", "s9", "teacher", "teacher@riverside.example")]
    import_roster(trust_export(tmp_path, orgs=orgs, users=users))
    world.school.refresh_from_db()
    assert world.school.source_id == "s9"
    assert world.school.name == "Riverside Primary (MIS)"
    staff = StaffMember.objects.get(user__email="teacher@riverside.example", school=world.school)
    assert staff.pk == world.staff["teacher"].pk
    assert staff.source_id == "t9"
    assert User.objects.filter(email="teacher@riverside.example").count() == 1


def test_every_created_record_has_a_history_row_naming_the_importer(tmp_path, world):
    actor = world.people["site_admin"]
    summary = import_roster(trust_export(tmp_path), actor=actor)
    entries = HistoryEntry.objects.filter(note="Roster import")
    # A new account is told in its first staff record's row, not a row of its own.
    assert entries.count() == summary.changes - summary.created["account"]
    assert set(entries.values_list("actor_id", flat=True)) == {actor.pk}
    assert entries.filter(action="staff.created", subject_type="tenancy.staffmember").count() == 4
    accounts = [e.changes["account"]["id"] for e in entries if "account" in e.changes]
    created = User.objects.filter(staff_records__source_id__in=["t1", "a1", "t2"]).distinct()
    assert sorted(accounts) == sorted(created.values_list("pk", flat=True))


def test_a_new_teacher_has_one_history_row_for_account_and_staff_record(tmp_path):
    import_roster(trust_export(tmp_path))
    teacher = StaffMember.objects.get(source_id="t1")
    [entry] = HistoryEntry.objects.filter(
        subject_type="tenancy.staffmember", subject_id=str(teacher.pk)
    )
    assert entry.action == "staff.created"
    assert entry.school_id == teacher.school_id
    assert entry.changes == {
        "source_id": "t1",
        "is_teacher": True,
        "is_school_admin": False,
        "archived": False,
        "account": {
            "id": teacher.user_id,
            "email": "ann.teacher@riverbend.example",
            "full_name": "Ann Teacher",
        },
    }
    assert not HistoryEntry.objects.filter(subject_type="tenancy.user").exists()


def test_an_administrator_of_two_schools_has_the_account_in_one_row_only(tmp_path):
    import_roster(trust_export(tmp_path))
    records = StaffMember.objects.filter(source_id="a1")
    entries = HistoryEntry.objects.filter(
        action="staff.created", subject_id__in=[str(s.pk) for s in records]
    )
    assert entries.count() == 2
    assert [e.changes["account"]["email"] for e in entries if "account" in e.changes] == [
        "boss@riverbend.example"
    ]


def test_a_new_network_lead_without_a_school_has_an_account_row(tmp_path):
    users = [user11("x1", "d1", "administrator", "ceo@riverbend.example", "Cee", "Oh")]
    import_roster(trust_export(tmp_path, users=users))
    ceo = User.objects.get(email="ceo@riverbend.example")
    entry = HistoryEntry.objects.get(subject_type="tenancy.user", subject_id=str(ceo.pk))
    assert entry.action == "account.created"
    assert entry.changes == {"email": "ceo@riverbend.example", "full_name": "Cee Oh"}


def test_a_dry_run_counts_the_changes_and_writes_nothing(tmp_path):
    summary = import_roster(trust_export(tmp_path), dry_run=True)
    assert summary.dry_run
    assert summary.created["school"] == 2
    assert summary.created["staff"] == 4
    assert not School.objects.exists()
    assert not User.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_progress_is_reported_up_to_the_total(tmp_path):
    seen = []
    import_roster(trust_export(tmp_path), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7, 7)
