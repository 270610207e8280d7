"""Periodic work: expire offers, send the day-before reminders and evaluation prompts.

Run by `staffroom booking-housekeeping` (cron, every few minutes) or as a task. Every step is
idempotent: a second run in the same minute sends nothing new.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from booking import notify
from booking.evaluations import send_evaluation_prompts
from booking.models import Booking, Notification
from booking.services import expire_offers
from offers.models import SessionDate


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Remind each confirmed person of a date starting within the next day (once per
    booking and date). Returns how many reminders were queued."""
    now = now or timezone.now()
    ahead = datetime.timedelta(hours=int(getattr(settings, "BOOKING_REMINDER_HOURS", 24)))
    dates = SessionDate.objects.filter(
        starts_at__gt=now, starts_at__lte=now + ahead, session__status="scheduled"
    ).values_list("pk", "session_id", "starts_at")
    wanted = {}
    for date_id, session_id, starts_at in dates:
        for booking_id, user_id in Booking.objects.filter(
            session_id=session_id, status=Booking.Status.CONFIRMED
        ).values_list("pk", "user_id"):
            wanted[f"reminder:{booking_id}:{date_id}"] = (booking_id, user_id, starts_at)
    if not wanted:
        return 0
    done = set(
        Notification.objects.filter(dedupe_key__in=list(wanted)).values_list(
            "dedupe_key", flat=True
        )
    )
    sent = 0
    for key, (booking_id, user_id, starts_at) in wanted.items():
        if key in done:
            continue
        starts = timezone.localtime(starts_at).strftime("%A %-d %B at %H:%M")
        notify._enqueue(
            "deliver",
            kind=notify.Kind.REMINDER,
            user_id=user_id,
            booking_id=booking_id,
            key=key,
            extra={"starts": starts},
        )
        sent += 1
    return sent


def run(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "offers_expired": expire_offers(now),
        "reminders": send_due_reminders(now),
        "evaluation_prompts": send_evaluation_prompts(now),
    }
