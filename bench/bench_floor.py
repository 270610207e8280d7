"""The floor: the fastest page this stack can serve, against which the others are read.

`/bench/floor` does one primary-key query and renders 50 rows. Served by `staffroom serve`
(gunicorn) on loopback: requests/s at 16 connections (the server saturated) and p95 at 2
connections (latency without queueing), in interleaved rounds. Its bar is only to be
reported without errors; other benches compare themselves with it.
"""

from __future__ import annotations

import argparse
from typing import Any

from bench import common

PATH = "/bench/floor"


def run(args: argparse.Namespace) -> dict[str, Any]:
    schools = common.ensure_schools(50, seed=args.seed)
    vendor = common.database_vendor()
    duration = getattr(args, "duration", 5.0)
    with common.serving(env={"STAFFROOM_BENCH_FLOOR": "1"}) as server:
        common.load(server.port, PATH, 16, duration=1.0)  # every worker connected and warm
        runs = common.interleaved(
            {
                "16 connections": lambda: common.load(server.port, PATH, 16, duration=duration),
                "2 connections": lambda: common.load(server.port, PATH, 2, duration=duration),
            },
            rounds=getattr(args, "rounds", 2),
        )
    busy, quiet = common.summarise(runs["16 connections"]), common.summarise(runs["2 connections"])
    errors = busy["errors"] + quiet["errors"]
    return {
        "name": "floor",
        "figure": busy["rps"],
        "unit": "requests/s at 16 connections",
        "bar": "reported, 0 errors",
        "baseline_name": None,
        "baseline": None,
        "ratio": None,
        "passed": errors == 0,
        "details": {
            "database": vendor,
            "schools": schools,
            "rps_16": busy["rps"],
            "p50_ms_16": busy["p50_ms"],
            "p95_ms_16": busy["p95_ms"],
            "rps_2": quiet["rps"],
            "p50_ms_2": quiet["p50_ms"],
            "p95_ms_2": quiet["p95_ms"],
            "errors": errors,
            "rounds": runs,
        },
    }
