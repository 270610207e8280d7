"""Booking a session, the waiting list, offered places and approval.

Seat counts live on `offers.Session` (`confirmed_count` counts the seats held: confirmed
bookings and places offered; `waiting_count` the waiting list; `last_position` the last
waiting-list number given) and change only inside a transaction holding the session's row
lock. A booking takes that lock and its place in one UPDATE (`_take_place`); the other
services lock the row with `select_for_update`. Lock order is always person first, then
session, so two writers never deadlock. On SQLite `select_for_update` is a no-op, but the
IMMEDIATE transaction mode serialises writers, which gives the same guarantee.
"""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from booking import notify
from booking.models import Booking
from history.models import HistoryEntry
from history.services import entry, record
from offers.models import Offer, Session, SessionDate
from tenancy import gate
from tenancy.errors import Conflict, DomainError
from tenancy.models import User
from tenancy.prepared import insert_values

Status = Booking.Status


def offer_hours() -> int:
    """How long a person has to accept a place offered from the waiting list."""
    return int(getattr(settings, "BOOKING_OFFER_HOURS", 48))


# --- Locks ------------------------------------------------------------------------------


_LOCK_PERSON = f"SELECT {{number}} FROM {User._meta.db_table} WHERE id = %s FOR UPDATE"  # noqa: S608
_NEXT_BOOKING = f"nextval(pg_get_serial_sequence('{Booking._meta.db_table}', 'id'))"


def _lock_person(person_id: int, *, number: bool = False) -> int | None:
    """Serialise one person's bookings, so that two sessions booked at once cannot clash.
    With `number` (PostgreSQL), also draw the id of the booking about to be made."""
    if not connection.features.has_select_for_update:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_PERSON.format(number=_NEXT_BOOKING if number else "id"), [person_id])
        row = cursor.fetchone()
    return row[0] if number and row else None


def _lock_session(session_id: int) -> Session:
    """The session row, locked until the transaction ends (tests replace this to show the
    race it prevents)."""
    qs = Session.objects.select_related("offer")
    if connection.features.has_select_for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=session_id)


def _save_counts(session: Session) -> None:
    """Write the counters; an UPDATE of three columns, no post_save signal."""
    Session.objects.filter(pk=session.pk).update(
        confirmed_count=session.confirmed_count,
        waiting_count=session.waiting_count,
        last_position=session.last_position,
    )


# The booking's one statement under the session lock: while the session is open, lock its
# row and move the counters (a seat while one is free and nobody waits, else the next place
# in the queue), returning the new counts. Both backends evaluate every SET expression on
# the old row, so the three CASEs agree.
_SEAT = "confirmed_count < capacity AND waiting_count = 0"
_SESSIONS, _OFFERS = Session._meta.db_table, Offer._meta.db_table
_TAKE_PLACE = f"""
    UPDATE {_SESSIONS} SET {{moves}}
    WHERE id = %s AND status = %s
      AND (SELECT status FROM {_OFFERS} o WHERE o.id = {_SESSIONS}.offer_id) = %s
      AND (booking_opens_at IS NULL OR booking_opens_at <= %s)
      AND (booking_closes_at IS NULL OR booking_closes_at > %s)
      AND (booking_closes_at IS NOT NULL OR starts_at IS NULL OR starts_at > %s)
    RETURNING capacity, confirmed_count, waiting_count, last_position
"""  # noqa: S608 (table names from the models; every value is a parameter)
_MOVE = (
    f"confirmed_count = confirmed_count + CASE WHEN {_SEAT} THEN 1 ELSE 0 END, "
    f"waiting_count = waiting_count + CASE WHEN {_SEAT} THEN 0 ELSE 1 END, "
    f"last_position = last_position + CASE WHEN {_SEAT} THEN 0 ELSE 1 END"
)
_HOLD = "confirmed_count = confirmed_count"  # approval: the lock and the re-check, no place


def _open(session: Session, now: datetime.datetime) -> list[Any]:
    """The values `_TAKE_PLACE` checks the session against: open, published, in its window."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    scheduled, published = Session.Status.SCHEDULED.value, Offer.Status.PUBLISHED.value
    return [session.pk, scheduled, published, stamp, stamp, stamp]


def _take_place(session: Session, now: datetime.datetime, *, place: bool) -> Session:
    """Lock the session row and, with `place`, take a seat or the next waiting-list number,
    in one statement. Updates and returns `session` (its counts as they now are). Refuses
    (DomainError, which rolls the caller's transaction back) when the session is not open;
    call inside a transaction (tests replace this to show the race it prevents)."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_PLACE.format(moves=_MOVE if place else _HOLD), _open(session, now))
        row = cursor.fetchone()
    if row is None:
        _refuse_closed(session, now)
    session.capacity, session.confirmed_count, session.waiting_count, session.last_position = row
    return session


def _refuse_closed(session: Session, now: datetime.datetime) -> NoReturn:
    """Say why the session refused a place (its row, read again, says which rule)."""
    try:
        _check_open(_lock_session(session.pk), now)
    except Session.DoesNotExist:
        raise DomainError("This session no longer exists.", status=404) from None
    raise Conflict("This session is not open for booking.")


def _one_statement() -> bool:
    """Whether a booking's place, row and history go in one statement (PostgreSQL); tests
    turn it off to show the race the lock prevents."""
    return connection.vendor == "postgresql"


# On PostgreSQL the place, the booking and its history row are one statement, so the
# session's row lock is held for that statement and the commit, not for a round trip per
# row. The booking's status and waiting-list number come from the counters the UPDATE
# returns: confirmed while nobody waits, else the last number given.
_BOOKED = "s.waiting_count = 0"
_TAKE_AND_BOOK = """
    WITH s AS ({take}),
    b AS (
        INSERT INTO {bookings} ({booking_columns})
        SELECT {booking_values} FROM s
        RETURNING id, status, waitlist_position
    ),
    h AS (
        INSERT INTO {history} ({history_columns})
        SELECT {history_values} FROM b
    )
    SELECT b.id, b.status, b.waitlist_position,
           s.capacity, s.confirmed_count, s.waiting_count, s.last_position
    FROM b, s
"""


def _take_place_and_book(
    session: Session, now: datetime.datetime, booking: Booking, history: HistoryEntry
) -> None:
    """PostgreSQL: take a seat or the next waiting-list number and insert `booking` and its
    `history` row, in one statement. Sets the booking's id, status and position and the
    session's counts; refuses as `_take_place` does."""
    ops = connection.ops
    booking_row = insert_values(booking, connection)
    booking_row["status"] = SQL(
        f"CASE WHEN {_BOOKED} THEN '{Status.CONFIRMED.value}' ELSE '{Status.WAITLISTED.value}' END"
    )
    booking_row["waitlist_position"] = SQL(
        f"CASE WHEN {_BOOKED} THEN NULL ELSE s.last_position END"
    )
    history_row = insert_values(history, connection)
    history_row["subject_id"] = SQL("b.id::text")
    history_row["changes"] = SQL(
        "%s::jsonb || jsonb_build_object('status', b.status, 'position', b.waitlist_position)",
        [history_row["changes"]],
    )
    params = _open(session, now)
    booking_values, booking_params = _values(booking_row)
    history_values, history_params = _values(history_row)
    sql = _TAKE_AND_BOOK.format(
        take=_TAKE_PLACE.format(moves=_MOVE),
        bookings=_BOOKINGS,
        booking_columns=", ".join(ops.quote_name(c) for c in booking_row),
        booking_values=booking_values,
        history=HistoryEntry._meta.db_table,
        history_columns=", ".join(ops.quote_name(c) for c in history_row),
        history_values=history_values,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + booking_params + history_params)
        row = cursor.fetchone()
    if row is None:
        _refuse_closed(session, now)
    booking.pk, booking.status, booking.waitlist_position = row[:3]
    booking._state.adding = False
    session.capacity, session.confirmed_count, session.waiting_count, session.last_position = row[
        3:
    ]


class SQL:
    """A column's value written as SQL (with its own parameters) in `_values`."""

    def __init__(self, text: str, params: list[Any] | None = None) -> None:
        self.text, self.params = text, params or []


def _values(row: dict[str, Any]) -> tuple[str, list[Any]]:
    parts, params = [], []
    for value in row.values():
        if isinstance(value, SQL):
            parts.append(value.text)
            params += value.params
        else:
            parts.append("%s")
            params.append(value)
    return ", ".join(parts), params


# --- Rules --------------------------------------------------------------------------------


def needs_approval(offer: Offer) -> bool:
    """External courses with a cost, or any offer marked as needing approval, wait for the
    approver before a place is held."""
    return bool(offer.needs_approval or (offer.cost and offer.cost > 0))


def school_for(person: Any, offer: Offer) -> int | None:
    """The school whose directed time a booking counts against: the offer's school when the
    person works there, else their first current school (none for providers)."""
    staff = gate.access(person).staff
    if offer.school_id and offer.school_id in staff:
        return offer.school_id
    return min(staff) if staff else None


def _check_open(session: Session, now: datetime.datetime) -> None:
    """Refuse bookings for a session that is cancelled, unpublished or outside its window."""
    if session.status != Session.Status.SCHEDULED:
        raise DomainError("This session has been cancelled.", status=409)
    if session.offer.status != Offer.Status.PUBLISHED:
        raise DomainError("This session is not open for booking.", status=409)
    if session.booking_opens_at and now < session.booking_opens_at:
        when = timezone.localtime(session.booking_opens_at).strftime("%-d %b %Y at %H:%M")
        raise DomainError(f"Booking opens on {when}.", status=409)
    if session.booking_closes_at and now >= session.booking_closes_at:
        raise DomainError("Booking for this session has closed.", status=409)
    if session.booking_closes_at is None and session.starts_at and now >= session.starts_at:
        raise DomainError("This session has already started.", status=409)


def _name(person: Any, actor: Any) -> str:
    return "You" if person.pk == actor.pk else (person.get_full_name() or "They")


# The person's active bookings on this session, or on one with a date overlapping one of
# its dates: one statement on the person's bookings (index on user, status), with an EXISTS
# over the two sessions' dates (index on session). Plain SQL: this runs on every booking, and
# building the same query through the ORM cost more than running it.
_BOOKINGS, _DATES = Booking._meta.db_table, SessionDate._meta.db_table
_CONFLICTS = f"""
    SELECT b.session_id, b.status FROM {_BOOKINGS} b
    WHERE b.user_id = %s AND b.status IN ({", ".join(["%s"] * len(Booking.ACTIVE))})
      AND (b.session_id = %s OR EXISTS (
        SELECT 1 FROM {_DATES} theirs, {_DATES} ours
        WHERE theirs.session_id = b.session_id AND ours.session_id = %s
          AND theirs.starts_at < ours.ends_at AND theirs.ends_at > ours.starts_at))
    LIMIT 5
"""  # noqa: S608 (table names from the models; every value is a parameter)


def _conflicts(person_id: int, session_id: int) -> list[dict]:
    """The person's active bookings that stop them booking this session (at most five):
    one on it, or one whose dates overlap its dates. Call while holding the person's lock."""
    with connection.cursor() as cursor:
        active = [status.value for status in Booking.ACTIVE]
        cursor.execute(_CONFLICTS, [person_id, *active, session_id, session_id])
        return [{"session_id": sid, "status": status} for sid, status in cursor.fetchall()]


def _refuse_conflicts(found: list[dict], session_id: int, person: Any, actor: Any) -> None:
    if not found:
        return
    who = _name(person, actor)
    has = "have" if who == "You" else "has"
    for row in found:
        if row["session_id"] == session_id:
            status = Status(row["status"]).label.lower()
            raise Conflict(f"{who} already {has} a booking for this session ({status}).")
    title = Offer.objects.filter(sessions=found[0]["session_id"]).values_list("title", flat=True)
    whose = "your" if who == "You" else f"{who}'s"
    raise Conflict(f"This session clashes with {whose} booking for “{title.first()}”.")


def _deadline(session: Session, now: datetime.datetime) -> datetime.datetime:
    """A place offered must be taken within the deadline, or before the session starts."""
    until = now + datetime.timedelta(hours=offer_hours())
    if session.starts_at and session.starts_at < until:
        until = session.starts_at
    return until


def _offer_places(actor: Any, session: Session, now: datetime.datetime) -> list[int]:
    """Offer free seats to the people waiting, first come first served. Call inside a
    transaction holding the session lock; the caller saves the counts."""
    free = session.capacity - session.confirmed_count
    if free <= 0 or session.waiting_count <= 0 or session.status != Session.Status.SCHEDULED:
        return []
    if session.starts_at and session.starts_at <= now:
        return []  # too late to offer a place to someone who is not there
    until = _deadline(session, now)
    waiting = list(
        Booking.objects.filter(session_id=session.pk, status=Status.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    for b in waiting:
        Booking.objects.filter(pk=b.pk).update(
            status=Status.OFFERED, offered_until=until, updated_at=now
        )
        session.confirmed_count += 1
        session.waiting_count -= 1
        record(
            actor,
            "booking.place_offered",
            b,
            {"status": [Status.WAITLISTED, Status.OFFERED], "offered_until": until},
        )
        notify.later(notify.Kind.PLACE_OFFERED, b.user_id, booking_id=b.pk, key=f"offered:{b.pk}")
    if waiting:
        notify.expire_offers_at(until)
    return [b.pk for b in waiting]


# --- Booking ------------------------------------------------------------------------------


def book_session(actor: Any, session: Session, person: Any = None) -> Booking:
    """Book `person` (default: the actor) on `session`: confirmed while places remain, then
    the waiting list in arrival order; courses that need approval wait for the approver and
    hold no place. A leader booking for someone else must be allowed to direct them.

    Runs in its own transaction: locks the person, checks their other bookings, then in
    one statement locks the session row, re-checks the window and takes the place, then
    writes the booking, its history row and its notification. Raises DomainError
    (403 not open to the person, 409 closed, cancelled, double booking or clash)."""
    person = person or actor
    now = timezone.now()
    offer = session.offer
    school_id = school_for(person, offer)
    on_behalf = person.pk != actor.pk
    if on_behalf and not gate.may_direct(actor, school_id, person.pk):
        raise DomainError("You cannot book places for this person.", status=403)
    if not gate.may_book(person, session):
        if session.status != Session.Status.SCHEDULED:
            raise DomainError("This session has been cancelled.", status=409)
        raise DomainError(
            "This session is not open to you."
            if not on_behalf
            else "This session is not open to them.",
            status=403,
        )
    hours = session.hours  # the offer's figure, or its dates' (which the caller may have loaded)
    approval = needs_approval(offer)
    if approval and on_behalf:
        # A leader who could approve the course does not need to ask themselves.
        approval = not gate.may_approve(actor, Booking(user_id=person.pk, school_id=school_id))

    one = not approval and _one_statement()
    with transaction.atomic():
        number = _lock_person(person.pk, number=one)
        _refuse_conflicts(_conflicts(person.pk, session.pk), session.pk, person, actor)
        booking = Booking(
            session_id=session.pk,
            user_id=person.pk,
            school_id=school_id,
            status=Status.PENDING_APPROVAL if approval else Status.CONFIRMED,
            hours=hours,
            strand=offer.primary_strand,
            counts_as_directed_time=offer.counts_as_directed_time,
            created_at=now,
        )
        made = {"session": session.pk, "person": person.pk}
        if one and number is not None:
            # The notice first, the place last: the session stays locked only for the one
            # statement that takes the place, and the commit.
            booking.pk = number
            notify.later(notify.Kind.BOOKED, person.pk, booking_id=number, key=f"booked:{number}")
            _take_place_and_book(
                session, now, booking, entry(actor, "booking.created", booking, made)
            )
        else:
            session = _take_place(session, now, place=not approval)
            if not approval and session.waiting_count:  # a seat only while nobody waits
                booking.status, booking.waitlist_position = Status.WAITLISTED, session.last_position
            booking.save(force_insert=True)
            made.update(status=booking.status, position=booking.waitlist_position)
            record(actor, "booking.created", booking, made)
            notify.later(
                notify.Kind.BOOKED, person.pk, booking_id=booking.pk, key=f"booked:{booking.pk}"
            )
        status, position = Status(booking.status), booking.waitlist_position
        offered = []
        if position and session.confirmed_count < session.capacity:
            # Seats free while people wait (say, the capacity grew): offer them in turn.
            session = _lock_session(session.pk)
            offered = _offer_places(actor, session, now)
            _save_counts(session)
        if booking.pk in offered:
            booking.status, booking.offered_until = Status.OFFERED, _deadline(session, now)
        if status == Status.PENDING_APPROVAL:
            notify.approvers_later(booking.pk)
    booking.session = session
    return booking


def _locked_booking(booking: Booking) -> tuple[Booking, Session]:
    """Lock the booking's session, then read the booking afresh under that lock."""
    session = _lock_session(booking.session_id)
    fresh = Booking.objects.get(pk=booking.pk)
    fresh.session = session
    return fresh, session


def _may_change(actor: Any, booking: Booking) -> bool:
    """The person themselves, whoever manages the offer, or a leader who may direct them."""
    if booking.user_id == actor.pk:
        return True
    session = booking.session
    return gate.manages_offer(actor, session.offer) or gate.may_direct(
        actor, booking.school_id, booking.user_id
    )


def cancel_booking(actor: Any, booking: Booking, *, note: str = "") -> Booking:
    """Cancel an active booking. A freed place is offered to the first person waiting (a
    time-limited offer). Cancelling twice changes nothing. Own transaction."""
    if not _may_change(actor, booking):
        raise DomainError("You cannot cancel this booking.", status=403)
    now = timezone.now()
    with transaction.atomic():
        booking, session = _locked_booking(booking)
        if not booking.is_active:
            return booking
        if session.ends_at and session.ends_at <= now:
            raise DomainError("This session is over; its register stands.", status=409)
        old = booking.status
        if old in Booking.HOLDS_SEAT:
            session.confirmed_count = max(0, session.confirmed_count - 1)
        elif old == Status.WAITLISTED:
            session.waiting_count = max(0, session.waiting_count - 1)
        booking.status = Status.CANCELLED
        booking.offered_until = None
        booking.decision_note = note[:300]
        booking.save(update_fields=["status", "offered_until", "decision_note", "updated_at"])
        _offer_places(actor, session, now)
        _save_counts(session)
        record(actor, "booking.cancelled", booking, {"status": [old, Status.CANCELLED]}, note=note)
        if actor.pk != booking.user_id:
            notify.later(
                notify.Kind.CANCELLED,
                booking.user_id,
                booking_id=booking.pk,
                key=f"cancelled:{booking.pk}",
            )
    return booking


def accept_offered_place(actor: Any, booking: Booking) -> Booking:
    """Take the place offered from the waiting list, before its deadline. Own transaction."""
    if booking.user_id != actor.pk:
        raise DomainError("Only the person offered the place can accept it.", status=403)
    now = timezone.now()
    with transaction.atomic():
        booking, session = _locked_booking(booking)
        if booking.status == Status.CONFIRMED:
            return booking
        if booking.status != Status.OFFERED:
            raise Conflict("There is no place on offer for this booking.")
        if booking.offered_until and booking.offered_until <= now:
            raise Conflict("This offer has expired; the place went to the next person waiting.")
        booking.status = Status.CONFIRMED
        booking.offered_until = None
        booking.save(update_fields=["status", "offered_until", "updated_at"])
        record(
            actor, "booking.place_accepted", booking, {"status": [Status.OFFERED, Status.CONFIRMED]}
        )
        notify.later(
            notify.Kind.CONFIRMED,
            booking.user_id,
            booking_id=booking.pk,
            key=f"confirmed:{booking.pk}",
        )
    return booking


def decline_offered_place(actor: Any, booking: Booking) -> Booking:
    """Turn down an offered place; it passes to the next person waiting."""
    if booking.user_id != actor.pk:
        raise DomainError("Only the person offered the place can decline it.", status=403)
    if booking.status != Status.OFFERED:
        raise Conflict("There is no place on offer for this booking.")
    return cancel_booking(actor, booking, note="Declined the place offered.")


def expire_offers(now: datetime.datetime | None = None) -> int:
    """Mark offers past their deadline as expired and pass each place to the next person
    waiting. Safe to run at any time, from any number of workers; returns how many expired."""
    now = now or timezone.now()
    session_ids = set(
        Booking.objects.filter(status=Status.OFFERED, offered_until__lte=now).values_list(
            "session_id", flat=True
        )
    )
    expired = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = _lock_session(session_id)
            due = list(
                Booking.objects.filter(
                    session_id=session_id, status=Status.OFFERED, offered_until__lte=now
                )
            )
            for b in due:
                Booking.objects.filter(pk=b.pk).update(status=Status.EXPIRED, updated_at=now)
                session.confirmed_count = max(0, session.confirmed_count - 1)
                record(
                    None, "booking.offer_expired", b, {"status": [Status.OFFERED, Status.EXPIRED]}
                )
            expired += len(due)
            _offer_places(None, session, now)
            _save_counts(session)
    return expired


def fill_free_places(actor: Any, session: Session) -> list[int]:
    """Offer any free places (after capacity grew) to the people waiting. Own transaction
    (or the caller's, which may already hold the session lock)."""
    with transaction.atomic():
        session = _lock_session(session.pk)
        offered = _offer_places(actor, session, timezone.now())
        if offered:
            _save_counts(session)
    return offered


def cancel_bookings_for_session(actor: Any, session: Session, *, reason: str = "") -> list[int]:
    """The session was called off: every active booking is cancelled and its holder told.
    Idempotent. Runs in the caller's transaction when there is one."""
    now = timezone.now()
    with transaction.atomic():
        session = _lock_session(session.pk)
        active = list(Booking.objects.filter(session_id=session.pk, status__in=Booking.ACTIVE))
        for b in active:
            Booking.objects.filter(pk=b.pk).update(
                status=Status.CANCELLED,
                offered_until=None,
                decision_note="The session was cancelled.",
                updated_at=now,
            )
            record(
                actor, "booking.cancelled", b, {"status": [b.status, Status.CANCELLED]}, note=reason
            )
        session.confirmed_count = 0
        session.waiting_count = 0
        _save_counts(session)
        if active:
            notify.session_later(
                notify.Kind.CANCELLED, session.pk, session.sequence, [b.pk for b in active]
            )
    return [b.pk for b in active]


# --- Approval -----------------------------------------------------------------------------


def approve_booking(actor: Any, booking: Booking, *, note: str = "") -> Booking:
    """Approve a course that needs approval: confirmed when a place remains, else the
    waiting list. Only `gate.may_approve`; deciding twice is refused (409). Own transaction."""
    if not gate.may_approve(actor, booking):
        raise DomainError("You cannot approve this booking.", status=403)
    now = timezone.now()
    with transaction.atomic():
        booking, session = _locked_booking(booking)
        if booking.status != Status.PENDING_APPROVAL:
            raise Conflict("This booking has already been decided.")
        if session.status != Session.Status.SCHEDULED:
            raise Conflict("This session has been cancelled.")
        if session.confirmed_count < session.capacity and session.waiting_count == 0:
            booking.status = Status.CONFIRMED
            session.confirmed_count += 1
        else:
            booking.status = Status.WAITLISTED
            session.last_position += 1
            session.waiting_count += 1
            booking.waitlist_position = session.last_position
        booking.decided_by = actor
        booking.decided_at = now
        booking.decision_note = note[:300]
        booking.save()
        offered = _offer_places(actor, session, now) if booking.waitlist_position else []
        _save_counts(session)
        record(
            actor,
            "booking.approved",
            booking,
            {
                "status": [Status.PENDING_APPROVAL, booking.status],
                "position": booking.waitlist_position,
            },
            note=note,
        )
        if booking.pk in offered:
            booking.refresh_from_db()
        else:
            notify.later(
                notify.Kind.APPROVED,
                booking.user_id,
                booking_id=booking.pk,
                key=f"approved:{booking.pk}",
            )
    return booking


def decline_booking(actor: Any, booking: Booking, *, note: str = "") -> Booking:
    """Turn down a request for approval; it held no place, so nothing else moves."""
    if not gate.may_approve(actor, booking):
        raise DomainError("You cannot decide on this booking.", status=403)
    with transaction.atomic():
        booking, _session = _locked_booking(booking)
        if booking.status != Status.PENDING_APPROVAL:
            raise Conflict("This booking has already been decided.")
        booking.status = Status.DECLINED
        booking.decided_by = actor
        booking.decided_at = timezone.now()
        booking.decision_note = note[:300]
        booking.save()
        record(
            actor,
            "booking.declined",
            booking,
            {"status": [Status.PENDING_APPROVAL, Status.DECLINED]},
            note=note,
        )
        notify.later(
            notify.Kind.DECLINED,
            booking.user_id,
            booking_id=booking.pk,
            key=f"declined:{booking.pk}",
        )
    return booking
