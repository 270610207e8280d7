"""Re-importing the same export changes nothing; a changed row changes only itself."""

from __future__ import annotations

import pytest

from history.models import HistoryEntry
from people.roster import import_roster
from people.tests.rosterfiles import org, trust_export, user11
from tenancy.models import NetworkMembership, School, StaffMember, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lookups")]


def counts() -> tuple[int, ...]:
    return (
        School.objects.count(),
        User.objects.count(),
        StaffMember.objects.count(),
        NetworkMembership.objects.count(),
        HistoryEntry.objects.count(),
    )


def test_the_same_export_twice_writes_nothing_the_second_time(tmp_path):
    path = trust_export(tmp_path)
    import_roster(path)
    before = counts()
    summary = import_roster(path)
    assert summary.changes == 0
    assert counts() == before


def test_the_same_export_twice_runs_no_writes_at_all(tmp_path, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = trust_export(tmp_path)
    import_roster(path)
    with CaptureQueriesContext(connection) as ctx:
        import_roster(path)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_changed_name_updates_only_that_person(tmp_path):
    import_roster(trust_export(tmp_path / "a"))
    users = [
        user11("t1", "s1", "teacher", "ann.teacher@riverbend.example", "Annie", "Teacher"),
        user11("a1", "s1,s2", "administrator", "boss@riverbend.example", "Bo", "Boss"),
        user11("p1", "s1", "student", "", "Pupil", "One"),
        user11("t2", "s2", "teacher", "", "Cy", "Login", username="cy.login@riverbend.example"),
    ]
    history = HistoryEntry.objects.count()
    summary = import_roster(trust_export(tmp_path / "b", users=users))
    assert summary.changes == 1
    assert summary.updated["account"] == 1
    assert User.objects.get(email="ann.teacher@riverbend.example").full_name == "Annie Teacher"
    entry = HistoryEntry.objects.exclude(pk__lte=0).order_by("-id").first()
    assert HistoryEntry.objects.count() == history + 1
    assert entry.action == "account.updated"
    assert entry.changes == {"full_name": ["Ann Teacher", "Annie Teacher"]}


def test_a_disabled_user_is_archived_and_restored_when_enabled_again(tmp_path):
    import_roster(trust_export(tmp_path / "a"))
    gone = [
        user11(
            "t1",
            "s1",
            "teacher",
            "ann.teacher@riverbend.example",
            "Ann",
            "Teacher",
            enabledUser="false",
        )
    ]
    summary = import_roster(trust_export(tmp_path / "b", users=gone))
    assert summary.archived["staff"] == 1
    assert StaffMember.objects.get(source_id="t1").archived_at is not None
    back = [user11("t1", "s1", "teacher", "ann.teacher@riverbend.example", "Ann", "Teacher")]
    summary = import_roster(trust_export(tmp_path / "c", users=back))
    assert summary.updated["staff"] == 1
    assert StaffMember.objects.get(source_id="t1").archived_at is None


def test_a_changed_email_moves_with_the_sourced_id_not_a_new_account(tmp_path):
    import_roster(trust_export(tmp_path / "a"))
    moved = [user11("t1", "s1", "teacher", "ann.t@riverbend.example", "Ann", "Teacher")]
    import_roster(trust_export(tmp_path / "b", users=moved))
    staff = StaffMember.objects.get(source_id="t1")
    assert staff.user.email == "ann.t@riverbend.example"
    assert not User.objects.filter(email="ann.teacher@riverbend.example").exists()


def test_a_school_moving_to_another_district_leaves_the_old_trust(tmp_path):
    import_roster(trust_export(tmp_path / "a"))
    orgs = [
        org("d1", "Riverbend Trust", "district"),
        org("d2", "Lakeside Trust", "district"),
        org("s1", "Riverbend Primary", "school", "123456", "d2"),
        org("s2", "Riverbend Academy", "school", "123457", "d1"),
    ]
    summary = import_roster(trust_export(tmp_path / "b", orgs=orgs))
    current = NetworkMembership.objects.filter(school__urn="123456", left_on__isnull=True)
    assert [m.network.source_id for m in current] == ["d2"]
    assert summary.archived["membership"] == 1


def test_ids_and_emails_with_quotes_and_backslashes_are_matched_again(tmp_path):
    users = [
        user11('t"1\\{x}', "s1", "teacher", "o\\brien{1}@riverbend.example", "Ann", "O'Brien"),
        user11("t,2", "s2", "teacher", "cy}{login@riverbend.example", "Cy", "Login"),
    ]
    path = trust_export(tmp_path, users=users)
    first = import_roster(path)
    before = counts()
    again = import_roster(path)
    assert first.created["staff"] == 2
    assert again.changes == 0
    assert counts() == before
    staff = StaffMember.objects.get(source_id='t"1\\{x}')
    assert staff.user.email == "o\\brien{1}@riverbend.example"
