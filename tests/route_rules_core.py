"""Route rules: site pages, schools and networks, people (pages and API)."""

from __future__ import annotations

import itertools

from tests.route_walk import (
    EVERYONE,
    SIGNED_IN,
    TRUST,
    TRUST_SCHOOL,
    Route,
    everyone,
)

_n = itertools.count(1)


def _school(w):
    return {"pk": w.school.pk}


def _elsewhere(w):
    return {"pk": w.elsewhere.pk}


def _teacher(w):
    return {"pk": w.staff["teacher"].pk}


def _outsider(w):
    return {"pk": w.staff["outsider"].pk}


def _teacher_token(w):
    from tenancy.models import ApiToken

    token, _raw = ApiToken.issue(w.people["teacher"], "walk")
    return {"pk": token.pk}


ADMINS = {"school_admin", "site_admin"}
LEADERS = {"school_admin", "cpd_lead", "middle_leader", "site_admin"}

RULES = [
    # Site pages
    Route("home", ok=set(SIGNED_IN)),
    Route("healthz", ok=set(SIGNED_IN), anonymous="ok"),
    Route("floor", default=404, anonymous=404),
    Route("login", ok=set(SIGNED_IN), anonymous="ok"),
    Route("logout", method="POST", default="login"),
    Route("password_reset", ok=set(SIGNED_IN), anonymous="ok"),
    Route("password_reset_done", ok=set(SIGNED_IN), anonymous="ok"),
    Route(
        "password_reset_confirm",
        kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"},
        ok=set(SIGNED_IN),
        anonymous="ok",
    ),
    Route("password_reset_complete", ok=set(SIGNED_IN), anonymous="ok"),
    # Schools and networks
    everyone("tenancy:school_list"),
    Route("tenancy:school_create", ok={"site_admin"}, default=403),
    Route("tenancy:school_detail", _school, ok=TRUST | {"site_admin"}, outside=_elsewhere),
    Route("tenancy:school_edit", _school, ok=ADMINS, forbidden=TRUST - ADMINS, outside=_elsewhere),
    everyone("tenancy:network_list"),
    Route("tenancy:network_create", ok={"site_admin"}, default=403),
    Route(
        "tenancy:network_detail",
        lambda w: {"pk": w.network.pk},
        ok=TRUST | {"site_admin"},
        outside=lambda w: {"pk": w.elsewhere_network.pk},
    ),
    Route(
        "tenancy:network_edit",
        lambda w: {"pk": w.network.pk},
        ok={"network_lead", "site_admin"},
        forbidden=TRUST - {"network_lead"},
        outside=lambda w: {"pk": w.elsewhere_network.pk},
    ),
    Route(
        "tenancy:network_add_school",
        lambda w: {"pk": w.network.pk},
        method="POST",
        ok={"network_lead", "site_admin"},
        forbidden=TRUST - {"network_lead"},
        outside=lambda w: {"pk": w.elsewhere_network.pk},
    ),
    Route(
        "tenancy:network_remove_school",
        lambda w: {"pk": w.network.pk, "school_pk": w.sister.pk},
        method="POST",
        ok={"network_lead", "site_admin"},
        forbidden=TRUST - {"network_lead"},
        outside=lambda w: {"pk": w.elsewhere_network.pk, "school_pk": w.elsewhere.pk},
    ),
    # People
    Route("people:directory", ok=LEADERS | {"outsider_admin"}, default=403),
    everyone("people:profile"),
    Route("people:sign_out_everywhere", method="POST", default="login"),
    everyone("people:tokens"),
    Route("people:token_revoke", _teacher_token, method="POST", ok={"teacher"}),
    Route("people:staff_detail", _teacher, ok=LEADERS | {"teacher"}, outside=_outsider),
    Route(
        "people:staff_edit",
        _teacher,
        ok=ADMINS,
        forbidden={"cpd_lead", "middle_leader", "teacher"},
        outside=_outsider,
    ),
    Route(
        "people:staff_archive",
        _teacher,
        method="POST",
        ok=ADMINS,
        forbidden={"cpd_lead", "middle_leader", "teacher"},
        outside=_outsider,
    ),
    Route(
        "people:staff_add",
        lambda w: {"school_pk": w.school.pk},
        ok=ADMINS,
        forbidden=TRUST - ADMINS,
        outside=lambda w: {"school_pk": w.elsewhere.pk},
    ),
    Route(
        "people:team_list",
        lambda w: {"school_pk": w.school.pk},
        ok=ADMINS,
        forbidden=TRUST - ADMINS,
        outside=lambda w: {"school_pk": w.elsewhere.pk},
    ),
    Route(
        "people:team_edit", lambda w: {"pk": w.team.pk}, ok=ADMINS, forbidden=TRUST_SCHOOL - ADMINS
    ),
]

API_RULES = [
    everyone("GET /api/v1/me", anonymous=401),
    everyone("GET /api/v1/me/tokens", anonymous=401),
    everyone("POST /api/v1/me/tokens", data=lambda w: {"name": "walk"}, anonymous=401),
    Route(
        "DELETE /api/v1/me/tokens/{token_id}",
        lambda w: {"token_id": _teacher_token(w)["pk"]},
        ok={"teacher"},
        anonymous=401,
    ),
    everyone("GET /api/v1/schools", anonymous=401),
    Route(
        "POST /api/v1/schools",
        ok={"site_admin"},
        default=403,
        anonymous=401,
        data=lambda w: {"urn": f"{700000 + next(_n):06d}", "name": "New School"},
    ),
    Route(
        "GET /api/v1/schools/{school_id}",
        lambda w: {"school_id": w.school.pk},
        ok=TRUST | {"site_admin"},
        anonymous=401,
        outside=lambda w: {"school_id": w.elsewhere.pk},
    ),
    Route(
        "PATCH /api/v1/schools/{school_id}",
        lambda w: {"school_id": w.school.pk},
        ok=ADMINS,
        forbidden=TRUST - ADMINS,
        anonymous=401,
        data=lambda w: {"pupils": 321},
        outside=lambda w: {"school_id": w.elsewhere.pk},
    ),
    everyone("GET /api/v1/networks", anonymous=401),
    Route(
        "POST /api/v1/networks",
        ok={"site_admin"},
        default=403,
        anonymous=401,
        data=lambda w: {"name": "New Network", "kind": "hub"},
    ),
    Route(
        "GET /api/v1/networks/{network_id}",
        lambda w: {"network_id": w.network.pk},
        ok=TRUST | {"site_admin"},
        anonymous=401,
        outside=lambda w: {"network_id": w.elsewhere_network.pk},
    ),
    Route(
        "POST /api/v1/networks/{network_id}/schools",
        lambda w: {"network_id": w.network.pk},
        ok={"network_lead", "site_admin"},
        forbidden=TRUST - {"network_lead"},
        anonymous=401,
        data=lambda w: {"school": w.elsewhere.pk},
        outside=lambda w: {"network_id": w.elsewhere_network.pk},
    ),
    everyone("GET /api/v1/staff", anonymous=401),
    Route(
        "POST /api/v1/staff",
        ok=ADMINS,
        forbidden=TRUST - ADMINS,
        anonymous=401,
        data=lambda w: {"school": w.school.pk, "email": f"new{next(_n)}@riverside.example"},
    ),
    Route(
        "GET /api/v1/staff/{staff_id}",
        lambda w: {"staff_id": w.staff["teacher"].pk},
        ok=LEADERS | {"teacher"},
        anonymous=401,
        outside=lambda w: {"staff_id": w.staff["outsider"].pk},
    ),
    Route(
        "PATCH /api/v1/staff/{staff_id}",
        lambda w: {"staff_id": w.staff["teacher"].pk},
        ok=ADMINS,
        forbidden={"cpd_lead", "middle_leader", "teacher"},
        anonymous=401,
        data=lambda w: {"job_title": "Teacher of maths"},
        outside=lambda w: {"staff_id": w.staff["outsider"].pk},
    ),
    everyone("GET /api/v1/teams", anonymous=401),
    Route(
        "POST /api/v1/teams",
        ok=ADMINS,
        forbidden=TRUST - ADMINS,
        anonymous=401,
        data=lambda w: {"school": w.school.pk, "name": f"Team {next(_n)}"},
    ),
    Route(
        "GET /api/v1/teams/{team_id}",
        lambda w: {"team_id": w.team.pk},
        ok=TRUST_SCHOOL | {"site_admin"},
        anonymous=401,
    ),
    Route(
        "PATCH /api/v1/teams/{team_id}",
        lambda w: {"team_id": w.team.pk},
        ok=ADMINS,
        forbidden=TRUST_SCHOOL - ADMINS,
        anonymous=401,
        data=lambda w: {"kind": "phase"},
    ),
    everyone("GET /api/v1/subjects", anonymous=401),
]

assert EVERYONE  # the persona set the walk iterates
