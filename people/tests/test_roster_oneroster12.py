"""OneRoster 1.2: roles come from roles.csv; principals and site administrators become
school administrators, district administrators network leads, aides are ignored."""

from __future__ import annotations

import pytest

from people.roster import import_roster
from people.tests.rosterfiles import USERS_12_HEADER, csv_text, org, role12, user12, write_export
from tenancy.models import NetworkRole, StaffMember, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lookups")]

ORGS = [
    org("d1", "Northern Trust", "district"),
    org("s1", "North Primary", "school", "223344", "d1"),
    org("s2", "North Academy", "school", "223345", "d1"),
]


def export(tmp_path, users, roles, **kwargs):
    return write_export(tmp_path, version="1.2", orgs=ORGS, users=users, roles=roles, **kwargs)


def test_a_teacher_with_a_role_at_a_school_becomes_staff_there(tmp_path):
    users = [user12("u1", "ted@north.example", "Edward", "Teach", preferredGivenName="Ted")]
    roles = [role12("r1", "u1", "teacher", "s1")]
    import_roster(export(tmp_path, users, roles))
    staff = StaffMember.objects.get(source_id="u1")
    assert staff.school.urn == "223344"
    assert staff.is_teacher and not staff.is_school_admin
    assert staff.user.full_name == "Ted Teach"


@pytest.mark.parametrize("role", ["principal", "siteAdministrator", "administrator"])
def test_principals_and_site_administrators_become_school_administrators(tmp_path, role):
    users = [user12("u1", "head@north.example")]
    import_roster(export(tmp_path, users, [role12("r1", "u1", role, "s2")]))
    staff = StaffMember.objects.get(source_id="u1")
    assert staff.is_school_admin
    assert staff.school.urn == "223345"


def test_a_teacher_who_is_also_an_administrator_is_both_in_one_record(tmp_path):
    users = [user12("u1", "both@north.example")]
    roles = [
        role12("r1", "u1", "teacher", "s1"),
        role12("r2", "u1", "administrator", "s1", role_type="secondary"),
    ]
    import_roster(export(tmp_path, users, roles))
    staff = StaffMember.objects.get(source_id="u1")
    assert staff.is_teacher and staff.is_school_admin


def test_a_district_administrator_leads_the_trust(tmp_path):
    users = [user12("u1", "ceo@north.example")]
    import_roster(export(tmp_path, users, [role12("r1", "u1", "districtAdministrator", "d1")]))
    role = NetworkRole.objects.get(user__email="ceo@north.example")
    assert role.role == NetworkRole.Role.LEAD
    assert role.network.source_id == "d1"
    assert not StaffMember.objects.exists()


def test_aides_students_and_guardians_are_ignored(tmp_path):
    users = [
        user12("u1", "aide@north.example"),
        user12("u2", ""),
        user12("u3", "mum@home.example"),
    ]
    roles = [
        role12("r1", "u1", "aide", "s1"),
        role12("r2", "u2", "student", "s1"),
        role12("r3", "u3", "guardian", "s1"),
    ]
    summary = import_roster(export(tmp_path, users, roles))
    assert not User.objects.exists()
    assert (
        summary.changes
        == summary.created["network"] + summary.created["school"] + summary.created["membership"]
    )


def test_a_role_marked_tobedeleted_archives_the_staff_record(tmp_path):
    users = [user12("u1", "leaving@north.example")]
    roles = [role12("r1", "u1", "teacher", "s1", status="tobedeleted")]
    import_roster(export(tmp_path, users, roles))
    assert StaffMember.objects.get(source_id="u1").archived_at is not None


def test_a_users_file_without_the_optional_resource_column_is_accepted(tmp_path):
    header = USERS_12_HEADER.replace("resourceSourcedIds,", "")
    users = [user12("u1", "lean@north.example")]
    body = csv_text(header, users)
    path = export(
        tmp_path, users, [role12("r1", "u1", "teacher", "s1")], overrides={"users.csv": body}
    )
    import_roster(path)
    assert StaffMember.objects.filter(source_id="u1").exists()
