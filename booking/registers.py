"""Registers: facilitators mark each date; booked people may check themselves in with the
room's code (or its QR) during the date's window. Attendance turns booked hours into
attended hours (see `booking.directed_time`)."""

from __future__ import annotations

import datetime
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.models import Attendance, Booking
from history.services import record
from offers.models import Session, SessionDate
from tenancy import gate
from tenancy.errors import DomainError

Mark = Attendance.Mark


def opens_before() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "BOOKING_CHECK_IN_OPENS_MINUTES", 30)))


def late_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "BOOKING_LATE_AFTER_MINUTES", 10)))


@dataclass
class Line:
    booking: Booking
    marks: dict[int, Attendance] = field(default_factory=dict)  # session date id -> mark

    def mark_on(self, date_id: int) -> str:
        found = self.marks.get(date_id)
        return found.mark if found else ""


@dataclass
class Register:
    session: Session
    dates: list[SessionDate]
    lines: list[Line]

    def counts(self, date_id: int) -> dict[str, int]:
        out = dict.fromkeys(Mark.values, 0)
        for line in self.lines:
            mark = line.mark_on(date_id)
            if mark:
                out[mark] += 1
        return out


def require_runs(user: Any, session: Session) -> None:
    """Managers and facilitators take registers; anyone else who can see the session: 403."""
    if not gate.runs_session(user, session):
        raise DomainError(
            "Only the session's facilitators and managers take its register.", status=403
        )


def register_for(session: Session) -> Register:
    """Everyone confirmed on the session, with their marks for each date. Three queries."""
    dates = list(SessionDate.objects.filter(session=session).order_by("starts_at"))
    bookings = list(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    lines = {b.pk: Line(b) for b in bookings}
    for a in Attendance.objects.filter(booking__session=session):
        if a.booking_id in lines:
            lines[a.booking_id].marks[a.session_date_id] = a
    return Register(session, dates, list(lines.values()))


def take_register(
    actor: Any, session: Session, session_date: SessionDate, marks: dict[int, str]
) -> list[Attendance]:
    """Mark confirmed bookings present, late or absent on one date (booking id -> mark).
    Marking the same value again changes nothing; every change is in history. 400 for a
    booking that is not confirmed on this session or an unknown mark."""
    require_runs(actor, session)
    if session_date.session_id != session.pk:
        raise DomainError("That date is not part of this session.", field="date")
    for value in marks.values():
        if value not in Mark.values:
            raise DomainError(
                f"Unknown mark {value!r}: use present, late or absent.", field="marks"
            )
    now = timezone.now()
    with transaction.atomic():
        bookings = {
            b.pk: b
            for b in Booking.objects.filter(
                session=session, status=Booking.Status.CONFIRMED, pk__in=list(marks)
            )
        }
        unknown = set(marks) - set(bookings)
        if unknown:
            raise DomainError(
                f"Not a confirmed booking on this session: {', '.join(map(str, sorted(unknown)))}.",
                field="marks",
            )
        existing = {
            a.booking_id: a
            for a in Attendance.objects.filter(
                session_date=session_date, booking_id__in=list(marks)
            )
        }
        changed = []
        for booking_id, value in marks.items():
            old = existing.get(booking_id)
            if old and old.mark == value:
                changed.append(old)
                continue
            if old:
                old.mark, old.marked_by, old.marked_at, old.self_checked_in = (
                    value,
                    actor,
                    now,
                    False,
                )
                old.save(update_fields=["mark", "marked_by", "marked_at", "self_checked_in"])
                att = old
            else:
                att = Attendance.objects.create(
                    booking_id=booking_id,
                    session_date=session_date,
                    mark=value,
                    marked_by=actor,
                    marked_at=now,
                )
            record(
                actor,
                "attendance.marked",
                bookings[booking_id],
                {"date": session_date.pk, "mark": [old.mark if old else None, value]},
            )
            changed.append(att)
        if session.ends_at and session.ends_at <= now:
            transaction.on_commit(lambda: _prompt(session.pk))
    return changed


def _prompt(session_id: int) -> None:
    from booking.evaluations import send_evaluation_prompts

    send_evaluation_prompts(session_ids=[session_id])


def current_date(session: Session, now: datetime.datetime | None = None) -> SessionDate | None:
    """The date whose check-in window (from 30 minutes before it starts to its end) is open."""
    now = now or timezone.now()
    for d in SessionDate.objects.filter(session=session).order_by("starts_at"):
        if d.starts_at - opens_before() <= now <= d.ends_at:
            return d
    return None


def check_in(
    person: Any, session: Session, code: str, now: datetime.datetime | None = None
) -> Attendance:
    """A booked person signs themselves in with the room's code: present until 10 minutes
    after the start, late after that. Only during a date's window; checking in twice
    changes nothing."""
    now = now or timezone.now()
    booking = Booking.objects.filter(
        session=session, user_id=person.pk, status=Booking.Status.CONFIRMED
    ).first()
    if booking is None:
        raise DomainError("You do not have a confirmed place on this session.", status=403)
    expected = (session.check_in_code or "").upper()
    given = (code or "").strip().upper().replace(" ", "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise DomainError("That code does not match the one shown in the room.", field="code")
    session_date = current_date(session, now)
    if session_date is None:
        raise DomainError(
            "Check-in opens 30 minutes before the start and closes at the end.", status=409
        )
    mark = Mark.PRESENT if now <= session_date.starts_at + late_after() else Mark.LATE
    with transaction.atomic():
        att = (
            Attendance.objects.select_for_update()
            .filter(booking=booking, session_date=session_date)
            .first()
        )
        if att and att.mark in (Mark.PRESENT, Mark.LATE):
            return att
        old = att.mark if att else None
        if att:
            att.mark, att.self_checked_in, att.marked_by, att.marked_at = mark, True, person, now
            att.save(update_fields=["mark", "self_checked_in", "marked_by", "marked_at"])
        else:
            att = Attendance.objects.create(
                booking=booking,
                session_date=session_date,
                mark=mark,
                self_checked_in=True,
                marked_by=person,
                marked_at=now,
            )
        record(
            person, "attendance.checked_in", booking, {"date": session_date.pk, "mark": [old, mark]}
        )
    return att


def qr_svg(url: str) -> bytes:
    """An SVG QR code for the check-in link (no script, no inline style)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    img.save(out)
    return out.getvalue()


def attended_bookings(session: Session) -> Iterable[Booking]:
    return Booking.objects.filter(
        session=session, attendance__mark__in=[Mark.PRESENT, Mark.LATE]
    ).distinct()
