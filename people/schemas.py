from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import EmailStr, Field


class TeamRef(Schema):
    id: int
    name: str
    is_leader: bool


class StaffOut(Schema):
    id: int
    school: int
    email: str
    full_name: str
    job_title: str
    roles: list[str]
    is_teacher: bool
    ect_year: int | None
    mentor: int | None
    is_mentor: bool
    is_cpd_lead: bool
    is_facilitator: bool
    is_school_admin: bool
    is_senior_leader: bool
    career_stage: str
    phase: str
    subjects: list[str]
    fte: Decimal
    directed_hours: Decimal
    teams: list[TeamRef]
    archived: bool


class StaffPage(Schema):
    items: list[StaffOut]
    next: str | None


class StaffIn(Schema):
    school: int
    email: EmailStr
    full_name: str = Field("", max_length=150)
    job_title: str = Field("", max_length=120)
    is_teacher: bool = True
    ect_year: int | None = Field(None, ge=1, le=2)
    mentor: int | None = None
    is_mentor: bool = False
    is_cpd_lead: bool = False
    is_facilitator: bool = False
    is_school_admin: bool = False
    is_senior_leader: bool = False
    career_stage: str = "experienced"
    phase: str = ""
    subjects: list[str] = []
    fte: Decimal = Field(Decimal("1"), gt=0, le=1)
    directed_hours: Decimal | None = Field(None, ge=0, le=2000)
    teams: list[int] = []
    led_teams: list[int] = []


class StaffPatch(Schema):
    full_name: str | None = Field(None, max_length=150)
    job_title: str | None = Field(None, max_length=120)
    is_teacher: bool | None = None
    ect_year: int | None = Field(None, ge=1, le=2)
    mentor: int | None = None
    is_mentor: bool | None = None
    is_cpd_lead: bool | None = None
    is_facilitator: bool | None = None
    is_school_admin: bool | None = None
    is_senior_leader: bool | None = None
    career_stage: str | None = None
    phase: str | None = None
    subjects: list[str] | None = None
    fte: Decimal | None = Field(None, gt=0, le=1)
    directed_hours: Decimal | None = Field(None, ge=0, le=2000)
    teams: list[int] | None = None
    led_teams: list[int] | None = None
    archived: bool | None = None


class TeamOut(Schema):
    id: int
    school: int
    name: str
    kind: str
    leaders: list[int]
    members: list[int]
    archived: bool


class TeamPage(Schema):
    items: list[TeamOut]
    next: str | None


class TeamIn(Schema):
    school: int
    name: str = Field(min_length=1, max_length=120)
    kind: str = "department"
    leaders: list[int] = []


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: str | None = None
    leaders: list[int] | None = None
    archived: bool | None = None


class SchoolRole(Schema):
    school: int
    school_name: str
    staff_id: int
    roles: list[str]
    teams: list[TeamRef]


class NetworkRoleOut(Schema):
    network: int
    network_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_site_admin: bool
    provider_name: str
    schools: list[SchoolRole]
    networks: list[NetworkRoleOut]


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreated(TokenOut):
    token: str


class TokenIn(Schema):
    name: str = Field("Personal token", min_length=1, max_length=100)


class SubjectOut(Schema):
    id: int
    name: str
