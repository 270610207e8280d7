"""The booking storm with a crash (DESIGN.md, "Reliability"): the same storm as
bench_storm on a fresh session, but the whole server (gunicorn's process group) is killed
with SIGKILL once about half the answers are in, and restarted on the same port. Clients
retry on connection errors; a 409 after a lost answer means the lost attempt was booked.

Bar: every booking acknowledged with 201 is in the database, with the status and position
it was given; exactly 30 confirmed; waiting-list positions contiguous 1..N; every person
ends with one booking; no other error.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from typing import Any

from bench import common
from bench.bench_storm import (
    PEOPLE,
    SEATS,
    contiguous,
    in_database,
    setup,
    skipped,
    storm,
    tally,
)

KILL_AFTER = PEOPLE // 2  # answers in before the kill


def run(args: argparse.Namespace) -> dict[str, Any]:
    made = setup(args, sessions=1)
    if made is None:
        return skipped("storm_sigkill")
    url, world = made
    session_id, tokens = world["sessions"][0], world["tokens"]
    env = {"DATABASE_URL": url}
    server = common.start_server(env=env)
    port = server.port
    half = threading.Event()
    crash: dict[str, Any] = {}

    def on_answer(count: int) -> None:
        if count == KILL_AFTER:
            half.set()

    def killer() -> None:
        nonlocal server
        if not half.wait(timeout=120):
            return
        crash["killed_at"] = time.perf_counter()
        os.killpg(server.process.pid, signal.SIGKILL)  # master and workers, no goodbye
        server.process.wait(10)
        server.log.close()
        server = common.start_server(env=env, port=port)
        crash["down_seconds"] = round(time.perf_counter() - crash["killed_at"], 2)

    thread = threading.Thread(target=killer, daemon=True)
    try:
        common.load(port, "/healthz", 16, duration=1.0)
        thread.start()
        answers, seconds = storm(port, session_id, tokens, on_answer=on_answer)
        half.set()  # should the storm end first, the kill still happens (and is harmless)
        thread.join(timeout=130)
    finally:
        common.stop_server(server)
    said = tally(answers)
    db = in_database(url, session_id)
    by_id = {row[0]: row for row in db["rows"]}
    missing, changed = [], []
    for a in answers:
        if a.status != 201:
            continue
        row = by_id.get(a.body.get("id"))
        if row is None:
            missing.append(a.body)
        elif (row[2], row[3]) != (a.body.get("status"), a.body.get("waitlist_position")):
            changed.append({"answer": a.body, "database": row[2:]})
    confirmed = db["statuses"].get("confirmed", 0)
    checks = {
        "acknowledged_all_in_database": not missing,
        "acknowledged_unchanged": not changed,
        "exactly_30_confirmed": confirmed == SEATS == db["counters"]["confirmed"],
        "positions_contiguous": contiguous(db["positions"])
        and db["counters"]["waiting"] == len(db["positions"]) == db["counters"]["last_position"],
        "every_person_booked_once": db["people"] == len(db["rows"]) == PEOPLE,
        "no_errors": said["errors"] == 0,
        "server_was_killed": "killed_at" in crash,
    }
    acknowledged = sum(1 for a in answers if a.status == 201)
    return {
        "name": "storm_sigkill",
        "figure": acknowledged - len(missing),
        "unit": "acknowledged bookings found in the database",
        "bar": "all acknowledged kept; 30 confirmed; positions 1..N; 0 errors",
        "baseline_name": "bookings acknowledged with 201",
        "baseline": acknowledged,
        "ratio": round((acknowledged - len(missing)) / acknowledged, 4) if acknowledged else None,
        "passed": all(checks.values()),
        "details": {
            "database": "postgresql",
            "checks": checks,
            "seconds": round(seconds, 2),
            "bookings_per_s": round(len(answers) / seconds, 1),
            "server_down_seconds": crash.get("down_seconds"),
            "answers": {k: v for k, v in said.items() if k != "positions"},
            "database_statuses": db["statuses"],
            "database_counters": db["counters"],
            "missing": missing[:5],
            "changed": changed[:5],
        },
    }
