import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from booking.factories import make_offer, make_session
from booking.models import Booking
from booking.services import book_session
from history.models import HistoryEntry
from offers.models import Offer, Session
from tenancy import gate
from tenancy.errors import Conflict, DomainError
from tenancy.factories import make_staff

pytestmark = pytest.mark.django_db


def teachers(world, n):
    return [make_staff(world.school).user for _ in range(n)]


def test_places_are_confirmed_until_full_then_the_waiting_list_runs_1_to_n(world, session):
    people = teachers(world, 7)
    bookings = [book_session(p, session) for p in people]
    assert [b.status for b in bookings[:3]] == ["confirmed"] * 3
    assert [b.status for b in bookings[3:]] == ["waitlisted"] * 4
    assert [b.waitlist_position for b in bookings[3:]] == [1, 2, 3, 4]
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.last_position) == (3, 4, 4)


def test_a_booking_snapshots_hours_strand_and_school(world, session):
    booking = book_session(world.people["teacher"], session)
    assert booking.hours == session.hours
    assert booking.strand == "whole_school"
    assert booking.counts_as_directed_time is True
    assert booking.school_id == world.school.pk


def test_a_45_minute_session_counts_three_quarters_of_an_hour_in_booking_and_warning(world):
    session = make_session(make_offer(school=world.school), hours=0.75)
    assert session.hours == Decimal("0.75")
    assert book_session(world.people["teacher"], session).hours == Decimal("0.75")


def test_a_network_booking_counts_against_the_person_own_school(world):
    session = make_session(make_offer(network=world.network))
    booking = book_session(world.people["sister_teacher"], session)
    assert booking.school_id == world.sister.pk


def test_booking_writes_a_history_row(world, session):
    booking = book_session(world.people["teacher"], session)
    entry = HistoryEntry.objects.get(subject_type="booking.booking", subject_id=str(booking.pk))
    assert entry.action == "booking.created"
    assert entry.actor == world.people["teacher"]
    assert entry.changes["status"] == "confirmed"


def test_a_waitlisted_booking_is_stored_and_recorded_as_it_was_answered(world):
    session = make_session(make_offer(school=world.school), capacity=1)
    first, second = teachers(world, 2)
    book_session(first, session)
    answered = book_session(second, session)
    stored = Booking.objects.get(pk=answered.pk)
    assert (stored.status, stored.waitlist_position) == ("waitlisted", 1)
    assert (answered.status, answered.waitlist_position) == ("waitlisted", 1)
    assert (stored.user_id, stored.session_id, stored.hours) == (
        second.pk,
        session.pk,
        session.hours,
    )
    entry = HistoryEntry.objects.get(subject_type="booking.booking", subject_id=str(stored.pk))
    assert entry.changes == {
        "session": session.pk,
        "person": second.pk,
        "status": "waitlisted",
        "position": 1,
    }


def test_a_refused_booking_leaves_no_row_history_or_counts_behind(world, session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(DomainError):
        book_session(world.people["teacher"], session)
    assert not Booking.objects.exists()
    assert not HistoryEntry.objects.filter(action="booking.created").exists()
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (0, 0)


def test_booking_before_the_window_opens_is_refused(world, session):
    Session.objects.filter(pk=session.pk).update(
        booking_opens_at=timezone.now() + datetime.timedelta(days=1)
    )
    session.refresh_from_db()
    with pytest.raises(DomainError, match="Booking opens"):
        book_session(world.people["teacher"], session)


def test_booking_after_the_window_closes_is_refused(world, session):
    Session.objects.filter(pk=session.pk).update(
        booking_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    session.refresh_from_db()
    with pytest.raises(DomainError, match="closed") as err:
        book_session(world.people["teacher"], session)
    assert err.value.status == 409


def test_a_session_that_has_started_cannot_be_booked(world):
    session = make_session(
        make_offer(school=world.school),
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    with pytest.raises(DomainError, match="started"):
        book_session(world.people["teacher"], session)


def test_a_cancelled_session_cannot_be_booked(world, session):
    Session.objects.filter(pk=session.pk).update(status="cancelled")
    session.refresh_from_db()
    with pytest.raises(DomainError, match="cancelled") as err:
        book_session(world.people["teacher"], session)
    assert err.value.status == 409


def test_an_unpublished_offer_cannot_be_booked(world, session):
    Offer.objects.filter(pk=session.offer_id).update(status="draft")
    session = Session.objects.select_related("offer").get(pk=session.pk)
    with pytest.raises(DomainError):
        book_session(world.people["teacher"], session)
    assert not Booking.objects.exists()


def test_a_teacher_from_another_school_cannot_book(world, session):
    with pytest.raises(DomainError) as err:
        book_session(world.people["outsider"], session)
    assert err.value.status == 403


def test_a_second_booking_on_the_same_session_is_a_conflict(world, session):
    book_session(world.people["teacher"], session)
    with pytest.raises(Conflict, match="already have a booking"):
        book_session(world.people["teacher"], session)
    assert Booking.objects.count() == 1


def test_waitlisted_people_cannot_book_again_either(world, session):
    for p in teachers(world, 3):
        book_session(p, session)
    book_session(world.people["teacher"], session)
    with pytest.raises(Conflict):
        book_session(world.people["teacher"], session)


def test_a_clash_with_another_booking_is_refused(world, session):
    start = session.starts_at + datetime.timedelta(minutes=30)
    other = make_session(
        make_offer(school=world.school, title="Retrieval practice"), starts_at=start
    )
    book_session(world.people["teacher"], session)
    with pytest.raises(Conflict, match="clashes with your booking"):
        book_session(world.people["teacher"], other)


def test_back_to_back_sessions_do_not_clash(world, session):
    other = make_session(make_offer(school=world.school), starts_at=session.ends_at)
    book_session(world.people["teacher"], session)
    assert book_session(world.people["teacher"], other).status == "confirmed"


def test_a_cancelled_booking_does_not_clash(world, session):
    from booking.services import cancel_booking

    first = book_session(world.people["teacher"], session)
    cancel_booking(world.people["teacher"], first)
    assert book_session(world.people["teacher"], session).status == "confirmed"


def test_a_programme_clashes_on_any_of_its_dates(world, session):
    start = session.starts_at + datetime.timedelta(days=14)
    programme = make_session(
        make_offer(school=world.school, kind="programme"),
        dates=[
            (start, start + datetime.timedelta(hours=1)),
            (session.starts_at, session.ends_at),
        ],
    )
    book_session(world.people["teacher"], programme)
    with pytest.raises(Conflict, match="clashes"):
        book_session(world.people["teacher"], session)


def test_a_leader_can_book_a_place_for_their_team_member(world, session):
    booking = book_session(world.people["middle_leader"], session, world.people["teacher"])
    assert booking.user == world.people["teacher"]


def test_a_teacher_cannot_book_for_a_colleague(world, session):
    with pytest.raises(DomainError) as err:
        book_session(world.people["teacher"], session, world.people["ect"])
    assert err.value.status == 403


def test_booking_takes_few_queries(world, session, django_assert_max_num_queries, fresh):
    person = fresh(world.people["teacher"])
    gate.access(person)  # memberships are the gate's, counted in its own tests
    session = Session.objects.select_related("offer").get(pk=session.pk)
    # dates, person lock (PostgreSQL), clash check, the place taken (one UPDATE that locks
    # the session), booking, history; plus the test's savepoint and its release
    with django_assert_max_num_queries(8):
        book_session(person, session)


def test_a_session_cancelled_after_it_was_read_is_refused_under_the_lock(world, session):
    stale = Session.objects.select_related("offer").get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(DomainError, match="cancelled") as err:
        book_session(world.people["teacher"], stale)
    assert err.value.status == 409
    assert not Booking.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.last_position) == (0, 0, 0)


def test_a_window_closed_after_the_session_was_read_is_refused_under_the_lock(world, session):
    stale = Session.objects.select_related("offer").get(pk=session.pk)
    closed = timezone.now() - datetime.timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(booking_closes_at=closed)
    with pytest.raises(DomainError, match="closed"):
        book_session(world.people["teacher"], stale)
    session.refresh_from_db()
    assert session.confirmed_count == 0


def test_an_offer_unpublished_after_it_was_read_is_refused_under_the_lock(world, session):
    stale = Session.objects.select_related("offer").get(pk=session.pk)
    Offer.objects.filter(pk=session.offer_id).update(status=Offer.Status.DRAFT)
    with pytest.raises(DomainError, match="not open"):
        book_session(world.people["teacher"], stale)
    session.refresh_from_db()
    assert session.confirmed_count == 0


def test_a_waiting_booking_takes_a_seat_left_free_while_people_wait(world, session):
    first, second = make_staff(world.school).user, make_staff(world.school).user
    Session.objects.filter(pk=session.pk).update(capacity=1, confirmed_count=1, waiting_count=1)
    Booking.objects.create(
        session=session, user=first, status="waitlisted", waitlist_position=1, hours=1
    )
    Session.objects.filter(pk=session.pk).update(capacity=2, last_position=1)  # it grew
    booking = book_session(second, Session.objects.select_related("offer").get(pk=session.pk))
    # The seat goes to the first in the queue; the newcomer waits behind them.
    assert (booking.status, booking.waitlist_position) == ("waitlisted", 2)
    assert Booking.objects.get(user=first, session=session).status == "offered"
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.last_position) == (2, 1, 2)
