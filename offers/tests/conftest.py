"""Helpers for the offer tests: dates in the future and offers made through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from offers import services


def at(days: int, hour: int = 16, minutes: int = 0) -> datetime.datetime:
    """An aware time `days` from today, at `hour` UK time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minutes)))


@pytest.fixture
def school_offer(world):
    """Make a published offer of Riverside Primary, with one session a week away."""

    def make(title="Retrieval practice in maths", *, days=7, capacity=20, **values):
        lead = world.people["cpd_lead"]
        offer = services.create_offer(lead, title=title, school=world.school, **values)
        session = services.add_session(
            lead, offer, dates=[(at(days), at(days, 17), "")], capacity=capacity
        )
        return offer, session

    return make


@pytest.fixture
def network_event(world):
    def make(title="Trust-wide reading conference", *, days=10, capacity=50, **values):
        lead = world.people["network_lead"]
        offer = services.create_offer(
            lead, title=title, kind="network_event", network=world.network, **values
        )
        session = services.add_session(
            lead, offer, dates=[(at(days, 9), at(days, 15), "")], capacity=capacity
        )
        return offer, session

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The catalogue keeps reference lists in Django's cache; a rolled-back test never
    sends the signals that drop them, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
