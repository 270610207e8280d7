"""Reads shared by booking pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from booking.models import Booking, Invitation
from offers.models import Session, SessionDate
from tenancy import gate
from tenancy.prepared import Prepared


def with_details(qs: QuerySet) -> QuerySet:
    return qs.select_related("session__offer", "user").prefetch_related(
        Prefetch("session__dates", queryset=SessionDate.objects.order_by("starts_at"))
    )


def my_bookings(user: Any) -> tuple[list[Booking], list[Booking]]:
    """The person's bookings: upcoming (soonest first) and past (latest first)."""
    now = timezone.now()
    qs = with_details(Booking.objects.filter(user_id=user.pk)).select_related("evaluation")
    qs = qs.annotate(
        attended=Count("attendance", filter=Q(attendance__mark__in=["present", "late"]))
    )
    upcoming = list(
        qs.filter(Q(session__ends_at__gte=now) | Q(session__ends_at__isnull=True)).order_by(
            "session__starts_at", "pk"
        )[:200]
    )
    past = list(qs.filter(session__ends_at__lt=now).order_by("-session__starts_at", "-pk")[:200])
    places = queue_places([b for b in upcoming if b.status == Booking.Status.WAITLISTED])
    for b in upcoming:
        b.queue_place = places.get(b.pk)
    return upcoming, past


def queue_places(bookings: list[Booking]) -> dict[int, int]:
    """Each waiting booking's current place in its queue (1 = next in line)."""
    out = {}
    for b in bookings:
        ahead = Booking.objects.filter(
            session_id=b.session_id,
            status=Booking.Status.WAITLISTED,
            waitlist_position__lt=b.waitlist_position,
        ).count()
        out[b.pk] = ahead + 1
    return out


def approvals_for(user: Any) -> list[Booking]:
    """Bookings waiting for this person's approval."""
    qs = with_details(
        gate.bookings(user).filter(status=Booking.Status.PENDING_APPROVAL).exclude(user_id=user.pk)
    ).select_related("school")
    return [b for b in qs.order_by("created_at")[:200] if gate.may_approve(user, b)]


def my_invitations(user: Any) -> QuerySet:
    return (
        Invitation.objects.filter(user_id=user.pk)
        .select_related("session__offer", "invited_by")
        .order_by("-created_at")[:100]
    )


def visible_session(user: Any, pk: Any) -> Session:
    """A session the person may see (404 otherwise), with its offer."""
    return gate.get_visible(gate.sessions(user).select_related("offer"), pk=pk)


# Booking a place runs these on every request: compiled once (see tenancy/prepared.py).
_session_with_offer = Prepared(
    lambda pk: Session.objects.select_related("offer").filter(pk=pk), int
)
_dates_of = Prepared(lambda pk: SessionDate.objects.filter(session_id=pk), int)


def session_for_booking(user: Any, pk: Any) -> Session:
    """The hot path: a session the person may book needs no visibility query; one they may
    not book is looked up through the gate, so that not-yours still answers 404. Its
    dates come loaded (as `prefetch_related("dates")` would)."""
    try:
        session = _session_with_offer.first(int(pk))
    except (ValueError, TypeError):
        session = None
    if session is None or not gate.may_book(user, session):
        return visible_session(user, pk)
    dates = session.dates.all()
    dates._result_cache, dates._prefetch_done = _dates_of(session.pk), True
    session._prefetched_objects_cache = {"dates": dates}
    return session


def visible_booking(user: Any, pk: Any) -> Booking:
    return gate.get_visible(gate.bookings(user).select_related("session__offer", "user"), pk=pk)
