from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class BookIn(Schema):
    person: int | None = Field(None, description="User id of a colleague a leader books for")


class BookingCreated(Schema):
    id: int
    status: str = Field(description="confirmed | waitlisted | pending_approval")
    waitlist_position: int | None
    warning: str | None = Field(
        None, description="Set when this takes the person past their directed-time allowance"
    )


class BookingOut(Schema):
    id: int
    session: int
    title: str
    person: int
    school: int | None
    status: str
    waitlist_position: int | None
    offered_until: datetime.datetime | None
    hours: float
    strand: str
    counts_as_directed_time: bool
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    created_at: datetime.datetime


class BookingPage(Schema):
    items: list[BookingOut]
    next: str | None


class DecisionIn(Schema):
    note: str = Field("", max_length=300)


class MarkIn(Schema):
    booking: int
    mark: str = Field(description="present | late | absent")


class RegisterIn(Schema):
    date: int
    marks: list[MarkIn] = Field(max_length=1000)


class DateOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str


class MarkOut(Schema):
    date: int
    mark: str
    self_checked_in: bool


class RegisterLine(Schema):
    booking: int
    person: int
    name: str
    marks: list[MarkOut]


class RegisterOut(Schema):
    session: int
    check_in_code: str
    dates: list[DateOut]
    bookings: list[RegisterLine]


class StrandHours(Schema):
    strand: str
    planned_hours: float
    attended_hours: float


class SchoolHours(Schema):
    school: int | None
    school_name: str
    allowance_hours: float
    planned_hours: float
    attended_hours: float
    by_strand: list[StrandHours]


class DirectedTimeOut(Schema):
    year: int = Field(description="The calendar year the academic year starts: 2025 is 2025/26")
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    schools: list[SchoolHours]
