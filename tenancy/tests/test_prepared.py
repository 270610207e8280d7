"""Prepared querysets give exactly what the ORM gives, for less work per call."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from history.models import HistoryEntry
from history.services import entry
from tenancy.models import ApiToken, StaffMember
from tenancy.prepared import Prepared, insert_values

pytestmark = pytest.mark.django_db

records = Prepared(
    lambda user_id: (
        StaffMember.objects.filter(user_id=user_id, archived_at__isnull=True)
        .select_related("school")
        .order_by("school_id")
    ),
    int,
)


def test_a_prepared_queryset_returns_what_the_orm_returns_with_related_rows(world):
    teacher = world.people["teacher"]
    orm = list(
        StaffMember.objects.filter(user_id=teacher.pk, archived_at__isnull=True)
        .select_related("school")
        .order_by("school_id")
    )
    with CaptureQueriesContext(connection) as queries:
        prepared = records(teacher.pk)
        schools = [rec.school.name for rec in prepared]  # already loaded: no query
    assert len(queries) == 1
    assert [(r.pk, r.job_title, r.allowance_hours) for r in prepared] == [
        (r.pk, r.job_title, r.allowance_hours) for r in orm
    ]
    assert schools == [r.school.name for r in orm]
    assert all(not rec._state.adding for rec in prepared)


def test_the_same_prepared_query_serves_different_people(world):
    for name in ("teacher", "mentor", "outsider"):
        person = world.people[name]
        assert [r.pk for r in records(person.pk)] == list(
            StaffMember.objects.filter(user_id=person.pk, archived_at__isnull=True)
            .order_by("school_id")
            .values_list("pk", flat=True)
        )


def test_an_id_too_large_for_the_database_finds_nothing_instead_of_failing(world):
    assert records(2**70) == []
    assert records(-(2**70)) == []


def test_string_and_datetime_arguments_are_bound_like_the_orms(world):
    token, raw = ApiToken.issue(world.people["teacher"], "laptop")
    live = Prepared(
        lambda key_hash, now: ApiToken.objects.select_related("user").filter(
            key_hash=key_hash, created_at__lte=now
        ),
        str,
        datetime.datetime,
    )
    later = timezone.now() + datetime.timedelta(minutes=1)
    found = live.first(ApiToken.hash(raw), later)
    assert found is not None and found.pk == token.pk and found.user == world.people["teacher"]
    assert live.first(ApiToken.hash(raw), later - datetime.timedelta(days=1)) is None
    assert live.first("no such hash", later) is None


def test_an_argument_the_query_does_not_use_once_is_refused(world):
    twice = Prepared(lambda pk: StaffMember.objects.filter(pk=pk, user_id=pk), int)
    with pytest.raises(ValueError, match="once"):
        twice(1)
    with pytest.raises(TypeError):
        Prepared(lambda ids: StaffMember.objects.filter(pk__in=ids), list)


def test_insert_values_leaves_the_id_to_the_database_unless_it_is_set(world):
    row = entry(world.people["teacher"], "test.made", world.school, {"name": "x"})
    values = insert_values(row, connection)
    assert "id" not in values
    assert values["action"] == "test.made" and values["subject_id"] == str(world.school.pk)
    assert values["at"] is not None  # auto_now_add filled, as a save would
    row.pk = 12345
    assert insert_values(row, connection)["id"] == 12345
    assert not HistoryEntry.objects.filter(action="test.made").exists()  # nothing written
