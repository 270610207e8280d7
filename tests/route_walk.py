"""The machinery of the route walk: every URL pattern and every API operation, tried as
every persona, from inside and outside the owning school and network.

A rule says, for one route, which personas succeed ("ok"), which are refused (403) and
which must not learn the record exists (404). Rules live in tests/route_rules_*.py, one
module per area; a route without a rule fails the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OK = "ok"

# Personas made by the `world` fixture, plus the anonymous visitor.
TRUST_SCHOOL = {
    "school_admin",
    "cpd_lead",
    "middle_leader",
    "mentor",
    "ect",
    "teacher",
    "facilitator",
}
TRUST = TRUST_SCHOOL | {"sister_teacher", "network_lead", "network_member"}
OUTSIDERS = {"outsider", "outsider_admin", "provider"}
SIGNED_IN = TRUST | OUTSIDERS | {"site_admin"}
EVERYONE = SIGNED_IN | {"anonymous"}
# The personas who must never see a record owned by the "elsewhere" school.
NOT_ELSEWHERE = TRUST | {"provider"}


@dataclass
class Route:
    """How to call one route and what each persona should get."""

    key: str  # URL name ("people:profile") or "METHOD /api/v1/path/{param}"
    kwargs: Callable[[Any], dict] = field(default=lambda w: {})
    method: str = "GET"
    ok: set[str] = field(default_factory=set)
    forbidden: set[str] = field(default_factory=set)  # 403
    # Everyone signed in and not named above gets this (usually 404).
    default: int | str = 404
    anonymous: int | str = "login"  # pages redirect to sign-in; API answers 401
    data: Callable[[Any], dict] | None = None
    # Kwargs of the same kind of record owned by the elsewhere school: NOT_ELSEWHERE get 404.
    outside: Callable[[Any], dict] | None = None
    query: str | Callable[[Any], str] = ""
    # Send `data` as a multipart form (file uploads) rather than JSON.
    multipart: bool = False
    # Answers for named personas that fit none of the sets above (e.g. a 400 from a service).
    special: dict[str, int | str] = field(default_factory=dict)
    # A second rule for the same route (another query string, say) names its variant.
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.key}#{self.variant}" if self.variant else self.key

    def expected(self, persona: str) -> int | str:
        if persona in self.special:
            return self.special[persona]
        if persona == "anonymous":
            return self.anonymous
        if persona in self.ok:
            return OK
        if persona in self.forbidden:
            return 403
        return self.default


def everyone(key: str, **extra) -> Route:
    """A route every signed-in persona may use (their own profile, their tokens...)."""
    return Route(key, ok=set(SIGNED_IN), **extra)
