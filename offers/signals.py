"""Signals the offer side sends so that booking can react without offers importing booking.

Both are sent inside the service's transaction, after the session row is saved, so a
receiver may write in the same transaction (for example cancel bookings). Receivers that
send email or calendar updates must defer them with `transaction.on_commit`.

`session_changed(sender=Session, session=..., changes={field: [old, new]}, actor=...)`:
dates, place, link or capacity changed; `session.sequence` was bumped when dates or place did.

`session_cancelled(sender=Session, session=..., actor=..., reason=...)`: the session will
not run; its sequence was bumped.
"""

from django.dispatch import Signal

session_changed = Signal()
session_cancelled = Signal()
