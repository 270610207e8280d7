"""The booking storm (DESIGN.md, "Benchmarks"): 2,000 people, each with their own token,
book one 30-seat session at once over HTTP from 64 client threads against `staffroom serve`
on PostgreSQL. The same client's requests/s on /healthz, measured before and after in the
same run, is the baseline.

Bar: exactly 30 confirmed and 1,970 waitlisted with positions 1..1,970, 0 errors, counted
from the answers and in the database; bookings/s >= 0.25 x /healthz requests/s.

The storm runs in its own database (`storm` beside DATABASE_URL's, or
STAFFROOM_STORM_DATABASE_URL), made and migrated on first use, so that it is quick and does
not depend on the national dataset. `python -m bench.bench_storm --prepare` (run by the
bench with that database's URL) makes the school, the 2,000 staff and fresh tokens and
sessions, and prints them as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import common

PEOPLE = 2_000
SEATS = 30
THREADS = 64
SOURCE_ID = "bench:storm"
STORM_DB = "storm"
GIVE_UP = 180.0  # seconds: a storm that has not finished by then has failed


# --- The storm database ------------------------------------------------------------------


def storm_url() -> str | None:
    """PostgreSQL URL of the storm's own database, or None when not on PostgreSQL."""
    url = os.environ.get("STAFFROOM_STORM_DATABASE_URL")
    if url:
        return url
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return None
    return urlunsplit(urlsplit(base)._replace(path=f"/{STORM_DB}"))


def ensure_database(url: str) -> None:
    """Create the storm database if it is missing, and migrate it."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        common.staffroom_command("migrate", "--noinput", "-v", "0"),
        cwd=common.ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )


def prepare(url: str, sessions: int = 1) -> dict[str, Any]:
    """Fresh tokens and `sessions` fresh 30-seat sessions in the storm database (made by a
    subprocess, since this process's ORM is bound to DATABASE_URL)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_storm", "--prepare", str(sessions)],
        cwd=common.ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _prepare(sessions: int) -> dict[str, Any]:
    """Inside the storm database: one school, 2,000 staff with new tokens (the old ones
    revoked by deletion), and new sessions of one offer (the old sessions removed)."""
    common.django_setup()
    import secrets

    from django.db import transaction
    from django.utils import timezone

    from offers.models import Offer, Session, SessionDate
    from tenancy.models import ApiToken, School, StaffMember, User

    with transaction.atomic():
        school, _ = School.objects.get_or_create(
            source_id=SOURCE_ID, defaults={"urn": "999001", "name": "Storm Bench Academy"}
        )
        have = StaffMember.objects.filter(school=school).count()
        if have < PEOPLE:
            users = User.objects.bulk_create(
                User(
                    email=f"storm{i:04d}@storm.bench.example", full_name=f"Storm {i}", password="!"
                )  # fmt: skip
                for i in range(have, PEOPLE)
            )
            StaffMember.objects.bulk_create(
                StaffMember(user=u, school=school, job_title="Teacher") for u in users
            )
        user_ids = list(
            StaffMember.objects.filter(school=school)
            .order_by("user_id")
            .values_list("user_id", flat=True)[:PEOPLE]
        )
        ApiToken.objects.filter(user_id__in=user_ids).delete()
        raws = [ApiToken.PREFIX + secrets.token_urlsafe(32) for _ in user_ids]
        ApiToken.objects.bulk_create(
            ApiToken(user_id=u, name="storm", key_hash=ApiToken.hash(r), hint=r[:8])
            for u, r in zip(user_ids, raws, strict=True)
        )
        offer, _ = Offer.objects.get_or_create(
            school=school,
            title="Storm twilight: questioning",
            defaults={"status": Offer.Status.PUBLISHED},
        )
        Session.objects.filter(offer=offer).delete()  # and their bookings: a fresh start
        ids = []
        day = timezone.now().replace(hour=16, minute=0, second=0, microsecond=0)
        for n in range(sessions):
            starts = day + datetime.timedelta(days=7 + n)
            session = Session.objects.create(
                offer=offer, capacity=SEATS, starts_at=starts, ends_at=starts
            )
            ends = starts + datetime.timedelta(minutes=90)
            SessionDate.objects.create(session=session, starts_at=starts, ends_at=ends)
            Session.objects.filter(pk=session.pk).update(ends_at=ends)
            ids.append(session.pk)
    return {"tokens": raws, "user_ids": user_ids, "sessions": ids}


# --- The client ----------------------------------------------------------------------------


@dataclass
class Answer:
    """The final answer one person got, and how many answers were lost on the way."""

    person: int
    status: int | None = None
    body: dict[str, Any] = field(default_factory=dict)
    lost: int = 0
    seconds: float = 0.0


def storm(
    port: int,
    session_id: int,
    tokens: list[str],
    *,
    threads: int = THREADS,
    on_answer: Any = None,
) -> tuple[list[Answer], float]:
    """Every token books `session_id` once, from `threads` threads (loopback only). A
    connection error is retried with the same token until GIVE_UP; the Answer counts the
    lost attempts, so a 409 after one reads as "already booked". Returns the answers and
    the seconds from the first request to the last answer."""
    path = f"/api/v1/sessions/{session_id}/bookings"
    answers = [Answer(person=i) for i in range(len(tokens))]
    lock = threading.Lock()
    nxt = [0]
    done = [0]
    start = time.perf_counter()
    deadline = start + GIVE_UP

    def take() -> int | None:
        with lock:
            if nxt[0] >= len(tokens):
                return None
            nxt[0] += 1
            return nxt[0] - 1

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (i := take()) is not None:
            answer = answers[i]
            headers = {"Authorization": f"Bearer {tokens[i]}", "Content-Length": "0"}
            t0 = time.perf_counter()
            while time.perf_counter() < deadline:
                try:
                    conn.request("POST", path, headers=headers)
                    response = conn.getresponse()
                    raw = response.read()
                except (OSError, http.client.HTTPException):
                    answer.lost += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    time.sleep(0.05)
                    continue
                answer.status = response.status
                try:
                    answer.body = json.loads(raw or b"{}")
                except ValueError:
                    answer.body = {"raw": raw[:200].decode(errors="replace")}
                break
            answer.seconds = time.perf_counter() - t0
            with lock:
                done[0] += 1
                count = done[0]
            if on_answer is not None:
                on_answer(count)
        conn.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return answers, time.perf_counter() - start


def tally(answers: list[Answer]) -> dict[str, Any]:
    """What the answers say: confirmed, waitlisted with positions, already booked (a 409
    after a lost answer), errors (anything else)."""
    statuses: Counter[str] = Counter()
    positions = []
    errors = []
    for a in answers:
        if a.status == 201 and a.body.get("status") in ("confirmed", "waitlisted"):
            statuses[a.body["status"]] += 1
            if a.body["status"] == "waitlisted":
                positions.append(a.body.get("waitlist_position"))
        elif a.status == 409 and a.lost:
            statuses["already booked"] += 1
        else:
            statuses["error"] += 1
            if len(errors) < 5:
                errors.append({"status": a.status, "body": a.body, "lost": a.lost})
    times = sorted(a.seconds for a in answers)
    return {
        "statuses": dict(statuses),
        "positions": positions,
        "errors": statuses["error"],
        "error_samples": errors,
        "lost_answers": sum(a.lost for a in answers),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1) if times else None,
    }


def in_database(url: str, session_id: int) -> dict[str, Any]:
    """The session's bookings and counters as PostgreSQL has them."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, user_id, status, waitlist_position FROM booking_booking"
            " WHERE session_id = %s",
            [session_id],
        ).fetchall()
        counters = conn.execute(
            "SELECT capacity, confirmed_count, waiting_count, last_position"
            " FROM offers_session WHERE id = %s",
            [session_id],
        ).fetchone()
    return {
        "rows": rows,
        "statuses": dict(Counter(r[2] for r in rows)),
        "positions": sorted(r[3] for r in rows if r[2] == "waitlisted"),
        "counters": dict(
            zip(("capacity", "confirmed", "waiting", "last_position"), counters, strict=True)
        ),
        "people": len({r[1] for r in rows}),
    }


def contiguous(positions: list[Any]) -> bool:
    return sorted(positions) == list(range(1, len(positions) + 1))


def healthz(port: int, duration: float) -> dict[str, Any]:
    return common.load(port, "/healthz", THREADS, duration=duration)


def setup(args: argparse.Namespace, sessions: int) -> tuple[str, dict[str, Any]] | None:
    url = storm_url()
    if url is None:
        return None
    ensure_database(url)
    return url, prepare(url, sessions)


def skipped(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "figure": None,
        "unit": "bookings/s",
        "bar": "needs PostgreSQL",
        "baseline_name": None,
        "baseline": None,
        "ratio": None,
        "passed": False,
        "details": {"skipped": "Set DATABASE_URL to PostgreSQL: the storm runs only there."},
    }


def check(url: str, session_id: int, answers: list[Answer]) -> dict[str, Any]:
    """One storm's outcome, from the answers and from the database."""
    said = tally(answers)
    db = in_database(url, session_id)
    waitlisted = PEOPLE - SEATS
    answers_right = (
        said["statuses"].get("confirmed") == SEATS
        and said["statuses"].get("waitlisted") == waitlisted
        and sorted(said["positions"]) == list(range(1, waitlisted + 1))
        and said["errors"] == 0
    )
    db_right = (
        db["statuses"] == {"confirmed": SEATS, "waitlisted": waitlisted}
        and db["positions"] == list(range(1, waitlisted + 1))
        and db["counters"]["confirmed"] == SEATS
        and db["counters"]["waiting"] == waitlisted == db["counters"]["last_position"]
    )
    return {
        "answers": {k: v for k, v in said.items() if k != "positions"},
        "answers_right": answers_right,
        "database_statuses": db["statuses"],
        "database_counters": db["counters"],
        "database_right": db_right,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """`rounds` storms (each on a fresh 30-seat session, by the same 2,000 people), each
    between two /healthz measurements: health, storm, health, storm, ..., health. The
    figure is the median storm's rate, the baseline the median health check's."""
    rounds = max(2, getattr(args, "rounds", 2))
    made = setup(args, sessions=rounds)
    if made is None:
        return skipped("storm")
    url, world = made
    tokens = world["tokens"]
    duration = getattr(args, "duration", 5.0)
    storms, healths = [], []
    with common.serving(env={"DATABASE_URL": url}) as server:
        common.load(server.port, "/healthz", THREADS, duration=1.0)  # workers warm
        healths.append(healthz(server.port, duration))
        for session_id in world["sessions"]:
            answers, seconds = storm(server.port, session_id, tokens)
            storms.append(
                {
                    "session": session_id,
                    "seconds": round(seconds, 2),
                    "rate": len(answers) / seconds,
                    **check(url, session_id, answers),
                }
            )
            healths.append(healthz(server.port, duration))
    rate = statistics.median(s["rate"] for s in storms)
    health = statistics.median(h["rps"] for h in healths)
    ratio = rate / health if health else None
    right = all(s["answers_right"] and s["database_right"] for s in storms)
    healthy = sum(h["errors"] for h in healths) == 0
    return {
        "name": "storm",
        "figure": round(rate, 1),
        "unit": f"bookings/s (2,000 people, 64 threads, 30 seats; median of {rounds} storms)",
        "bar": ">= 0.25 x /healthz; 30 confirmed, 1,970 waitlisted 1..1,970, 0 errors",
        "baseline_name": "/healthz requests/s, same client (median)",
        "baseline": round(health, 1),
        "ratio": round(ratio, 3) if ratio is not None else None,
        "passed": bool(right and healthy and ratio and ratio >= 0.25),
        "details": {
            "database": "postgresql",
            "storms": [{**s, "rate": round(s["rate"], 1)} for s in storms],
            "healthz": [round(h["rps"], 1) for h in healths],
            "healthz_runs": healths,
        },
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        print(json.dumps(_prepare(int(sys.argv[2]))))
    else:
        sys.exit("usage: python -m bench.bench_storm --prepare SESSIONS")
