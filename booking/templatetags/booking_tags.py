"""Template helpers for booking pages, and the booking panel other apps' pages include:

    {% load booking_tags %}{% booking_panel session %}

shows the person's booking (or a Book button) and, for leaders, links to the register,
invitations and evaluations."""

from __future__ import annotations

from typing import Any

from django import template

from booking.models import Booking
from tenancy import gate

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.inclusion_tag("booking/_panel.html", takes_context=True)
def booking_panel(context: dict, session: Any) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = None
    if user is not None and user.is_authenticated:
        mine = Booking.objects.filter(
            session=session, user_id=user.pk, status__in=Booking.ACTIVE
        ).first()
    return {
        "session": session,
        "mine": mine,
        "may_book": bool(user and gate.may_book(user, session)),
        "runs": bool(user and user.is_authenticated and gate.runs_session(user, session)),
        "may_invite": bool(user and user.is_authenticated and gate.directable_staff(user).exists()),
        "csrf_token": context.get("csrf_token"),
    }
