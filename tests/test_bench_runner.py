"""The bench runner finds bench modules, runs them, writes JSON and reports failures,
shown here with fake benches (no server)."""

from __future__ import annotations

import io
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import bench
from bench import common

PASSING = """
def run(args):
    return {"name": "fakepass", "figure": 12.5, "unit": "widgets/s", "bar": ">= 10",
            "baseline_name": "floor", "baseline": 25.0, "ratio": 0.5, "passed": True,
            "details": {"scale": args.scale, "seed": args.seed}}
"""
FAILING = PASSING.replace("fakepass", "fakefail").replace('"passed": True', '"passed": False')
BROKEN = "def run(args):\n    raise RuntimeError('the server would not start')\n"


@pytest.fixture
def fake_benches(tmp_path, monkeypatch):
    folder = tmp_path / "benches"
    folder.mkdir()
    for name, source in [("fakepass", PASSING), ("fakefail", FAILING), ("fakebroken", BROKEN)]:
        (folder / f"bench_{name}.py").write_text(source)
    monkeypatch.setattr(bench, "__path__", [*bench.__path__, str(folder)])
    yield tmp_path / "results"
    for name in ("fakepass", "fakefail", "fakebroken"):
        sys.modules.pop(f"bench.bench_{name}", None)


def test_the_runner_discovers_bench_modules(fake_benches):
    names = bench.discover()
    assert {"fakepass", "fakefail", "fakebroken", "floor"} <= set(names)


def test_a_passing_bench_writes_its_json_and_exits_zero(fake_benches):
    out = io.StringIO()
    status = bench.main(
        ["fakepass", "--scale", "0.01", "--seed", "3", "--results-dir", str(fake_benches)], out
    )
    assert status == 0
    result = json.loads((fake_benches / "fakepass.json").read_text())
    assert set(bench.RESULT_KEYS) <= set(result)
    assert result["passed"] is True
    assert result["details"] == {"scale": 0.01, "seed": 3}
    lines = out.getvalue().splitlines()
    assert [cell.strip() for cell in lines[1].split("|")] == [
        "bench", "figure", "bar", "baseline", "ratio", "pass"
    ]  # fmt: skip
    assert "12.5 widgets/s" in lines[3] and "25 (floor)" in lines[3]


def test_a_failing_or_broken_bench_makes_the_run_fail_but_the_others_still_run(fake_benches):
    out = io.StringIO()
    status = bench.main(
        ["fakebroken", "fakefail", "fakepass", "--results-dir", str(fake_benches)], out
    )
    assert status == 1
    broken = json.loads((fake_benches / "fakebroken.json").read_text())
    assert broken["passed"] is False
    assert "the server would not start" in broken["details"]["error"]
    assert json.loads((fake_benches / "fakefail.json").read_text())["passed"] is False
    assert json.loads((fake_benches / "fakepass.json").read_text())["passed"] is True


def test_an_unknown_bench_name_is_refused(fake_benches):
    out = io.StringIO()
    assert bench.main(["nosuchbench", "--results-dir", str(fake_benches)], out) == 2
    assert "nosuchbench" in out.getvalue()


def test_rounds_are_interleaved_at_least_twice_in_alternating_order():
    calls = []
    measures = {
        "target": lambda: calls.append("target") or {"rps": 1.0},
        "floor": lambda: calls.append("floor") or {"rps": 2.0},
    }
    results = common.interleaved(measures, rounds=1)
    assert calls == ["target", "floor", "floor", "target"]
    assert len(results["target"]) == len(results["floor"]) == 2


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_load_generator_counts_requests_latency_and_errors():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        good = common.load(port, "/ok", 2, requests=40, duration=10)
        bad = common.load(port, "/broken", 2, requests=10, duration=10)
    finally:
        server.shutdown()
        server.server_close()
    assert good["requests"] == 40 and good["errors"] == 0
    assert good["rps"] > 0 and 0 < good["p50_ms"] <= good["p95_ms"]
    assert bad["errors"] == 10
    summary = common.summarise([good, good])
    assert summary["errors"] == 0 and summary["rounds"] == 2


def test_the_load_generator_only_targets_loopback():
    with pytest.raises(ValueError):
        common.load(80, "/", 1, host="192.0.2.1", requests=1)
