"""Booking's answer to the offer side's signals (sent inside the offers service's
transaction, so our writes share it and our notifications wait for its commit)."""

from __future__ import annotations

from typing import Any

from booking import notify
from booking.services import cancel_bookings_for_session, fill_free_places

# Changes people booked should hear about (capacity and facilitators alone are not).
NEWS = {"dates", "location", "meeting_link", "starts_at", "ends_at", "label"}


def on_session_changed(
    sender: Any, session: Any = None, changes: dict | None = None, actor: Any = None, **kwargs: Any
) -> None:
    session = session or kwargs.get("instance")
    if session is None:
        return
    changes = changes or {}
    if "capacity" in changes:
        fill_free_places(actor, session)
    if not changes or NEWS & set(changes):
        notify.session_later(notify.Kind.CHANGED, session.pk, session.sequence, None)


def on_session_cancelled(
    sender: Any, session: Any = None, actor: Any = None, reason: str = "", **kwargs: Any
) -> None:
    session = session or kwargs.get("instance")
    if session is not None:
        cancel_bookings_for_session(actor, session, reason=reason or "")
