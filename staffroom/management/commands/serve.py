"""`staffroom serve`: the production WSGI server (gunicorn), serving static files too."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Staffroom with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("STAFFROOM_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("STAFFROOM_WORKERS", "0")) or None
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("STAFFROOM_THREADS", "1"))
        )
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument("--access-log", action="store_true")

    def handle(self, *args, **options):
        workers = options["workers"] or (2 * (os.cpu_count() or 1) + 1)
        argv = [
            "gunicorn",
            "staffroom.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(workers),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "10",
        ]
        if options["access_log"]:
            argv += ["--access-logfile", "-"]
        self.stdout.write(f"Serving Staffroom on http://{options['bind']}/ with {workers} workers")
        self.stdout.flush()
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
