from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class SchoolOut(Schema):
    id: int
    urn: str
    name: str
    phase: str
    school_type: str
    local_authority: str
    region: str
    postcode: str
    pupils: int | None


class SchoolIn(Schema):
    urn: str = Field(pattern=r"^\d{6}$")
    name: str = Field(min_length=1, max_length=200)
    phase: str = "primary"
    school_type: str = ""
    local_authority: str = ""
    region: str = ""
    postcode: str = Field("", max_length=10)
    pupils: int | None = Field(None, ge=0)


class SchoolPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    phase: str | None = None
    school_type: str | None = None
    local_authority: str | None = None
    region: str | None = None
    postcode: str | None = Field(None, max_length=10)
    pupils: int | None = Field(None, ge=0)
    approver: str | None = None


class SchoolPage(Schema):
    items: list[SchoolOut]
    next: str | None


class MembershipOut(Schema):
    school_id: int
    school_urn: str
    school_name: str
    joined_on: datetime.date
    left_on: datetime.date | None


class NetworkOut(Schema):
    id: int
    name: str
    kind: str
    description: str


class NetworkDetail(NetworkOut):
    schools: list[MembershipOut]


class NetworkIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: str = "trust"
    description: str = ""


class NetworkPage(Schema):
    items: list[NetworkOut]
    next: str | None


class JoinIn(Schema):
    school: int
    joined_on: datetime.date | None = None


class Error(Schema):
    detail: str
    errors: list[dict] = []
