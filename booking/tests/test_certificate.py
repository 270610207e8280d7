import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.factories import make_offer, make_session
from booking.models import Attendance, Booking

pytestmark = pytest.mark.django_db


def attended(world, mark="present"):
    start = timezone.now() - datetime.timedelta(days=2)
    session = make_session(make_offer(school=world.school), starts_at=start)
    b = Booking.objects.create(
        session=session, user=world.people["teacher"], status="confirmed", hours=1.5
    )
    Attendance.objects.create(booking=b, session_date=session.dates.get(), mark=mark)
    return b


def test_an_attendee_downloads_a_pdf_certificate(world, client_for):
    booking = attended(world)
    response = client_for(world.people["teacher"]).get(
        reverse("booking:certificate", args=[booking.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_certificate_without_attendance(world, client_for):
    booking = attended(world, mark="absent")
    response = client_for(world.people["teacher"]).get(
        reverse("booking:certificate", args=[booking.pk])
    )
    assert response.status_code == 302


def test_someone_else_in_another_school_gets_404(world, client_for):
    booking = attended(world)
    response = client_for(world.people["outsider"]).get(
        reverse("booking:certificate", args=[booking.pk])
    )
    assert response.status_code == 404
