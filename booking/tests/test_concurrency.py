"""Concurrent bookers never oversell a session or double-book a person (DESIGN: 8 threads on
SQLite, many connections on PostgreSQL), and without the lock they would (STYLE habit 10).

Threads need a database they can all open. Django's in-memory SQLite test database is
shared-cache memory, where writers fail with "table is locked" instead of waiting; so on
SQLite these tests copy it into a file and point the threads at that file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from booking.factories import make_offer, make_session
from booking.models import Booking
from booking.services import book_session
from booking.services import bookings as booking_services
from offers.models import Session
from tenancy import gate
from tenancy.errors import Conflict
from tenancy.factories import make_network, make_school, make_staff
from tenancy.models import User

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = connection.vendor == "sqlite"
THREADS = 8 if SQLITE else 24


@contextmanager
def threads_share_the_database(tmp_path):
    """On in-memory SQLite, copy the database into a file that every thread opens."""
    if not (SQLITE and connection.is_in_memory_db()):
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections["default"].settings_dict
    old = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = old


def in_threads(fn, args):
    """Run fn(arg) for each arg at once, each thread on its own connection."""
    barrier = threading.Barrier(len(args), timeout=30)

    def run(arg):
        try:
            return fn(arg, barrier)
        except Conflict as exc:
            return ("conflict", str(exc))
        except Exception as exc:  # reported, and the test fails on it
            return ("error", repr(exc))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        return list(pool.map(run, args))


def in_a_thread(fn):
    """Read the outcome through a fresh connection (the threads' database)."""
    return in_threads(lambda _, b: fn(), [None])[0]


def attempt(session_id):
    def go(user_id, barrier):
        user = User.objects.get(pk=user_id)
        gate.access(user)
        session = Session.objects.select_related("offer").get(pk=session_id)
        barrier.wait()
        booking = book_session(user, session)
        return (booking.status, booking.waitlist_position)

    return go


@pytest.fixture
def school():
    return make_school("Race Primary", network=make_network("Race Trust"))


def outcome(session_id):
    def read():
        session = Session.objects.get(pk=session_id)
        rows = list(
            Booking.objects.filter(session_id=session_id).values_list(
                "status", "waitlist_position", "user_id"
            )
        )
        return session, rows

    return read


def test_concurrent_bookers_never_oversell_and_queue_in_order(school, tmp_path):
    capacity = 3
    session = make_session(make_offer(school=school), capacity=capacity)
    people = [make_staff(school).user.pk for _ in range(THREADS)]
    with threads_share_the_database(tmp_path):
        answers = in_threads(attempt(session.pk), people)
        saved, rows = in_a_thread(outcome(session.pk))
    assert not [a for a in answers if a[0] in ("error", "conflict")], answers
    statuses = Counter(status for status, _, _ in rows)
    assert statuses == {"confirmed": capacity, "waitlisted": THREADS - capacity}
    positions = sorted(p for status, p, _ in rows if status == "waitlisted")
    assert positions == list(range(1, THREADS - capacity + 1))
    assert len({user for _, _, user in rows}) == THREADS
    assert (saved.confirmed_count, saved.waiting_count, saved.last_position) == (
        capacity,
        THREADS - capacity,
        THREADS - capacity,
    )
    assert Counter(a[0] for a in answers) == statuses


def test_one_person_booking_the_same_session_at_once_gets_one_booking(school, tmp_path):
    session = make_session(make_offer(school=school), capacity=3)
    person = make_staff(school).user.pk
    with threads_share_the_database(tmp_path):
        answers = in_threads(
            lambda _, barrier: attempt(session.pk)(person, barrier), list(range(8))
        )
        _, rows = in_a_thread(outcome(session.pk))
    assert len(rows) == 1
    assert Counter(a[0] for a in answers) == {"confirmed": 1, "conflict": 7}, answers


def test_one_person_booking_clashing_sessions_at_once_gets_one_booking(school, tmp_path):
    first = make_session(make_offer(school=school), capacity=3)
    sessions = [first] + [
        make_session(make_offer(school=school), starts_at=first.starts_at, capacity=3)
        for _ in range(7)
    ]
    person = make_staff(school).user.pk

    def go(session_id, barrier):
        return attempt(session_id)(person, barrier)

    with threads_share_the_database(tmp_path):
        answers = in_threads(go, [s.pk for s in sessions])
        active = in_a_thread(
            lambda: Booking.objects.filter(user_id=person, status__in=Booking.ACTIVE).count()
        )
    assert active == 1
    assert Counter(a[0] for a in answers) == {"confirmed": 1, "conflict": 7}, answers


@pytest.mark.skipif(
    SQLITE,
    reason="SQLite's IMMEDIATE transactions serialise writers: there is no race to show",
)
def test_without_the_session_lock_concurrent_bookers_oversell(school, tmp_path, monkeypatch):
    """The proof that the lock matters: every booker reads the counts before anyone writes."""
    session = make_session(make_offer(school=school), capacity=1)
    people = [make_staff(school).user.pk for _ in range(8)]
    everyone_has_read = threading.Barrier(len(people), timeout=30)

    def read_then_write(session, now, *, place):
        """The place taken as a read and a later write, instead of one locking UPDATE."""
        found = Session.objects.get(pk=session.pk)
        everyone_has_read.wait()
        if found.confirmed_count < found.capacity and found.waiting_count == 0:
            found.confirmed_count += 1
        else:
            found.waiting_count += 1
            found.last_position += 1
        booking_services._save_counts(found)
        return found

    monkeypatch.setattr(booking_services, "_one_statement", lambda: False)
    monkeypatch.setattr(booking_services, "_take_place", read_then_write)
    monkeypatch.setattr(booking_services, "_lock_person", lambda person_id, **kw: None)
    answers = in_threads(attempt(session.pk), people)
    confirmed = Booking.objects.filter(session=session, status="confirmed").count()
    assert confirmed > session.capacity, answers
