"""The catalogue search page on the national dataset (DESIGN.md "Benchmarks", pages).

A generated teacher signs in through the login form, then `/cpd/` is loaded three ways: no
query (what fits the person first), a full-text query and two filters, each beside the
floor (`/bench/floor`) in the same run and in interleaved rounds, all through `staffroom
serve` (gunicorn) on loopback. Bar, for every variant: requests/s at 16 connections >= 0.5 x
the floor's, and p95 at 2 connections <= 100 ms, with no errors.

PostgreSQL only (DATABASE_URL): SQLite would hide what the national dataset costs. The
dataset is generated (`--seed`, `--scale`) when the offers are missing.
"""

from __future__ import annotations

import argparse
import http.client
import re
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from bench import common

FLOOR = "/bench/floor"
VARIANTS = {
    "fitted": "/cpd/",
    "search": "/cpd/?q=questioning",
    "filtered": "/cpd/?mode=online&strand=individual",
}
BAR_RATIO = 0.5
BAR_P95_MS = 100.0


def ensure_dataset(seed: int, scale: float) -> dict[str, Any]:
    """The national dataset with offers, sessions and bookings, generated if missing.
    Sizes are read from the planner's estimates: no COUNT(*) over millions of rows."""
    common.django_setup()
    from django.db import connection

    from offers.models import Offer
    from staffroom import generate

    wanted = generate.FULL["offers"] * scale
    have_offers = Offer.objects.filter(school__source_id__startswith=generate.SOURCE_PREFIX)
    if not have_offers.exists() or _estimate("offers_offer") < 0.9 * wanted:
        if generate.exists():
            generate.reset()
        generate.generate(seed, scale, progress=True)
    sizes = {
        table: _estimate(table)
        for table in ("tenancy_school", "offers_offer", "offers_session", "booking_booking")
    }
    connection.close()  # the server's workers open their own
    return sizes


def _estimate(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def pick_teacher() -> tuple[str, dict[str, Any]]:
    """A generated secondary teacher with a subject, in a school that belongs to networks:
    the same person for the same seed."""
    common.django_setup()
    from django.db import connection

    from staffroom import generate
    from tenancy.models import StaffMember

    staff = (
        StaffMember.objects.filter(
            school__source_id__startswith=generate.SOURCE_PREFIX,
            school__phase="secondary",
            career_stage="experienced",
            is_teacher=True,
            subjects__isnull=False,
            school__network_memberships__isnull=False,
        )
        .select_related("user", "school")
        .order_by("pk")
        .first()
    )
    if staff is None:
        raise RuntimeError("No generated secondary teacher found: regenerate the dataset.")
    who = {"email": staff.user.email, "school": staff.school.name, "staff_id": staff.pk}
    connection.close()
    return staff.user.email, who


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form (CSRF cookie and token) and return the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None or "csrftoken" not in jar:
        raise RuntimeError("The login page gave no CSRF token.")
    body = urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": found.group(1)}
    )
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken'].value}",
        },
    )
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"Signing in as {email} failed (HTTP {response.status}).")
    return f"sessionid={jar['sessionid'].value}; csrftoken={jar['csrftoken'].value}"


def check_page(port: int, path: str, cookie: str) -> int:
    """Fetch once and make sure it is the catalogue with results, not a login redirect."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200 or "Professional learning catalogue" not in body:
        raise RuntimeError(f"{path} answered {response.status}, not the catalogue.")
    return body.count('class="result"')


def skipped() -> dict[str, Any]:
    return {
        "name": "catalogue",
        "figure": None,
        "unit": "requests/s at 16 connections",
        "bar": "needs PostgreSQL",
        "baseline_name": None,
        "baseline": None,
        "ratio": None,
        "passed": False,
        "details": {
            "skipped": "Set DATABASE_URL to PostgreSQL: the page bench runs on the national "
            "dataset there (see bench/README.md)."
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    if common.database_vendor() != "postgresql":
        return skipped()
    from staffroom.generate import PASSWORD

    sizes = ensure_dataset(args.seed, args.scale)
    email, who = pick_teacher()
    duration = getattr(args, "duration", 5.0)
    with common.serving(env={"STAFFROOM_BENCH_FLOOR": "1"}) as server:
        port = server.port
        cookie = sign_in(port, email, PASSWORD)
        shown = {name: check_page(port, path, cookie) for name, path in VARIANTS.items()}
        headers = {"Cookie": cookie}
        common.load(port, FLOOR, 16, duration=1.0)  # every worker connected and warm
        for path in VARIANTS.values():
            common.load(port, path, 16, duration=1.0, headers=headers)
        measures = {}
        for conns in (16, 2):
            measures[f"floor@{conns}"] = lambda c=conns: common.load(
                port, FLOOR, c, duration=duration
            )
            for name, path in VARIANTS.items():
                measures[f"{name}@{conns}"] = lambda c=conns, p=path: common.load(
                    port, p, c, duration=duration, headers=headers
                )
        runs = common.interleaved(measures, rounds=getattr(args, "rounds", 2))
    summary = {name: common.summarise(r) for name, r in runs.items()}
    floor_rps = summary["floor@16"]["rps"]
    variants = {}
    for name in VARIANTS:
        busy, quiet = summary[f"{name}@16"], summary[f"{name}@2"]
        ratio = busy["rps"] / floor_rps if floor_rps else 0.0
        variants[name] = {
            "rps_16": busy["rps"],
            "ratio_to_floor": round(ratio, 3),
            "p50_ms_2": quiet["p50_ms"],
            "p95_ms_2": quiet["p95_ms"],
            "p95_ms_16": busy["p95_ms"],
            "errors": busy["errors"] + quiet["errors"],
            "results_shown": shown[name],
            "passed": ratio >= BAR_RATIO
            and quiet["p95_ms"] <= BAR_P95_MS
            and busy["errors"] + quiet["errors"] == 0,
        }
    worst = min(variants, key=lambda n: variants[n]["rps_16"])
    floor_errors = summary["floor@16"]["errors"] + summary["floor@2"]["errors"]
    return {
        "name": "catalogue",
        "figure": variants[worst]["rps_16"],
        "unit": f"requests/s at 16 connections (slowest variant: {worst})",
        "bar": f">= {BAR_RATIO} x floor; p95 at 2 connections <= {BAR_P95_MS:.0f} ms",
        "baseline_name": "floor",
        "baseline": floor_rps,
        "ratio": variants[worst]["ratio_to_floor"],
        "passed": all(v["passed"] for v in variants.values()) and floor_errors == 0,
        "details": {
            "database": "postgresql",
            "dataset": sizes,
            "teacher": who,
            "variants": variants,
            "paths": VARIANTS,
            "floor": {
                "rps_16": floor_rps,
                "p95_ms_2": summary["floor@2"]["p95_ms"],
                "errors": floor_errors,
            },
            "max_p95_ms_2": max(v["p95_ms_2"] for v in variants.values()),
            "rounds": runs,
        },
    }
