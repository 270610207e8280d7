import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from booking.calendar import booking_ics
from booking.factories import make_offer, make_session
from booking.models import Booking, CalendarFeed
from offers.models import Session

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def summer_and_winter(world):
    july = datetime.datetime(2030, 7, 2, 15, 30, tzinfo=LONDON)
    december = datetime.datetime(2030, 12, 3, 15, 30, tzinfo=LONDON)
    session = make_session(
        make_offer(school=world.school, title="Feedback, that works; really", kind="programme"),
        dates=[
            (july, july + datetime.timedelta(hours=1)),
            (december, december + datetime.timedelta(hours=1)),
        ],
        location="Library",
    )
    return Booking.objects.create(
        session=session, user=world.people["teacher"], status="confirmed", hours=2
    )


def parse(data):
    return Calendar.from_ical(data)


def test_a_booking_ics_has_the_required_properties_and_london_time(summer_and_winter):
    raw = booking_ics(summer_and_winter)
    assert b"\r\n" in raw
    cal = parse(raw)
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    tz = cal.walk("VTIMEZONE")
    assert tz and str(tz[0]["TZID"]) == "Europe/London"
    events = cal.walk("VEVENT")
    assert len(events) == 2
    july, december = sorted(events, key=lambda e: e.decoded("dtstart"))
    assert july["DTSTART"].params["TZID"] == "Europe/London"
    assert july.decoded("dtstart").utcoffset() == datetime.timedelta(hours=1)
    assert december.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    for ev in events:
        assert ev["UID"] and ev.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
        assert str(ev["STATUS"]) == "CONFIRMED"
        assert str(ev["LOCATION"]) == "Library"
    assert len({str(e["UID"]) for e in events}) == 2


def test_uids_are_stable_between_downloads(summer_and_winter):
    first = {str(e["UID"]) for e in parse(booking_ics(summer_and_winter)).walk("VEVENT")}
    again = {str(e["UID"]) for e in parse(booking_ics(summer_and_winter)).walk("VEVENT")}
    assert first == again


def test_a_cancelled_booking_is_status_cancelled_with_a_higher_sequence(summer_and_winter):
    before = parse(booking_ics(summer_and_winter)).walk("VEVENT")[0]["SEQUENCE"]
    Booking.objects.filter(pk=summer_and_winter.pk).update(status="cancelled")
    summer_and_winter.refresh_from_db()
    ev = parse(booking_ics(summer_and_winter)).walk("VEVENT")[0]
    assert str(ev["STATUS"]) == "CANCELLED" and ev["SEQUENCE"] > before


def test_a_cancelled_session_is_status_cancelled(summer_and_winter):
    Session.objects.filter(pk=summer_and_winter.session_id).update(status="cancelled", sequence=3)
    ev = parse(booking_ics(summer_and_winter)).walk("VEVENT")[0]
    assert str(ev["STATUS"]) == "CANCELLED" and ev["SEQUENCE"] == 3


def test_the_ics_download_is_for_the_person_booked(world, summer_and_winter, client_for):
    url = reverse("booking:booking_ics", args=[summer_and_winter.pk])
    mine = client_for(world.people["teacher"]).get(url)
    assert mine.status_code == 200 and mine["Content-Type"].startswith("text/calendar")
    assert client_for(world.people["outsider"]).get(url).status_code == 404


def test_the_feed_works_without_signing_in_and_stops_after_revoking(
    world, summer_and_winter, client, client_for
):
    page = client_for(world.people["teacher"]).post(reverse("booking:calendar_feeds"))
    url = page.context["new_url"]
    feed = CalendarFeed.objects.get()
    assert feed.key_hash not in url  # only the hash is stored; the URL carries the token
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert len(parse(response.content).walk("VEVENT")) == 2
    client_for(world.people["teacher"]).post(reverse("booking:revoke_feed", args=[feed.pk]))
    client.logout()
    assert client.get(url).status_code == 404


def test_an_unknown_feed_token_is_404(client):
    assert client.get(reverse("booking:feed", args=["nope"])).status_code == 404
