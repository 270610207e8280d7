"""The bulk-writing helpers under the roster import: array literals and the writer thread."""

from __future__ import annotations

import pytest
from django.db import connection

from people.roster.fastsql import Writer, int_array, text_array

pytestmark = pytest.mark.django_db


def test_a_text_array_escapes_quotes_and_backslashes():
    assert text_array(['a"b', "c\\d", "{e,f}"]) == '{"a\\"b","c\\\\d","{e,f}"}'
    assert int_array([1, 22]) == "{1,22}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL arrays")
def test_postgresql_reads_a_text_array_back_unchanged():
    values = ['a"b', "c\\d", "{e,f}", "", "NULL", "ünï"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [text_array(values)])
        assert cursor.fetchone()[0] == values


@pytest.mark.parametrize("background", [False, True])
def test_the_writer_runs_jobs_in_order_and_gives_their_results(background):
    connection.ensure_connection()
    writer = Writer(background=background)
    done: list[int] = []
    futures = [writer.submit(lambda raw, n: done.append(n) or n * 2, n) for n in range(5)]
    writer.close()
    assert done == [0, 1, 2, 3, 4]
    assert [f.result() for f in futures] == [0, 2, 4, 6, 8]


@pytest.mark.parametrize("background", [False, True])
def test_a_failing_job_is_raised_to_the_caller(background):
    connection.ensure_connection()
    writer = Writer(background=background)

    def fail(raw):
        raise ValueError("the database said no")

    with pytest.raises(ValueError, match="said no"):
        writer.submit(fail)
        writer.close()
