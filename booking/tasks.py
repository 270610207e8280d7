"""Background work (django-tasks): notifications, offer expiry, reminders, evaluation
prompts. Each task is safe to run twice: notifications carry a dedupe key."""

from __future__ import annotations

from django_tasks import task

from booking import notify
from booking.models import Booking


@task()
def deliver(
    kind: str,
    user_id: int,
    booking_id: int | None = None,
    invitation_id: int | None = None,
    key: str | None = None,
    extra: dict | None = None,
) -> int | None:
    """One in-app notification and its email."""
    note = notify.deliver(
        kind, user_id, booking_id=booking_id, invitation_id=invitation_id, key=key, extra=extra
    )
    return note.pk if note else None


@task()
def notify_approvers(booking_id: int) -> int:
    """Tell each approver that a booking waits for them."""
    booking = Booking.objects.select_related("school").filter(pk=booking_id).first()
    if booking is None or booking.status != Booking.Status.PENDING_APPROVAL:
        return 0
    approvers = notify.approvers_of(booking)
    for user_id in approvers:
        notify.deliver(
            notify.Kind.APPROVAL_NEEDED,
            user_id,
            booking_id=booking.pk,
            key=f"approval_needed:{booking.pk}:{user_id}",
        )
    return len(approvers)


@task()
def notify_session(
    kind: str, session_id: int, sequence: int, booking_ids: list[int] | None = None
) -> int:
    """Tell the people booked on a session that it changed (or was cancelled)."""
    qs = Booking.objects.filter(session_id=session_id)
    qs = qs.filter(pk__in=booking_ids) if booking_ids else qs.filter(status__in=Booking.ACTIVE)
    sent = 0
    for booking_id, user_id in qs.values_list("pk", "user_id"):
        notify.deliver(kind, user_id, booking_id=booking_id, key=f"{kind}:{booking_id}:{sequence}")
        sent += 1
    return sent


@task()
def expire_offers_task() -> int:
    """Pass places whose offer deadline has gone to the next person waiting."""
    from booking.services import expire_offers

    return expire_offers()


@task()
def housekeeping_task() -> dict:
    from booking.housekeeping import run

    return run()
