"""The short evaluation after the last date (Guskey levels 1 and 2) and its summary."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from booking import notify
from booking.models import Attendance, Booking, Evaluation, Notification
from history.services import record
from offers.models import Session
from tenancy.errors import Conflict, DomainError

ATTENDED = [Attendance.Mark.PRESENT, Attendance.Mark.LATE]
PROMPT_WINDOW = datetime.timedelta(days=30)


def attended(booking: Booking) -> bool:
    return booking.attendance.filter(mark__in=ATTENDED).exists()


def may_evaluate(booking: Booking, now: datetime.datetime | None = None) -> bool:
    """After the last date, an attendee who has not yet answered."""
    now = now or timezone.now()
    session = booking.session
    return (
        session.ends_at is not None
        and session.ends_at <= now
        and attended(booking)
        and not Evaluation.objects.filter(booking=booking).exists()
    )


def submit_evaluation(
    actor: Any,
    booking: Booking,
    *,
    worth_time: int,
    learned: str,
    will_try: str,
    try_by: datetime.date | None = None,
) -> Evaluation:
    """The attendee's own evaluation, once (409 the second time)."""
    if booking.user_id != actor.pk:
        raise DomainError("Only the attendee can evaluate their session.", status=403)
    if not (1 <= int(worth_time) <= 5):
        raise DomainError("Choose a value from 1 to 5.", field="worth_time")
    if not learned.strip():
        raise DomainError("Say what you learned.", field="learned")
    if not will_try.strip():
        raise DomainError("Say what you will try in class.", field="will_try")
    session = booking.session
    if session.ends_at is None or session.ends_at > timezone.now():
        raise DomainError("The evaluation opens after the last date.", status=409)
    if not attended(booking):
        raise DomainError("Only people who attended can evaluate the session.", status=403)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                booking=booking,
                worth_time=int(worth_time),
                learned=learned.strip(),
                will_try=will_try.strip(),
                try_by=try_by,
            )
            record(actor, "evaluation.submitted", booking, {"worth_time": int(worth_time)})
    except IntegrityError as exc:
        raise Conflict("You have already evaluated this session.") from exc
    return evaluation


def summary(session: Session) -> dict:
    """Averages and the 1-5 distribution of `worth_time`, and the answers. Three queries."""
    qs = Evaluation.objects.filter(booking__session=session)
    agg = qs.aggregate(n=Count("pk"), avg=Avg("worth_time"))
    counts = dict(
        qs.values_list("worth_time").annotate(c=Count("pk")).values_list("worth_time", "c")
    )
    attendees = (
        Attendance.objects.filter(booking__session=session, mark__in=ATTENDED)
        .values("booking_id")
        .distinct()
        .count()
    )
    distribution = [{"value": v, "count": counts.get(v, 0)} for v in range(1, 6)]
    answers = list(qs.select_related("booking__user").order_by("-submitted_at")[:200])
    return {
        "responses": agg["n"] or 0,
        "attendees": attendees,
        "response_rate": round(100 * (agg["n"] or 0) / attendees) if attendees else 0,
        "average": round(agg["avg"], 2) if agg["avg"] is not None else None,
        "distribution": distribution,
        "answers": answers,
    }


def send_evaluation_prompts(
    now: datetime.datetime | None = None, *, session_ids: Iterable[int] | None = None
) -> int:
    """Ask each attendee of a session that ended (within the last 30 days) for the short
    evaluation, once. Returns how many prompts were queued."""
    now = now or timezone.now()
    sessions = Session.objects.filter(ends_at__lte=now, ends_at__gte=now - PROMPT_WINDOW)
    if session_ids is not None:
        sessions = Session.objects.filter(pk__in=list(session_ids), ends_at__lte=now)
    wanted = {
        f"evaluation:{booking_id}": (booking_id, user_id)
        for booking_id, user_id in Booking.objects.filter(
            session__in=sessions, attendance__mark__in=ATTENDED, evaluation__isnull=True
        )
        .values_list("pk", "user_id")
        .distinct()
    }
    if not wanted:
        return 0
    done = set(
        Notification.objects.filter(dedupe_key__in=list(wanted)).values_list(
            "dedupe_key", flat=True
        )
    )
    sent = 0
    for key, (booking_id, user_id) in wanted.items():
        if key not in done:
            notify._enqueue(
                "deliver",
                kind=notify.Kind.EVALUATION,
                user_id=user_id,
                booking_id=booking_id,
                key=key,
            )
            sent += 1
    return sent
