"""Who reaches what: outsiders get 404 for every booking page and route on another
school's session or booking; insiders without the role get 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.factories import make_offer, make_session
from booking.models import Booking
from tenancy.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    start = timezone.now() - datetime.timedelta(days=1)
    session = make_session(
        make_offer(school=world.school),
        starts_at=start,
        facilitators=(world.people["facilitator"],),
    )
    booking = Booking.objects.create(
        session=session,
        user=world.people["teacher"],
        status="confirmed",
        hours=1.5,
        school=world.school,
    )
    return session, booking


SESSION_PAGES = [
    "booking:book",
    "booking:invite",
    "booking:register",
    "booking:room_display",
    "booking:qr",
    "booking:evaluation_summary",
    "booking:check_in",
]
BOOKING_PAGES = ["booking:booking_ics", "booking:certificate", "booking:evaluate"]
BOOKING_POSTS = [
    "booking:cancel",
    "booking:accept",
    "booking:decline_place",
    "booking:approve",
    "booking:decline",
]


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_a_teacher_from_another_school_gets_404_for_session_pages(world, setup, client_for, name):
    session, _ = setup
    assert (
        client_for(world.people["outsider"]).get(reverse(name, args=[session.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("name", BOOKING_PAGES)
def test_a_teacher_from_another_school_gets_404_for_booking_pages(world, setup, client_for, name):
    _, booking = setup
    assert (
        client_for(world.people["outsider"]).get(reverse(name, args=[booking.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("name", BOOKING_POSTS)
def test_a_teacher_from_another_school_gets_404_for_booking_actions(world, setup, client_for, name):
    _, booking = setup
    assert (
        client_for(world.people["outsider_admin"])
        .post(reverse(name, args=[booking.pk]))
        .status_code
        == 404
    )
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


@pytest.mark.parametrize(
    "name", ["booking:register", "booking:room_display", "booking:qr", "booking:evaluation_summary"]
)
def test_a_teacher_cannot_take_a_register_403(world, setup, client_for, name):
    session, _ = setup
    assert (
        client_for(world.people["teacher"]).get(reverse(name, args=[session.pk])).status_code == 403
    )


def test_a_teacher_cannot_post_a_register(world, setup, client_for):
    session, booking = setup
    url = reverse("booking:register_date", args=[session.pk, session.dates.get().pk])
    assert (
        client_for(world.people["teacher"]).post(url, {f"mark-{booking.pk}": "present"}).status_code
        == 403
    )


def test_a_teacher_cannot_invite(world, setup, client_for):
    session, _ = setup
    assert (
        client_for(world.people["teacher"])
        .get(reverse("booking:invite", args=[session.pk]))
        .status_code
        == 403
    )


def test_pages_need_sign_in(setup, client):
    for name in [
        "booking:my_bookings",
        "booking:approvals",
        "booking:directed_time",
        "booking:notifications",
        "booking:calendar_feeds",
    ]:
        assert client.get(reverse(name)).status_code == 302


def test_own_pages_render_for_every_persona(world, setup, client_for):
    for person in world.people.values():
        client = client_for(person)
        for name in [
            "booking:my_bookings",
            "booking:approvals",
            "booking:invitations",
            "booking:directed_time",
            "booking:notifications",
            "booking:calendar_feeds",
            "booking:check_in_list",
        ]:
            assert client.get(reverse(name)).status_code == 200, (person, name)


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/bookings/{b}"),
        ("delete", "/api/v1/bookings/{b}"),
        ("post", "/api/v1/bookings/{b}/approve"),
        ("post", "/api/v1/bookings/{b}/accept"),
        ("get", "/api/v1/sessions/{s}/register"),
        ("post", "/api/v1/sessions/{s}/bookings"),
    ],
)
def test_api_routes_answer_404_outside_the_school(world, setup, client, method, path):
    session, booking = setup
    _, raw = ApiToken.issue(world.people["outsider_admin"])
    url = path.format(b=booking.pk, s=session.pk)
    answer = getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Not found."
