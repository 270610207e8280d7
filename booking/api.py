"""Bookings, registers and directed time in the JSON API. The same services as the pages;
the gate scopes every lookup (not yours: 404; visible but not allowed: 403)."""

from __future__ import annotations

import datetime
import json

from ninja import Router
from pydantic import ValidationError as PydanticError

from booking import directed_time, queries, registers, services
from booking.models import Booking
from booking.schemas import (
    BookIn,
    BookingCreated,
    BookingOut,
    BookingPage,
    DecisionIn,
    DirectedTimeOut,
    RegisterIn,
    RegisterOut,
)
from offers.models import SessionDate
from tenancy import gate
from tenancy.apiutils import page
from tenancy.errors import DomainError
from tenancy.schemas import Error

router = Router(tags=["booking"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def booking_out(b: Booking) -> dict:
    return {
        "id": b.pk,
        "session": b.session_id,
        "title": b.session.offer.title,
        "person": b.user_id,
        "school": b.school_id,
        "status": b.status,
        "waitlist_position": b.waitlist_position,
        "offered_until": b.offered_until,
        "hours": float(b.hours),
        "strand": b.strand,
        "counts_as_directed_time": b.counts_as_directed_time,
        "starts_at": b.session.starts_at,
        "ends_at": b.session.ends_at,
        "created_at": b.created_at,
    }


def _body(request) -> dict:
    """The optional JSON body of POST .../bookings: absent, empty or an object."""
    if "json" not in request.content_type or not request.body.strip():
        return {}  # no body (or a form post with none of our fields): book for oneself
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("The body is not valid JSON.", field="body") from exc
    if not isinstance(data, dict):
        raise DomainError("The body must be a JSON object.", field="body")
    return data


def _optional(request, schema):
    """Parse an optional JSON body into `schema`; bad fields answer 422 in our error shape."""
    try:
        return schema(**_body(request))
    except PydanticError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise DomainError(first.get("msg", "Invalid value."), field=field, status=422) from exc


def _body_doc(schema) -> dict:
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


@router.post(
    "/sessions/{session_id}/bookings",
    response={201: BookingCreated, **ERRORS},
    openapi_extra=_body_doc(BookIn),
)
def book(request, session_id: int):
    """Book a place: `confirmed` while places remain, then `waitlisted` (with its position),
    or `pending_approval` for courses that need approval. A leader may book a colleague by
    sending `{"person": <user id>}`. `warning` is set when the booking takes the person past
    their directed-time allowance (the booking is made all the same)."""
    payload = _optional(request, BookIn)
    session = queries.session_for_booking(request.user, session_id)
    person = None
    if payload.person is not None and payload.person != request.user.pk:
        person = gate.get_visible(gate.people(request.user), pk=payload.person)
    target = person or request.user
    warning = directed_time.directed_time_warning(target, session)
    booking = services.book_session(request.user, session, person)
    return 201, {
        "id": booking.pk,
        "status": booking.status,
        "waitlist_position": booking.waitlist_position,
        "warning": warning,
    }


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERRORS})
def get_booking(request, booking_id: int):
    return booking_out(queries.visible_booking(request.user, booking_id))


@router.delete("/bookings/{booking_id}", response={204: None, **ERRORS})
def cancel(request, booking_id: int):
    """Cancel a booking; a freed place is offered to the first person waiting."""
    services.cancel_booking(request.user, queries.visible_booking(request.user, booking_id))
    return 204, None


@router.get("/me/bookings", response={200: BookingPage, **ERRORS})
def my_bookings(request, status: str = ""):
    """The caller's bookings, oldest first; keyset pages (`?after=<id>&limit=N`)."""
    qs = Booking.objects.filter(user_id=request.user.pk).select_related("session__offer")
    if status:
        qs = qs.filter(status=status)
    result = page(request, qs)
    result["items"] = [booking_out(b) for b in result["items"]]
    return result


@router.post(
    "/bookings/{booking_id}/approve",
    response={200: BookingOut, **ERRORS},
    openapi_extra=_body_doc(DecisionIn),
)
def approve(request, booking_id: int):
    note = _optional(request, DecisionIn).note
    booking = queries.visible_booking(request.user, booking_id)
    return booking_out(services.approve_booking(request.user, booking, note=note))


@router.post(
    "/bookings/{booking_id}/decline",
    response={200: BookingOut, **ERRORS},
    openapi_extra=_body_doc(DecisionIn),
)
def decline(request, booking_id: int):
    note = _optional(request, DecisionIn).note
    booking = queries.visible_booking(request.user, booking_id)
    return booking_out(services.decline_booking(request.user, booking, note=note))


@router.post("/bookings/{booking_id}/accept", response={200: BookingOut, **ERRORS})
def accept(request, booking_id: int):
    """Accept a place offered from the waiting list, before its deadline."""
    booking = queries.visible_booking(request.user, booking_id)
    return booking_out(services.accept_offered_place(request.user, booking))


def _register(session) -> dict:
    reg = registers.register_for(session)
    return {
        "session": session.pk,
        "check_in_code": session.check_in_code,
        "dates": [
            {"id": d.pk, "starts_at": d.starts_at, "ends_at": d.ends_at, "title": d.title}
            for d in reg.dates
        ],
        "bookings": [
            {
                "booking": line.booking.pk,
                "person": line.booking.user_id,
                "name": line.booking.user.get_full_name(),
                "marks": [
                    {"date": date_id, "mark": a.mark, "self_checked_in": a.self_checked_in}
                    for date_id, a in sorted(line.marks.items())
                ],
            }
            for line in reg.lines
        ],
    }


def _run_session(request, session_id: int):
    session = queries.visible_session(request.user, session_id)
    registers.require_runs(request.user, session)
    return session


@router.get("/sessions/{session_id}/register", response={200: RegisterOut, **ERRORS})
def get_register(request, session_id: int):
    """The register: confirmed bookings and their marks per date (facilitators, managers)."""
    return _register(_run_session(request, session_id))


@router.put("/sessions/{session_id}/register", response={200: RegisterOut, **ERRORS})
def put_register(request, session_id: int, payload: RegisterIn):
    """Mark attendance for one date: `{"date": id, "marks": [{"booking": id, "mark":
    "present"|"late"|"absent"}]}`. Answers with the whole register."""
    session = _run_session(request, session_id)
    try:
        session_date = SessionDate.objects.get(pk=payload.date, session=session)
    except SessionDate.DoesNotExist as exc:
        raise DomainError("No such date in this session.", field="date") from exc
    marks = {m.booking: m.mark for m in payload.marks}
    registers.take_register(request.user, session, session_date, marks)
    return _register(session)


@router.get("/me/directed-time", response={200: DirectedTimeOut, **ERRORS})
def my_directed_time(request, year: int | None = None):
    """Directed time per school for one academic year. `year` is the calendar year the
    academic year starts in: `?year=2025` is 2025/26 (1 September 2025 to 31 August 2026);
    the default is the current academic year."""
    if year is not None and not 2000 <= year <= 2100:
        raise DomainError("year must be between 2000 and 2100.", field="year")
    year = directed_time.academic_year() if year is None else year
    start, end = directed_time.year_bounds(year)
    entries = directed_time.ledger(request.user, year)
    return {
        "year": year,
        "label": directed_time.year_label(year),
        "starts_on": start.date(),
        "ends_on": end.date() - datetime.timedelta(days=1),
        "schools": [
            {
                "school": e.school.pk if e.school else None,
                "school_name": e.school.name if e.school else "",
                "allowance_hours": float(e.allowance),
                "planned_hours": float(e.planned),
                "attended_hours": float(e.attended),
                "by_strand": [
                    {
                        "strand": key,
                        "planned_hours": float(h.planned),
                        "attended_hours": float(h.attended),
                    }
                    for key, h in e.by_strand.items()
                ],
            }
            for e in entries
        ],
    }
