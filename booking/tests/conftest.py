"""Booking test helpers on top of the project's `world` personas."""

from __future__ import annotations

import pytest

from booking.factories import make_offer, make_session


@pytest.fixture
def session(world):
    """A 3-place session of a Riverside Primary offer, next week."""
    return make_session(make_offer(school=world.school), capacity=3)


@pytest.fixture
def fresh():
    """A fresh copy of a user, without the memberships cached on the object."""
    from tenancy.models import User

    def get(user):
        return User.objects.get(pk=user.pk)

    return get
