"""Import bench: a OneRoster 1.1 export of 24,000 orgs and 480,000 users (DESIGN.md).

Bar: >= 10,000 rows/s and peak memory <= 500 MB for the import, and a re-import that
changes nothing. Baseline: rows/s of merely parsing the same CSVs with the csv module.

The import runs in a subprocess so that peak RSS (getrusage RUSAGE_CHILDREN) is the
import's alone, on a fresh database on the server DATABASE_URL names (a new SQLite file
when it is unset or SQLite; a new `<name>_bench_import` database on PostgreSQL).
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ORGS = 24_000
USERS = 480_000
NETWORKS = 400
BAR_ROWS_PER_S = 10_000
BAR_MB = 500

ORGS_HEADER = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
USERS_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)
GIVEN = ["Amara", "Ben", "Chloe", "Dev", "Erin", "Femi", "Grace", "Hari", "Isla", "Jack"]
FAMILY = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Khan", "Jones", "Patel", "Smith"]


def generate(folder: Path, scale: float = 1.0, seed: int = 1) -> tuple[int, int]:
    """Write manifest.csv, orgs.csv and users.csv; return (orgs, users)."""
    rng = random.Random(seed)
    networks = max(1, round(NETWORKS * scale))
    schools = max(1, round(ORGS * scale) - networks)
    users = max(1, round(USERS * scale))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.csv").write_text(
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
        "file.orgs,bulk\nfile.users,bulk\nfile.classes,absent\n"
        "source.systemName,Staffroom bench\n"
    )
    with open(folder / "orgs.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ORGS_HEADER.split(","))
        for n in range(networks):
            w.writerow([f"d{n}", "", "", f"Trust {n}", "district", "", ""])
        for n in range(schools):
            w.writerow(
                [
                    f"s{n}",
                    "",
                    "2024-09-01T00:00:00Z",
                    f"School {n}",
                    "school",
                    f"{100000 + n:06d}",
                    f"d{n % networks}",
                ]
            )
    with open(folder / "users.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(USERS_HEADER.split(","))
        for n in range(users):
            school = n % schools
            orgs = f"s{school}"
            role = "teacher"
            if n % 20 == 0:
                role = "administrator"
            if n % 50 == 1 and schools > 1:
                orgs += f",s{(school + 1) % schools}"
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            email = f"{given}.{family}.{n}@school{school}.example".lower()
            w.writerow(
                [
                    f"u{n}",
                    "",
                    "",
                    "true" if n % 97 else "false",
                    orgs,
                    role,
                    email,
                    "",
                    given,
                    family,
                    "",
                    "",
                    email,
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return networks + schools, users


def parse_baseline(folder: Path) -> tuple[int, float]:
    """Rows/s of reading the same files with the csv module and nothing else."""
    start = time.perf_counter()
    rows = 0
    for name in ("orgs.csv", "users.csv"):
        with open(folder / name, newline="", encoding="utf-8") as fh:
            for _ in csv.reader(fh):
                rows += 1
    return rows, time.perf_counter() - start


def _fresh_database() -> tuple[str, Any]:
    """A URL for an empty database on the configured server, and a clean-up callable."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = url.rpartition("/")
        name = name.split("?")[0] or "postgres"
        bench_db = f"{name}_bench_import"
        admin = f"{base}/postgres"

        def run_sql(sql: str) -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql)

        run_sql(f'DROP DATABASE IF EXISTS "{bench_db}"')
        run_sql(f'CREATE DATABASE "{bench_db}"')
        return f"{base}/{bench_db}", lambda: run_sql(f'DROP DATABASE IF EXISTS "{bench_db}"')
    fd, name = tempfile.mkstemp(suffix=".sqlite3", prefix="staffroom-bench-")
    os.close(fd)
    path = Path(name)

    def cleanup() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    return f"sqlite:///{path}", cleanup


def _child(*argv: str, db: str) -> dict:
    env = {**os.environ, "DATABASE_URL": db, "DJANGO_SETTINGS_MODULE": "staffroom.settings"}
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench child {argv[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(args: Any) -> dict:
    scale = float(getattr(args, "scale", 1.0) or 1.0)
    with tempfile.TemporaryDirectory(prefix="staffroom-bench-import-") as tmp:
        folder = Path(tmp) / "export"
        orgs, users = generate(folder, scale)
        rows, parse_seconds = parse_baseline(folder)
        db, cleanup = _fresh_database()
        try:
            _child("migrate", db=db)
            # The machines are shared: the figure means little without the load beside it.
            load_before = os.getloadavg()[0]
            first = _child("import", str(folder), db=db)
            load_after = os.getloadavg()[0]
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            second = _child("import", str(folder), db=db)
        finally:
            cleanup()
    data_rows = orgs + users
    figure = data_rows / first["seconds"]
    baseline = data_rows / parse_seconds
    reimport_changes = second["summary"]["changes"]
    passed = figure >= BAR_ROWS_PER_S and peak_mb <= BAR_MB and reimport_changes == 0
    return {
        "name": "import",
        "figure": round(figure, 1),
        "unit": "rows/s",
        "bar": f">= {BAR_ROWS_PER_S} rows/s and <= {BAR_MB} MB, re-import changes nothing",
        "baseline_name": "csv module parse of the same files",
        "baseline": round(baseline, 1),
        "ratio": round(figure / baseline, 4),
        "passed": bool(passed),
        "details": {
            "peak_rss_mb": round(peak_mb, 1),
            "child_peak_rss_mb": first["peak_rss_mb"],
            "rows": data_rows,
            "orgs": orgs,
            "users": users,
            "scale": scale,
            "seconds": round(first["seconds"], 2),
            "created": first["summary"]["created"],
            "reimport_seconds": round(second["seconds"], 2),
            "reimport_rows_per_s": round(data_rows / second["seconds"], 1),
            "reimport_changes": reimport_changes,
            "database": "postgresql" if db.startswith("postgres") else "sqlite",
            "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        },
    }


def _child_main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if argv[0] == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
        print(json.dumps({"ok": True}))
        return
    from people.roster import import_roster

    start = time.perf_counter()
    summary = import_roster(argv[1])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "summary": summary.as_dict(), "peak_rss_mb": peak}))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
