"""iCalendar (RFC 5545) for bookings: one .ics per booking and a private feed per person.

One VEVENT per session date, UID stable per (booking, date), times in Europe/London with a
VTIMEZONE, SEQUENCE from the session (plus one once the booking itself is no longer active,
so calendars take the cancellation), STATUS CANCELLED for cancelled bookings and sessions.
The icalendar library does the escaping, CRLF line ends and folding.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from booking.models import Booking, CalendarFeed
from offers.models import Session, SessionDate

PRODID = "-//Staffroom//Professional development bookings//EN"
FEED_PAST_DAYS = 180
TENTATIVE = (
    Booking.Status.PENDING_APPROVAL,
    Booking.Status.WAITLISTED,
    Booking.Status.OFFERED,
)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "staffroom.local"


def _status(booking: Booking) -> str:
    if booking.session.status == Session.Status.CANCELLED or not booking.is_active:
        return "CANCELLED"
    if booking.status in TENTATIVE:
        return "TENTATIVE"
    return "CONFIRMED"


def events(booking: Booking, stamp: datetime.datetime) -> list[Event]:
    """The VEVENTs of one booking; needs session, offer and dates loaded."""
    session = booking.session
    offer = session.offer
    tz = _tz()
    status = _status(booking)
    link = settings.SITE_URL + reverse("booking:my_bookings")
    where = session.location or offer.location
    online = session.meeting_link or offer.meeting_link
    sequence = session.sequence + (1 if not booking.is_active else 0)
    summary = offer.title + (f" ({session.label})" if session.label else "")
    if status == "TENTATIVE":
        summary = f"{summary} [{booking.get_status_display().lower()}]"
    out = []
    dates = list(session.dates.all())
    for n, d in enumerate(dates, start=1):
        ev = Event()
        ev.add("uid", f"booking-{booking.pk}-date-{d.pk}@{_host()}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.starts_at.astimezone(tz))
        ev.add("dtend", d.ends_at.astimezone(tz))
        title = (
            summary if len(dates) == 1 else f"{summary}: {d.title or f'date {n} of {len(dates)}'}"
        )
        ev.add("summary", title)
        if where or online:
            ev.add("location", where or online)
        text = [offer.summary or "", f"Your bookings: {link}"]
        if online:
            text.insert(1, f"Join online: {online}")
        ev.add("description", "\n".join(t for t in text if t))
        ev.add("url", link)
        ev.add("sequence", sequence)
        ev.add("status", status)
        ev.add("last-modified", booking.updated_at.astimezone(datetime.UTC))
        out.append(ev)
    return out


def to_ical(bookings: Iterable[Booking], name: str = "Staffroom") -> bytes:
    """A VCALENDAR (PRODID, VERSION:2.0, VTIMEZONE for the site's zone) of the bookings."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    first = last = None
    for b in bookings:
        for ev in events(b, stamp):
            cal.add_component(ev)
            start = ev.decoded("dtstart").date()
            first = start if first is None or start < first else first
            last = start if last is None or start > last else last
    if first is not None:
        # Transitions from a year before the first date to two after the last keep the
        # VTIMEZONE short while covering every event.
        cal.add_missing_timezones(
            first_date=datetime.date(first.year - 1, 1, 1),
            last_date=datetime.date(last.year + 2, 1, 1),
        )
    return cal.to_ical()


def _with_dates(qs):
    return qs.select_related("session__offer").prefetch_related(
        Prefetch("session__dates", queryset=SessionDate.objects.order_by("starts_at"))
    )


def booking_ics(booking: Booking) -> bytes:
    booking = _with_dates(Booking.objects.filter(pk=booking.pk)).get()
    return to_ical([booking], name=booking.session.offer.title)


def feed_ics(user) -> bytes:
    """Everything the person is booked on (and recent cancellations, so calendars drop
    them), from six months back."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    qs = _with_dates(
        Booking.objects.filter(user=user, session__ends_at__gte=since).exclude(
            status__in=[Booking.Status.DECLINED, Booking.Status.EXPIRED]
        )
    ).order_by("session__starts_at", "pk")
    return to_ical(qs[:1000], name="Staffroom bookings")


def feed_owner(raw: str):
    """The person behind a feed token, or None when unknown or revoked."""
    if not raw or len(raw) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=CalendarFeed.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
