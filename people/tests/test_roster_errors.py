"""Bad input is refused whole: every error names file, line and column, nothing is written."""

from __future__ import annotations

import pytest

from history.models import HistoryEntry
from people.roster import RosterError, import_roster
from people.tests.rosterfiles import (
    ORGS_HEADER,
    USERS_11_HEADER,
    csv_text,
    org,
    role12,
    template_csv,
    trust_export,
    user11,
    user12,
    write_export,
)
from tenancy.models import Network, School, StaffMember, User

pytestmark = pytest.mark.django_db


def refused(path, **kwargs) -> list[tuple]:
    """Import, expect refusal, check nothing was written, return (file, line, column)s."""
    networks, schools, users = Network.objects.count(), School.objects.count(), User.objects.count()
    with pytest.raises(RosterError) as caught:
        import_roster(path, **kwargs)
    assert Network.objects.count() == networks
    assert School.objects.count() == schools
    assert User.objects.count() == users
    assert not StaffMember.objects.filter(source_id__isnull=False).exists()
    assert not HistoryEntry.objects.exists()
    return [(e.file, e.line, e.column) for e in caught.value.errors]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_that_fails(tmp_path):
    body = csv_text(ORGS_HEADER, [org("s1", "Ecole", "school", "123456")]).encode()
    body += "s2,,,Caf\u00e9 School,school,123457,\r\n".encode("latin-1")
    path = trust_export(tmp_path, overrides={"orgs.csv": body})
    assert ("orgs.csv", 3, "") in refused(path)


def test_a_byte_order_mark_is_allowed(tmp_path):
    users = csv_text(USERS_11_HEADER, [user11("t1", "s1", "teacher", "bom@riverbend.example")])
    path = trust_export(tmp_path, overrides={"users.csv": "\ufeff" + users})
    import_roster(path)
    assert StaffMember.objects.filter(source_id="t1").exists()


def test_a_missing_required_column_is_reported_on_line_one(tmp_path):
    header = USERS_11_HEADER.replace("enabledUser,", "")
    body = csv_text(header, [user11("t1", "s1", "teacher", "a@b.example")])
    path = trust_export(tmp_path, overrides={"users.csv": body})
    assert refused(path) == [("users.csv", 1, "enabledUser")]


def test_a_misspelt_column_is_reported_by_its_name(tmp_path):
    header = ORGS_HEADER.replace("sourcedId", "sourcedID", 1)
    body = csv_text(header, [])
    errors = refused(trust_export(tmp_path, overrides={"orgs.csv": body}))
    assert ("orgs.csv", 1, "sourcedID") in errors
    assert ("orgs.csv", 1, "sourcedId") in errors


def test_duplicate_sourced_ids_are_refused(tmp_path):
    users = [
        user11("t1", "s1", "teacher", "one@riverbend.example"),
        user11("t1", "s1", "teacher", "two@riverbend.example"),
    ]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 3, "sourcedId")]


def test_an_unknown_org_reference_is_refused(tmp_path):
    users = [user11("t1", "s1,s404", "teacher", "one@riverbend.example")]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 2, "orgSourcedIds")]


def test_an_unknown_parent_org_is_refused(tmp_path):
    orgs = [org("s1", "Orphan School", "school", "123456", "d404")]
    assert refused(trust_export(tmp_path, orgs=orgs, users=[])) == [
        ("orgs.csv", 2, "parentSourcedId")
    ]


def test_a_role_for_an_unknown_user_is_refused(tmp_path):
    orgs = [org("s1", "School", "school", "123456")]
    path = write_export(
        tmp_path,
        version="1.2",
        orgs=orgs,
        users=[user12("u1", "a@b.example")],
        roles=[role12("r1", "u404", "teacher", "s1")],
    )
    assert refused(path) == [("roles.csv", 2, "userSourcedId")]


def test_a_date_last_modified_that_is_not_iso_8601_is_refused(tmp_path):
    users = [user11("t1", "s1", "teacher", "one@riverbend.example", dateLastModified="01/09/2024")]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 2, "dateLastModified")]


def test_a_role_end_date_that_is_not_a_date_is_refused(tmp_path):
    path = write_export(
        tmp_path,
        version="1.2",
        orgs=[org("s1", "School", "school", "123456")],
        users=[user12("u1", "a@b.example")],
        roles=[role12("r1", "u1", "teacher", "s1", endDate="2024-13-01")],
    )
    assert refused(path) == [("roles.csv", 2, "endDate")]


def test_enabled_user_must_be_true_or_false(tmp_path):
    users = [user11("t1", "s1", "teacher", "one@riverbend.example", enabledUser="yes")]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 2, "enabledUser")]


def test_an_unknown_role_is_refused(tmp_path):
    users = [user11("t1", "s1", "headteacher", "one@riverbend.example")]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 2, "role")]


def test_a_school_whose_identifier_is_not_a_six_digit_urn_is_refused(tmp_path):
    orgs = [org("s1", "School", "school", "12345X")]
    assert refused(trust_export(tmp_path, orgs=orgs, users=[])) == [("orgs.csv", 2, "identifier")]


def test_a_teacher_without_any_email_is_refused(tmp_path):
    users = [user11("t1", "s1", "teacher", "", username="jsmith")]
    assert refused(trust_export(tmp_path, users=users)) == [("users.csv", 2, "email")]


def test_every_error_in_the_file_is_reported_not_just_the_first(tmp_path):
    users = [
        user11("t1", "s1", "teacher", "one@riverbend.example", enabledUser="maybe"),
        user11("t2", "s9", "teacher", "two@riverbend.example"),
        user11("t3", "s1", "teacher", "three@riverbend.example", dateLastModified="yesterday"),
    ]
    assert refused(trust_export(tmp_path, users=users)) == [
        ("users.csv", 2, "enabledUser"),
        ("users.csv", 3, "orgSourcedIds"),
        ("users.csv", 4, "dateLastModified"),
    ]


def test_a_manifest_with_another_version_is_refused(tmp_path):
    body = "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.0\r\n"
    path = trust_export(tmp_path, overrides={"manifest.csv": body})
    assert refused(path) == [("manifest.csv", 3, "value")]


def test_a_row_with_too_few_fields_is_refused(tmp_path):
    body = csv_text(ORGS_HEADER, []) + "s1,,,Short,school\r\n"
    path = trust_export(tmp_path, users=[], overrides={"orgs.csv": body})
    assert refused(path) == [("orgs.csv", 2, "")]


def test_a_template_with_a_bad_fte_and_urn_is_refused(tmp_path, world):
    path = template_csv(
        tmp_path,
        [
            {
                "email": "new@riverside.example",
                "full_name": "New",
                "school_urn": "100001",
                "fte": "1.5",
            },
            {"email": "x@riverside.example", "full_name": "X", "school_urn": "10001"},
            {
                "email": "y@riverside.example",
                "full_name": "Y",
                "school_urn": "100001",
                "roles": "teacher;boss",
            },
        ],
    )
    before = StaffMember.objects.count()
    with pytest.raises(RosterError) as caught:
        import_roster(path)
    assert [(e.line, e.column) for e in caught.value.errors] == [
        (2, "fte"),
        (3, "school_urn"),
        (4, "roles"),
    ]
    assert StaffMember.objects.count() == before
    assert not User.objects.filter(email="new@riverside.example").exists()
