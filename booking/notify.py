"""Notifications: an in-app row and an email, made by a task that runs after commit.

Services call `later(...)` inside their transaction; nothing is sent unless the change
commits, and nothing is sent under a lock. A `key` (Notification.dedupe_key) makes a
repeat a no-op, so a task that runs twice, or a housekeeping pass that runs every hour,
tells each person once.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, Invitation, Notification
from tenancy.models import StaffMember, TeamMembership, User

log = logging.getLogger(__name__)


class Kind:
    """What happened; several map onto one Notification.Kind."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PLACE_OFFERED = "place_offered"
    APPROVAL_REQUESTED = "approval_requested"  # to the person asking
    APPROVAL_NEEDED = "approval_needed"  # to the approver
    APPROVED = "approved"
    DECLINED = "declined"
    REMINDER = "reminder"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    INVITED = "invited"
    DIRECTED = "directed"
    EVALUATION = "evaluation"
    BOOKED = "booked"  # told as the booking stands when the task runs (see BOOKED_AS)


MODEL_KIND = {
    Kind.APPROVAL_REQUESTED: Notification.Kind.OTHER,
    Kind.DIRECTED: Notification.Kind.INVITED,
}


# A booking's own notice is queued before its place is known (so that nothing but the
# place is written under the session's lock) and says what the booking is by then. A
# booking offered a place or cancelled meanwhile has had, or needs, no notice of its own.
BOOKED_AS = {
    Booking.Status.CONFIRMED: Kind.CONFIRMED,
    Booking.Status.WAITLISTED: Kind.WAITLISTED,
    Booking.Status.PENDING_APPROVAL: Kind.APPROVAL_REQUESTED,
}


# --- Called inside a service's transaction ------------------------------------------------


def _enqueue(task_name: str, **kwargs: Any) -> None:
    from booking import tasks

    try:
        getattr(tasks, task_name).enqueue(**kwargs)
    except Exception:  # a lost email must never undo a committed booking
        log.exception("Could not enqueue %s", task_name)


def _stores_rows(task_name: str) -> bool:
    """Whether the task's backend keeps queued tasks as rows in this database, which a
    worker reads only once they are committed."""
    from django_tasks_db import DatabaseBackend

    from booking import tasks

    return isinstance(getattr(tasks, task_name).get_backend(), DatabaseBackend)


def _enqueue_with_commit(task_name: str, **kwargs: Any) -> None:
    """Queue a task so that it runs only if the current transaction commits.

    A database-backed queue gets its row inside the transaction: atomic with the change (a
    committed booking always has its notification queued, even if the process dies at
    once) and no second transaction. The worker picks it up after commit, never under the
    caller's lock. Any other backend (the immediate one in tests runs tasks on enqueue)
    is handed the task on commit."""
    if not (transaction.get_connection().in_atomic_block and _stores_rows(task_name)):
        transaction.on_commit(partial(_enqueue, task_name, **kwargs))
        return
    from booking import tasks

    try:
        getattr(tasks, task_name).enqueue(**kwargs)
    except DatabaseError:
        raise  # the transaction cannot go on; the change is refused, not half made
    except Exception:  # a bad task (say, arguments that are not JSON) must not undo it
        log.exception("Could not enqueue %s", task_name)


def later(
    kind: str,
    user_id: int,
    *,
    booking_id: int | None = None,
    invitation_id: int | None = None,
    key: str | None = None,
    extra: dict | None = None,
) -> None:
    """Tell `user_id` about `kind` once the current transaction commits."""
    _enqueue_with_commit(
        "deliver",
        kind=kind,
        user_id=user_id,
        booking_id=booking_id,
        invitation_id=invitation_id,
        key=key,
        extra=extra or {},
    )


def approvers_later(booking_id: int) -> None:
    """Tell the approvers of a booking that waits for approval, after commit."""
    _enqueue_with_commit("notify_approvers", booking_id=booking_id)


def session_later(kind: str, session_id: int, sequence: int, booking_ids: list[int] | None) -> None:
    """Tell everyone booked on a session that it changed or was cancelled, after commit."""
    _enqueue_with_commit(
        "notify_session",
        kind=kind,
        session_id=session_id,
        sequence=sequence,
        booking_ids=booking_ids,
    )


def expire_offers_at(when: datetime.datetime) -> None:
    """Schedule a pass over expired offers for when this deadline passes (backends that
    cannot defer rely on `staffroom booking-housekeeping`)."""

    def go() -> None:
        from booking import tasks

        task = tasks.expire_offers_task
        try:
            if not task.get_backend().supports_defer:
                return
            task.using(run_after=when + datetime.timedelta(seconds=5)).enqueue()
        except Exception:
            log.exception("Could not schedule the offer expiry")

    transaction.on_commit(go)


# --- Run by tasks -------------------------------------------------------------------------


def _when(booking: Booking) -> str:
    start = booking.session.starts_at
    return (
        timezone.localtime(start).strftime("%A %-d %B %Y at %H:%M") if start else "a date to be set"
    )


def compose(
    kind: str,
    user: User,
    booking: Booking | None,
    invitation: Invitation | None,
    extra: dict,
) -> tuple[str, str, str]:
    """Title, body and link of one notification."""
    my_bookings = reverse("booking:my_bookings")
    if invitation is not None:
        title = invitation.session.offer.title
        who = invitation.invited_by.get_full_name() if invitation.invited_by else "A leader"
        if kind == Kind.DIRECTED:
            return (
                f"You have been booked on {title}",
                f"{who} booked you a place on {title}. {invitation.message}".strip(),
                my_bookings,
            )
        return (
            f"Invitation: {title}",
            f"{who} invites you to {title}. {invitation.message}".strip(),
            reverse("booking:invitations"),
        )
    assert booking is not None
    title = booking.session.offer.title
    when = _when(booking)
    if kind == Kind.CONFIRMED:
        return f"Booked: {title}", f"Your place on {title} ({when}) is confirmed.", my_bookings
    if kind == Kind.WAITLISTED:
        return (
            f"Waiting list: {title}",
            f"{title} ({when}) is full. You are number {booking.waitlist_position} on the "
            "waiting list; we will offer you a place if one comes free.",
            my_bookings,
        )
    if kind == Kind.PLACE_OFFERED:
        until = (
            timezone.localtime(booking.offered_until).strftime("%A %-d %B at %H:%M")
            if booking.offered_until
            else "soon"
        )
        return (
            f"A place is free: {title}",
            f"A place on {title} ({when}) is yours if you accept it by {until}. After that it "
            "goes to the next person waiting.",
            my_bookings,
        )
    if kind == Kind.APPROVAL_REQUESTED:
        return (
            f"Waiting for approval: {title}",
            f"Your request for {title} ({when}) has gone to the approver. No place is held "
            "until it is approved.",
            my_bookings,
        )
    if kind == Kind.APPROVAL_NEEDED:
        return (
            f"Approval needed: {booking.user.get_full_name()} — {title}",
            f"{booking.user.get_full_name()} asks to attend {title} ({when}).",
            reverse("booking:approvals"),
        )
    if kind == Kind.APPROVED:
        state = (
            "Your place is confirmed."
            if booking.status == Booking.Status.CONFIRMED
            else f"The course is full, so you are number {booking.waitlist_position} on the "
            "waiting list."
        )
        return f"Approved: {title}", f"Your request for {title} was approved. {state}", my_bookings
    if kind == Kind.DECLINED:
        note = f" Note: {booking.decision_note}" if booking.decision_note else ""
        return (
            f"Not approved: {title}",
            f"Your request for {title} was not approved.{note}",
            my_bookings,
        )
    if kind == Kind.REMINDER:
        place = (
            booking.session.location
            or booking.session.offer.location
            or booking.session.meeting_link
        )
        at = extra.get("starts") or when
        return (
            f"Tomorrow: {title}",
            f"A reminder that {title} is on {at}{' at ' + place if place else ''}.",
            my_bookings,
        )
    if kind == Kind.CHANGED:
        return (
            f"Changed: {title}",
            f"{title} has changed. It is now on {when}. Check the details and your calendar.",
            my_bookings,
        )
    if kind == Kind.CANCELLED:
        return (
            f"Cancelled: {title}",
            f"Your booking for {title} ({when}) is cancelled.",
            my_bookings,
        )
    if kind == Kind.EVALUATION:
        return (
            f"How was {title}?",
            f"Thank you for attending {title}. Two minutes: was it worth your time, what did "
            "you learn and what will you try in class?",
            reverse("booking:evaluate", args=[booking.pk]),
        )
    return title, "", my_bookings


def deliver(
    kind: str,
    user_id: int,
    *,
    booking_id: int | None = None,
    invitation_id: int | None = None,
    key: str | None = None,
    extra: dict | None = None,
) -> Notification | None:
    """Make the in-app notification and send its email. A repeat with the same key is a
    no-op (the email is retried only if it never went)."""
    if key:
        existing = Notification.objects.filter(dedupe_key=key).first()
        if existing is not None:
            if existing.emailed_at is None:
                _email(existing)
            return existing
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    booking = (
        Booking.objects.select_related("session__offer", "user").filter(pk=booking_id).first()
        if booking_id
        else None
    )
    invitation = (
        Invitation.objects.select_related("session__offer", "invited_by")
        .filter(pk=invitation_id)
        .first()
        if invitation_id
        else None
    )
    if booking is None and invitation is None:
        return None
    if kind == Kind.BOOKED:
        kind = BOOKED_AS.get(booking.status) if booking else None
        if kind is None:
            return None
    title, body, url = compose(kind, user, booking, invitation, extra or {})
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user,
                kind=MODEL_KIND.get(kind, kind),
                title=title[:200],
                body=body,
                url=url,
                dedupe_key=key,
            )
    except IntegrityError:
        return Notification.objects.filter(dedupe_key=key).first()
    _email(note)
    return note


def _email(note: Notification) -> None:
    user = note.user
    text = render_to_string(
        "booking/email/notification.txt",
        {"note": note, "user": user, "link": settings.SITE_URL + note.url if note.url else ""},
    )
    send_mail(note.title, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def approvers_of(booking: Booking) -> list[int]:
    """Who decides: the person's middle leaders when the school says so (falling back to the
    CPD leads when they have none), else the school's CPD leads."""
    if booking.school_id is None:
        return []
    school = booking.school
    if school.approver == school.Approver.MIDDLE_LEADER:
        teams = TeamMembership.objects.filter(
            staff__user_id=booking.user_id, staff__school_id=booking.school_id
        ).values("team_id")
        leaders = set(
            TeamMembership.objects.filter(
                team_id__in=teams, is_leader=True, staff__archived_at__isnull=True
            )
            .exclude(staff__user_id=booking.user_id)
            .values_list("staff__user_id", flat=True)
        )
        if leaders:
            return sorted(leaders)
    return sorted(
        StaffMember.objects.filter(
            school_id=booking.school_id, is_cpd_lead=True, archived_at__isnull=True
        )
        .exclude(user_id=booking.user_id)
        .values_list("user_id", flat=True)
    )


_UNREAD = f"""
    SELECT COUNT(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL
"""  # noqa: S608 (the table name from the model; the value is a parameter)


def unread_count(user: Any) -> int:
    """The number on every page's Notifications link: plain SQL, as it runs on each page."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD, [user.pk])
        return cursor.fetchone()[0]
