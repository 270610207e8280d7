from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class DateIn(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str = Field("", max_length=200)


class DateOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str


class OfferIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: str = "one_off"
    school: int | None = None
    network: int | None = None
    status: str = "published"
    summary: str = Field("", max_length=300)
    description: str = ""
    for_whole_school: bool = True
    for_teams: bool = False
    for_individuals: bool = False
    focus: list[str] = []
    career_stages: list[str] = []
    phases: list[str] = []
    subjects: list[str] = []
    mode: str = "in_person"
    location: str = Field("", max_length=200)
    meeting_link: str = Field("", max_length=200)
    facilitators: list[int] = []
    counts_as_directed_time: bool = True
    directed_hours: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)
    evidence: str = ""
    provider_name: str = Field("", max_length=200)
    cost: Decimal = Field(Decimal("0"), ge=0, max_digits=8, decimal_places=2)
    paid_by: str = "free"
    needs_approval: bool | None = None
    programme_structure: str = ""
    terms: int | None = Field(None, ge=1, le=12)


class OfferPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    status: str | None = None
    summary: str | None = Field(None, max_length=300)
    description: str | None = None
    for_whole_school: bool | None = None
    for_teams: bool | None = None
    for_individuals: bool | None = None
    focus: list[str] | None = None
    career_stages: list[str] | None = None
    phases: list[str] | None = None
    subjects: list[str] | None = None
    mode: str | None = None
    location: str | None = Field(None, max_length=200)
    meeting_link: str | None = Field(None, max_length=200)
    facilitators: list[int] | None = None
    counts_as_directed_time: bool | None = None
    directed_hours: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)
    evidence: str | None = None
    provider_name: str | None = Field(None, max_length=200)
    cost: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    paid_by: str | None = None
    needs_approval: bool | None = None
    programme_structure: str | None = None
    terms: int | None = Field(None, ge=1, le=12)


class NextSession(Schema):
    id: int
    starts_at: datetime.datetime | None


class OfferOut(Schema):
    id: int
    title: str
    summary: str
    description: str
    kind: str
    status: str
    school: int | None
    network: int | None
    provider: int | None
    owner: str
    strands: list[str]
    focus: list[str]
    career_stages: list[str]
    phases: list[str]
    subjects: list[str]
    mode: str
    location: str
    meeting_link: str
    facilitators: list[int]
    counts_as_directed_time: bool
    directed_hours: Decimal | None
    evidence: str
    provider_name: str
    cost: Decimal
    paid_by: str
    needs_approval: bool
    programme_structure: str
    terms: int | None
    proposed_by: int | None
    next_session: NextSession | None = None


class OfferListItem(Schema):
    id: int
    title: str
    summary: str
    kind: str
    status: str
    school: int | None
    network: int | None
    provider: int | None
    owner: str
    mode: str
    career_stages: list[str]
    phases: list[str]
    next_session: NextSession | None


class OfferPage(Schema):
    items: list[OfferListItem]
    next: str | None


class SessionIn(Schema):
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    capacity: int = Field(20, ge=1, le=10_000)
    dates: list[DateIn] | None = Field(None, max_length=60)
    label: str = Field("", max_length=120)
    location: str = Field("", max_length=200)
    meeting_link: str = Field("", max_length=200)
    booking_opens_at: datetime.datetime | None = None
    booking_closes_at: datetime.datetime | None = None
    facilitators: list[int] = []


class SessionPatch(Schema):
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    capacity: int | None = Field(None, ge=1, le=10_000)
    dates: list[DateIn] | None = Field(None, max_length=60)
    label: str | None = Field(None, max_length=120)
    location: str | None = Field(None, max_length=200)
    meeting_link: str | None = Field(None, max_length=200)
    booking_opens_at: datetime.datetime | None = None
    booking_closes_at: datetime.datetime | None = None
    facilitators: list[int] | None = None


class SessionOut(Schema):
    id: int
    offer: int
    offer_title: str
    label: str
    status: str
    capacity: int
    confirmed_count: int
    waiting_count: int
    places_left: int
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    location: str
    meeting_link: str
    booking_opens_at: datetime.datetime | None
    booking_closes_at: datetime.datetime | None
    sequence: int
    facilitators: list[int]
    dates: list[DateOut]


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class ProposalIn(Schema):
    school: int
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=300)
    description: str = ""
    evidence: str = ""


class ProposalOut(Schema):
    id: int
    school: int
    title: str
    summary: str
    status: str
    proposed_by: int | None
    interested: int
    is_interested: bool


class ProposalPage(Schema):
    items: list[ProposalOut]
    next: str | None


class InterestOut(Schema):
    offer: int
    interested: int
    is_interested: bool


class DeclineIn(Schema):
    reason: str = Field("", max_length=300)
