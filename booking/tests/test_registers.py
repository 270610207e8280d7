import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.directed_time import ledger
from booking.factories import make_offer, make_session
from booking.models import Attendance
from booking.registers import register_for, take_register
from booking.services import book_session
from history.models import HistoryEntry
from tenancy.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world):
    """A session led by the facilitator, with the teacher and the ECT confirmed."""
    start = timezone.now() - datetime.timedelta(minutes=20)
    session = make_session(
        make_offer(school=world.school),
        starts_at=start,
        hours=2,
        facilitators=(world.people["facilitator"],),
    )
    from booking.models import Booking

    b1 = Booking.objects.create(
        session=session,
        user=world.people["teacher"],
        status="confirmed",
        hours=2,
        school=world.school,
    )
    b2 = Booking.objects.create(
        session=session, user=world.people["ect"], status="confirmed", hours=2, school=world.school
    )
    return session, b1, b2


def test_the_facilitator_marks_present_late_and_absent(world, running):
    session, b1, b2 = running
    date = session.dates.get()
    take_register(world.people["facilitator"], session, date, {b1.pk: "present", b2.pk: "absent"})
    reg = register_for(session)
    assert {line.booking.pk: line.mark_on(date.pk) for line in reg.lines} == {
        b1.pk: "present",
        b2.pk: "absent",
    }
    assert reg.counts(date.pk) == {"present": 1, "late": 0, "absent": 1}


def test_marking_again_with_the_same_value_writes_no_history(world, running):
    session, b1, _ = running
    date = session.dates.get()
    take_register(world.people["facilitator"], session, date, {b1.pk: "late"})
    take_register(world.people["facilitator"], session, date, {b1.pk: "late"})
    assert HistoryEntry.objects.filter(action="attendance.marked").count() == 1
    take_register(world.people["facilitator"], session, date, {b1.pk: "present"})
    assert Attendance.objects.get().mark == "present"


def test_the_cpd_lead_may_take_the_register(world, running):
    session, b1, _ = running
    take_register(world.people["cpd_lead"], session, session.dates.get(), {b1.pk: "present"})


def test_a_teacher_cannot_take_the_register(world, running):
    session, b1, _ = running
    with pytest.raises(DomainError) as err:
        take_register(world.people["teacher"], session, session.dates.get(), {b1.pk: "present"})
    assert err.value.status == 403


def test_only_confirmed_bookings_can_be_marked(world, running):
    session, _, _ = running
    waiting = book_session(world.people["mentor"], make_session(make_offer(school=world.school)))
    with pytest.raises(DomainError, match="Not a confirmed booking"):
        take_register(
            world.people["facilitator"], session, session.dates.get(), {waiting.pk: "present"}
        )


def test_an_unknown_mark_is_refused(world, running):
    session, b1, _ = running
    with pytest.raises(DomainError, match="Unknown mark"):
        take_register(world.people["facilitator"], session, session.dates.get(), {b1.pk: "here"})


def test_attendance_turns_booked_hours_into_attended_hours(world, running):
    session, b1, b2 = running
    take_register(
        world.people["facilitator"],
        session,
        session.dates.get(),
        {b1.pk: "present", b2.pk: "absent"},
    )
    (mine,) = ledger(world.people["teacher"])
    assert mine.planned == 2 and mine.attended == 2
    (theirs,) = ledger(world.people["ect"])
    assert theirs.planned == 2 and theirs.attended == 0


def test_the_register_page_is_a_form_with_three_marks_per_person(world, running, client_for):
    session, b1, _ = running
    date = session.dates.get()
    client = client_for(world.people["facilitator"])
    page = client.get(reverse("booking:register_date", args=[session.pk, date.pk]))
    assert page.status_code == 200
    assert f'name="mark-{b1.pk}"' in page.content.decode()
    saved = client.post(
        reverse("booking:register_date", args=[session.pk, date.pk]), {f"mark-{b1.pk}": "late"}
    )
    assert saved.status_code == 302
    assert Attendance.objects.get(booking=b1).mark == "late"


def test_the_register_overview_lists_the_dates(world, running, client_for):
    session, _, _ = running
    page = client_for(world.people["facilitator"]).get(
        reverse("booking:register", args=[session.pk])
    )
    assert page.status_code == 200
    assert "Take register" in page.content.decode()
