import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.factories import make_offer, make_session
from booking.models import Attendance, Booking
from booking.registers import check_in
from tenancy.errors import DomainError

pytestmark = pytest.mark.django_db


def session_starting_in(world, minutes):
    start = timezone.now() + datetime.timedelta(minutes=minutes)
    session = make_session(
        make_offer(school=world.school),
        starts_at=start,
        hours=1,
        facilitators=(world.people["facilitator"],),
    )
    booking = Booking.objects.create(
        session=session, user=world.people["teacher"], status="confirmed", hours=1
    )
    return session, booking


def test_checking_in_before_the_start_marks_present(world):
    session, booking = session_starting_in(world, 20)
    att = check_in(world.people["teacher"], session, session.check_in_code.lower())
    assert att.mark == "present" and att.self_checked_in


def test_checking_in_well_after_the_start_marks_late(world):
    session, _ = session_starting_in(world, -25)
    assert check_in(world.people["teacher"], session, session.check_in_code).mark == "late"


def test_check_in_is_closed_more_than_30_minutes_before(world):
    session, _ = session_starting_in(world, 45)
    with pytest.raises(DomainError, match="opens 30 minutes"):
        check_in(world.people["teacher"], session, session.check_in_code)


def test_a_wrong_code_is_refused(world):
    session, _ = session_starting_in(world, 5)
    with pytest.raises(DomainError, match="does not match") as err:
        check_in(world.people["teacher"], session, "WRONG1")
    assert err.value.field == "code"


def test_someone_without_a_place_cannot_check_in(world):
    session, _ = session_starting_in(world, 5)
    with pytest.raises(DomainError):
        check_in(world.people["ect"], session, session.check_in_code)


def test_checking_in_twice_changes_nothing(world):
    session, _ = session_starting_in(world, 5)
    first = check_in(world.people["teacher"], session, session.check_in_code)
    second = check_in(world.people["teacher"], session, session.check_in_code)
    assert first.pk == second.pk and Attendance.objects.count() == 1


def test_the_qr_link_fills_in_the_code_and_one_tap_signs_in(world, client_for):
    session, booking = session_starting_in(world, 5)
    client = client_for(world.people["teacher"])
    url = reverse("booking:check_in", args=[session.pk])
    page = client.get(url, {"code": session.check_in_code})
    assert session.check_in_code in page.content.decode()
    done = client.post(url, {"code": session.check_in_code})
    assert done.status_code == 302
    assert Attendance.objects.get(booking=booking).mark == "present"


def test_the_room_shows_a_qr_code_as_svg(world, client_for):
    session, _ = session_starting_in(world, 5)
    client = client_for(world.people["facilitator"])
    page = client.get(reverse("booking:room_display", args=[session.pk]))
    assert session.check_in_code in page.content.decode()
    svg = client.get(reverse("booking:qr", args=[session.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content and b"<script" not in svg.content


def test_a_teacher_cannot_see_the_room_code(world, client_for):
    session, _ = session_starting_in(world, 5)
    client = client_for(world.people["teacher"])
    assert client.get(reverse("booking:qr", args=[session.pk])).status_code == 403
