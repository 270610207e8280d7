import pytest

from booking.factories import make_session, paid_course
from booking.models import Booking
from booking.services import approve_booking, book_session, decline_booking
from tenancy.errors import Conflict, DomainError
from tenancy.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return make_session(paid_course(world.people["provider"]), capacity=1)


def test_a_course_with_a_cost_waits_for_approval_and_holds_no_place(world, course):
    booking = book_session(world.people["teacher"], course)
    assert booking.status == "pending_approval"
    assert booking.waitlist_position is None
    course.refresh_from_db()
    assert (course.confirmed_count, course.waiting_count) == (0, 0)


def test_the_cpd_lead_approves_and_the_place_is_confirmed(world, course):
    booking = book_session(world.people["teacher"], course)
    approve_booking(world.people["cpd_lead"], booking, note="Fits our maths priority")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.decided_by == world.people["cpd_lead"]
    course.refresh_from_db()
    assert course.confirmed_count == 1


def test_approval_when_the_course_is_full_joins_the_waiting_list(world, course):
    first = book_session(world.people["teacher"], course)
    second = book_session(world.people["ect"], course)
    approve_booking(world.people["cpd_lead"], first)
    approve_booking(world.people["cpd_lead"], second)
    second.refresh_from_db()
    assert second.status == "waitlisted" and second.waitlist_position == 1


def test_a_middle_leader_approves_when_the_school_says_so(world, course):
    School.objects.filter(pk=world.school.pk).update(approver="middle_leader")
    booking = book_session(world.people["teacher"], course)
    approve_booking(world.people["middle_leader"], booking)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_middle_leader_cannot_approve_when_the_cpd_lead_decides(world, course):
    booking = book_session(world.people["teacher"], course)
    with pytest.raises(DomainError) as err:
        approve_booking(world.people["middle_leader"], booking)
    assert err.value.status == 403


def test_a_teacher_cannot_approve_their_own_booking(world, course):
    booking = book_session(world.people["cpd_lead"], course)
    with pytest.raises(DomainError):
        approve_booking(world.people["cpd_lead"], booking)
    assert Booking.objects.get(pk=booking.pk).status == "pending_approval"


def test_declining_records_the_reason(world, course):
    booking = book_session(world.people["teacher"], course)
    decline_booking(world.people["cpd_lead"], booking, note="No budget this term")
    booking.refresh_from_db()
    assert booking.status == "declined"
    assert booking.decision_note == "No budget this term"


def test_deciding_twice_is_a_conflict(world, course):
    booking = book_session(world.people["teacher"], course)
    approve_booking(world.people["cpd_lead"], booking)
    with pytest.raises(Conflict):
        decline_booking(world.people["cpd_lead"], booking)


def test_a_cpd_lead_booking_a_colleague_needs_no_approval(world, course):
    booking = book_session(world.people["cpd_lead"], course, world.people["teacher"])
    assert booking.status == "confirmed"


def test_a_free_school_session_needs_no_approval(world, session):
    assert book_session(world.people["teacher"], session).status == "confirmed"
