"""Services that change bookings: one function per thing a person does.

Pages and the API call the same functions. Each runs in one transaction, writes its history
row, and queues its notifications so that they run only after commit (`notify.later`).
"""

from booking.services.bookings import (
    accept_offered_place,
    approve_booking,
    book_session,
    cancel_booking,
    cancel_bookings_for_session,
    decline_booking,
    decline_offered_place,
    expire_offers,
    fill_free_places,
    needs_approval,
    school_for,
)
from booking.services.invitations import answer_invitation, direct_to_session, invite_to_session

__all__ = [
    "accept_offered_place",
    "answer_invitation",
    "approve_booking",
    "book_session",
    "cancel_booking",
    "cancel_bookings_for_session",
    "decline_booking",
    "decline_offered_place",
    "direct_to_session",
    "expire_offers",
    "fill_free_places",
    "invite_to_session",
    "needs_approval",
    "school_for",
]
