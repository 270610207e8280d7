"""What the benches share: the server under test, a loopback load generator, interleaved
rounds and a dataset that is big enough.

The server is the production one, `staffroom serve` (gunicorn), started as a subprocess on a
free loopback port so that a bench measures what users get, never Django's test client.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def django_setup() -> None:
    """Make the ORM usable inside the runner (settings from the environment, as served)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.settings")
    import django

    django.setup()


def staffroom_command(*args: str) -> list[str]:
    """`staffroom ARGS`: the console script beside this Python, or the module behind it."""
    script = Path(sys.executable).with_name("staffroom")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "staffroom.cli", *args]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Any
    host: str = "127.0.0.1"

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]


def start_server(
    env: dict[str, str] | None = None,
    workers: int | None = None,
    timeout: float = 60.0,
    port: int | None = None,
) -> Server:
    """Start `staffroom serve` on a loopback port (a free one unless given: a restart after a
    crash takes the old one) and wait until /healthz answers 200."""
    port = port or free_port()
    argv = staffroom_command("serve", "--bind", f"127.0.0.1:{port}")
    if workers:
        argv += ["--workers", str(workers)]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_server)
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it stops its workers
    )
    server = Server(port=port, process=process, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"staffroom serve exited with {process.returncode}:\n{server.output()}"
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"staffroom serve did not answer /healthz in {timeout:.0f}s")


def stop_server(server: Server, timeout: float = 15.0) -> None:
    """Stop the server and its workers (SIGTERM, then SIGKILL if it lingers)."""
    if server.process.poll() is None:
        try:
            os.killpg(server.process.pid, signal.SIGTERM)
            server.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout)
        except ProcessLookupError:
            pass
    server.log.close()


@contextmanager
def serving(env: dict[str, str] | None = None, workers: int | None = None) -> Iterator[Server]:
    server = start_server(env, workers)
    try:
        yield server
    finally:
        stop_server(server)


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def load(
    port: int,
    path: str,
    connections: int,
    *,
    duration: float = 5.0,
    requests: int | None = None,
    headers: dict[str, str] | None = None,
    host: str = "127.0.0.1",
    expect: int = 200,
) -> dict[str, Any]:
    """Send GETs from `connections` threads, each on its own keep-alive connection, until
    `duration` seconds pass or `requests` have been sent. Any answer other than `expect`,
    and any connection error, counts as an error. Loopback only."""
    if host not in LOOPBACK:
        raise ValueError("The load generator only targets loopback addresses.")
    lock = threading.Lock()
    sent = [0]
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start = time.perf_counter()
    deadline = start + duration

    def take() -> bool:
        with lock:
            if requests is not None and sent[0] >= requests:
                return False
            sent[0] += 1
            return True

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while time.perf_counter() < deadline and take():
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status != expect:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            latencies[i].append(time.perf_counter() - t0)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    times = sorted(t for per_thread in latencies for t in per_thread)
    return {
        "connections": connections,
        "requests": len(times),
        "seconds": round(elapsed, 3),
        "rps": len(times) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(times, 0.50) * 1000,
        "p95_ms": _percentile(times, 0.95) * 1000,
        "errors": sum(errors),
    }


def interleaved(
    measures: dict[str, Callable[[], dict[str, Any]]], rounds: int = 2
) -> dict[str, list[dict[str, Any]]]:
    """Run each measurement once per round, at least two rounds, reversing the order every
    other round (A B, B A, ...) so that drift in the machine falls on both sides alike."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in measures}
    for r in range(max(2, rounds)):
        order = list(measures) if r % 2 == 0 else list(reversed(measures))
        for name in order:
            results[name].append(measures[name]())
    return results


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median requests/s and latencies across rounds; errors and requests summed."""
    return {
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p95_ms": round(statistics.median(r["p95_ms"] for r in runs), 2),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "rounds": len(runs),
    }


def ensure_schools(minimum: int = 50, seed: int = 1) -> int:
    """At least `minimum` schools in the database, generating a small dataset if needed.
    Returns how many there are."""
    django_setup()
    from django.db import connection

    from staffroom import generate
    from tenancy.models import School

    count = School.objects.count()
    if count < minimum:
        if generate.exists():
            generate.reset()
        scale = max(0.0025, (minimum + 10) / generate.FULL["schools"])
        generate.generate(seed, scale, progress=False)
        count = School.objects.count()
    connection.close()  # the server's workers open their own
    return count


def database_vendor() -> str:
    django_setup()
    from django.db import connection

    return connection.vendor
