import datetime

import pytest
from django.utils import timezone

from booking.factories import make_offer, make_session
from booking.models import Booking
from booking.services import (
    accept_offered_place,
    book_session,
    cancel_booking,
    decline_offered_place,
    expire_offers,
    fill_free_places,
)
from offers.models import Session
from tenancy.errors import Conflict, DomainError
from tenancy.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(world):
    """A one-place session, taken, with two people waiting (starts in a week)."""
    session = make_session(make_offer(school=world.school), capacity=1)
    people = [make_staff(world.school).user for _ in range(3)]
    bookings = [book_session(p, session) for p in people]
    return session, bookings


def counts(session):
    session.refresh_from_db()
    return session.confirmed_count, session.waiting_count


def test_cancelling_offers_the_place_to_the_first_person_waiting(full, settings):
    settings.BOOKING_OFFER_HOURS = 48
    session, (taken, first, second) = full
    before = timezone.now()
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "offered"
    assert before + datetime.timedelta(hours=47) < first.offered_until
    assert first.offered_until <= timezone.now() + datetime.timedelta(hours=48)
    assert second.status == "waitlisted"
    assert counts(session) == (1, 1)


def test_the_deadline_is_shorter_when_the_session_starts_sooner(world):
    soon = timezone.now() + datetime.timedelta(hours=5)
    session = make_session(make_offer(school=world.school), capacity=1, starts_at=soon)
    a, b = (book_session(make_staff(world.school).user, session) for _ in range(2))
    cancel_booking(a.user, a)
    b.refresh_from_db()
    session.refresh_from_db()
    assert b.offered_until == session.starts_at


def test_accepting_an_offered_place_confirms_it(full):
    session, (taken, first, _) = full
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    accept_offered_place(first.user, first)
    first.refresh_from_db()
    assert first.status == "confirmed" and first.offered_until is None
    assert counts(session) == (1, 1)


def test_only_the_person_offered_can_accept(full, world):
    _, (taken, first, second) = full
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    with pytest.raises(DomainError):
        accept_offered_place(second.user, first)


def test_a_late_acceptance_is_refused(full):
    _, (taken, first, _) = full
    cancel_booking(taken.user, taken)
    Booking.objects.filter(pk=first.pk).update(
        offered_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    first.refresh_from_db()
    with pytest.raises(Conflict, match="expired"):
        accept_offered_place(first.user, first)


def test_declining_an_offered_place_passes_it_on(full):
    session, (taken, first, second) = full
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    decline_offered_place(first.user, first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert second.status == "offered"
    assert counts(session) == (1, 0)


def test_an_expired_offer_passes_to_the_next_person_waiting(full):
    session, (taken, first, second) = full
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    assert expire_offers(first.offered_until + datetime.timedelta(seconds=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "expired"
    assert second.status == "offered"
    assert counts(session) == (1, 0)


def test_expiring_before_the_deadline_changes_nothing(full):
    _, (taken, first, _) = full
    cancel_booking(taken.user, taken)
    assert expire_offers(timezone.now()) == 0
    first.refresh_from_db()
    assert first.status == "offered"


def test_the_last_offer_expiring_leaves_a_free_place(full):
    session, (taken, first, second) = full
    cancel_booking(taken.user, taken)
    first.refresh_from_db()
    later = first.offered_until + datetime.timedelta(seconds=1)
    expire_offers(later)
    second.refresh_from_db()
    expire_offers(second.offered_until + datetime.timedelta(seconds=1))
    assert counts(session) == (0, 0)


def test_the_housekeeping_command_expires_offers(full, settings):
    from django.core.management import call_command

    _, (taken, first, _) = full
    cancel_booking(taken.user, taken)
    Booking.objects.filter(pk=first.pk).update(
        offered_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("booking_housekeeping")
    first.refresh_from_db()
    assert first.status == "expired"


def test_cancelling_a_waiting_place_shortens_the_list(full):
    session, (_, first, _) = full
    cancel_booking(first.user, first)
    assert counts(session) == (1, 1)


def test_cancelling_twice_changes_nothing(full):
    session, (taken, _, _) = full
    cancel_booking(taken.user, taken)
    cancel_booking(taken.user, taken)
    assert counts(session) == (1, 1)


def test_a_colleague_cannot_cancel_my_booking(full, world):
    _, (taken, _, _) = full
    with pytest.raises(DomainError) as err:
        cancel_booking(world.people["sister_teacher"], taken)
    assert err.value.status == 403


def test_a_new_booker_joins_the_queue_behind_people_already_waiting(full, world):
    session, (taken, first, second) = full
    cancel_booking(taken.user, taken)
    late = book_session(world.people["teacher"], session)
    assert late.status == "waitlisted"
    assert late.waitlist_position == 3


def test_more_places_go_to_the_people_waiting(full):
    session, (_, first, second) = full
    Session.objects.filter(pk=session.pk).update(capacity=3)
    assert fill_free_places(None, session) == [first.pk, second.pk]
    assert counts(session) == (3, 0)
