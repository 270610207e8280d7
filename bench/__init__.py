"""The benchmark runner: every `bench/bench_<name>.py` measures one thing against its bar.

Each module exposes `run(args) -> dict` with the keys in RESULT_KEYS. `python -m bench
[names...]` runs the named ones (all when none are named), prints a table, writes
`bench/results/<name>.json` and exits non-zero if any bench missed its bar or failed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import pkgutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any, TextIO

RESULT_KEYS = (
    "name",
    "figure",
    "unit",
    "bar",
    "baseline_name",
    "baseline",
    "ratio",
    "passed",
    "details",
)
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def discover() -> list[str]:
    """Names of the bench modules on the package path (`bench_floor.py` is "floor")."""
    found = {
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("bench_")
    }
    return sorted(found)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benches to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale (1 = national)")
    parser.add_argument("--seed", type=int, default=1, help="dataset seed")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (at least 2)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def run_one(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one bench; an exception or a malformed answer becomes a failed result."""
    started = time.monotonic()
    try:
        module = importlib.import_module(f"{__name__}.bench_{name}")
        result = dict(module.run(args))
        missing = [key for key in RESULT_KEYS if key not in result]
        if missing:
            raise ValueError(f"bench_{name}.run() returned no {', '.join(missing)}")
        result["passed"] = bool(result["passed"])
    except Exception as exc:  # a broken bench is a failed bench, and the others still run
        result = {
            "name": name,
            "figure": None,
            "unit": "",
            "bar": None,
            "baseline_name": None,
            "baseline": None,
            "ratio": None,
            "passed": False,
            "details": {
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            },
        }
    result["seconds"] = round(time.monotonic() - started, 2)
    result["measured_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    result["args"] = {"scale": args.scale, "seed": args.seed}
    return result


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def table(results: list[dict[str, Any]]) -> str:
    """The results as a plain-text table: bench | figure | bar | baseline | ratio | pass."""
    header = ["bench", "figure", "bar", "baseline", "ratio", "pass"]
    rows = [header]
    for r in results:
        figure = f"{_cell(r['figure'])} {r.get('unit') or ''}".strip()
        baseline = _cell(r["baseline"])
        if r.get("baseline_name"):
            baseline = f"{baseline} ({r['baseline_name']})"
        rows.append(
            [r["name"], figure, _cell(r["bar"]), baseline, _cell(r["ratio"]), _cell(r["passed"])]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run the benches and return the exit status: 0 when every one passed."""
    out = out or sys.stdout
    args = parse_args(argv)
    available = discover()
    unknown = [n for n in args.names if n not in available]
    if unknown:
        out.write(f"Unknown bench: {', '.join(unknown)}. Available: {', '.join(available)}\n")
        return 2
    args.results_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.names or available:
        out.write(f"Running bench {name}…\n")
        out.flush()
        result = run_one(name, args)
        if "error" in result["details"]:
            out.write(result["details"]["traceback"])
        path = args.results_dir / f"{name}.json"
        path.write_text(json.dumps(result, indent=2, default=str) + "\n")
        results.append(result)
    out.write(table(results) + "\n")
    return 0 if all(r["passed"] for r in results) else 1
