from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from booking.factories import make_offer, make_session, paid_course
from booking.models import Booking
from tenancy.models import StaffMember

pytestmark = pytest.mark.django_db


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_booking_redirects_to_my_bookings_saying_confirmed(world, session, client_for):
    response = client_for(world.people["teacher"]).post(reverse("booking:book", args=[session.pk]))
    assert response.status_code == 302 and response.url == reverse("booking:my_bookings")
    assert "is confirmed" in said(response)[0]


def test_a_full_session_says_the_waiting_position(world, client_for):
    session = make_session(make_offer(school=world.school), capacity=1)
    client_for(world.people["ect"]).post(reverse("booking:book", args=[session.pk]))
    response = client_for(world.people["teacher"]).post(reverse("booking:book", args=[session.pk]))
    assert "waiting list at position 1" in said(response)[-1]


def test_a_course_needing_approval_says_so(world, client_for):
    course = make_session(paid_course(world.people["provider"]))
    response = client_for(world.people["teacher"]).post(reverse("booking:book", args=[course.pk]))
    assert "awaiting approval" in said(response)[0]


def test_going_over_the_allowance_asks_for_confirmation_first(world, session, client_for):
    StaffMember.objects.filter(user=world.people["teacher"]).update(directed_hours=Decimal("1"))
    client = client_for(world.people["teacher"])
    url = reverse("booking:book", args=[session.pk])
    page = client.post(url)
    assert page.status_code == 200 and "Book anyway" in page.content.decode()
    assert not Booking.objects.exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Booking.objects.get().status == "confirmed"


def test_my_bookings_lists_status_actions_and_calendar_link(world, session, client_for):
    client = client_for(world.people["teacher"])
    client.post(reverse("booking:book", args=[session.pk]))
    html = client.get(reverse("booking:my_bookings")).content.decode()
    booking = Booking.objects.get()
    assert "Confirmed" in html
    assert reverse("booking:booking_ics", args=[booking.pk]) in html
    assert reverse("booking:cancel", args=[booking.pk]) in html


def test_the_booking_panel_tag_renders_for_other_apps(world, session, rf):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = world.people["teacher"]
    html = Template("{% load booking_tags %}{% booking_panel session %}").render(
        Context({"request": request, "session": session})
    )
    assert reverse("booking:book", args=[session.pk]) in html


def test_the_openapi_schema_lists_the_booking_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/sessions/{session_id}/bookings",
        "/api/v1/me/directed-time",
        "/api/v1/sessions/{session_id}/register",
    ]:
        assert path in paths
