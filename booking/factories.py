"""Offers and sessions for booking tests, the demo and benchmarks, made with the ORM."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from offers.models import Offer, Session, SessionDate


def make_offer(
    *, school: Any = None, network: Any = None, provider: Any = None, **extra: Any
) -> Offer:
    extra.setdefault("title", "Questioning that makes pupils think")
    extra.setdefault("status", Offer.Status.PUBLISHED)
    return Offer.objects.create(school=school, network=network, provider=provider, **extra)


def make_session(
    offer: Offer | None = None,
    *,
    capacity: int = 20,
    starts_at: datetime.datetime | None = None,
    hours: float = 1.5,
    dates: list[tuple[datetime.datetime, datetime.datetime]] | None = None,
    facilitators: tuple = (),
    school: Any = None,
    **extra: Any,
) -> Session:
    """A session with one date (by default a week from now, 90 minutes) or the given dates."""
    offer = offer or make_offer(school=school)
    session = Session.objects.create(offer=offer, capacity=capacity, **extra)
    if dates is None:
        start = starts_at or (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=15, minute=30, second=0, microsecond=0
        )
        dates = [(start, start + datetime.timedelta(hours=hours))]
    for start, end in dates:
        SessionDate.objects.create(session=session, starts_at=start, ends_at=end)
    session.refresh_span()
    session.save(update_fields=["starts_at", "ends_at"])
    if facilitators:
        session.facilitators.set(facilitators)
    return session


def paid_course(provider: Any, *, cost: str = "150.00", **extra: Any) -> Offer:
    return make_offer(
        provider=provider,
        kind=Offer.Kind.EXTERNAL,
        cost=Decimal(cost),
        paid_by=Offer.Payer.SCHOOL,
        needs_approval=True,
        title=extra.pop("title", "Leading mathematics (external)"),
        **extra,
    )
