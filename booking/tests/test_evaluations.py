import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.evaluations import send_evaluation_prompts, submit_evaluation, summary
from booking.factories import make_offer, make_session
from booking.models import Attendance, Booking, Notification
from tenancy.errors import Conflict, DomainError
from tenancy.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(world):
    """Yesterday's session: five attended, one absent."""
    start = timezone.now() - datetime.timedelta(days=1)
    session = make_session(
        make_offer(school=world.school),
        starts_at=start,
        facilitators=(world.people["facilitator"],),
    )
    date = session.dates.get()
    bookings = []
    for i in range(6):
        user = world.people["teacher"] if i == 0 else make_staff(world.school).user
        b = Booking.objects.create(session=session, user=user, status="confirmed", hours=1.5)
        Attendance.objects.create(
            booking=b, session_date=date, mark="absent" if i == 5 else "present"
        )
        bookings.append(b)
    return session, bookings


def test_attendees_are_asked_once_after_the_last_date(finished):
    session, bookings = finished
    assert send_evaluation_prompts() == 5
    assert send_evaluation_prompts() == 0
    assert Notification.objects.filter(kind="evaluation").count() == 5
    assert not Notification.objects.filter(user=bookings[5].user).exists()


def test_an_attendee_evaluates_once(world, finished):
    _, bookings = finished
    submit_evaluation(
        world.people["teacher"],
        bookings[0],
        worth_time=4,
        learned="Wait time",
        will_try="Cold calling",
        try_by=None,
    )
    with pytest.raises(Conflict):
        submit_evaluation(
            world.people["teacher"], bookings[0], worth_time=5, learned="x", will_try="y"
        )


def test_someone_absent_cannot_evaluate(finished):
    _, bookings = finished
    with pytest.raises(DomainError):
        submit_evaluation(bookings[5].user, bookings[5], worth_time=3, learned="x", will_try="y")


def test_the_summary_has_the_average_and_the_distribution(finished):
    session, bookings = finished
    for b, score in zip(bookings[:4], [5, 4, 4, 2], strict=True):
        submit_evaluation(b.user, b, worth_time=score, learned="l", will_try="t")
    s = summary(session)
    assert s["responses"] == 4 and s["attendees"] == 5
    assert s["average"] == 3.75
    assert [d["count"] for d in s["distribution"]] == [0, 1, 0, 2, 1]


def test_the_summary_page_has_a_chart_and_a_table(world, finished, client_for):
    session, bookings = finished
    submit_evaluation(bookings[0].user, bookings[0], worth_time=5, learned="l", will_try="t")
    page = client_for(world.people["cpd_lead"]).get(
        reverse("booking:evaluation_summary", args=[session.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-chart="worth-chart"' in html and 'id="worth-chart"' in html
    assert "vendor/chart-4.6.1.umd.min.js" in html and "booking/charts.js" in html
    assert "<table>" in html


def test_a_teacher_cannot_read_the_summary(world, finished, client_for):
    session, _ = finished
    page = client_for(world.people["teacher"]).get(
        reverse("booking:evaluation_summary", args=[session.pk])
    )
    assert page.status_code == 403


def test_the_evaluation_form_saves(world, finished, client_for):
    _, bookings = finished
    client = client_for(world.people["teacher"])
    url = reverse("booking:evaluate", args=[bookings[0].pk])
    done = client.post(
        url,
        {
            "worth_time": "5",
            "learned": "Hinge questions",
            "will_try": "Exit tickets",
            "try_by": "2030-01-10",
        },
    )
    assert done.status_code == 302
    assert bookings[0].evaluation.worth_time == 5
