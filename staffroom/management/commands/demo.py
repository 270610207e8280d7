"""`staffroom demo`: load the fictional demo networks and print one login per role."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from staffroom.demo_data import load_demo, logins


class Command(BaseCommand):
    help = (
        "Load the demo (two networks, twelve schools, about 400 staff, and a year of CPD:"
        " offers, bookings, waiting lists and registers) into the configured database and"
        " print one login per role. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the logins, no progress."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        # Progress goes to stderr so that stdout is exactly the logins, one per line.
        self.stderr.style_func = None
        progress = None if options["quiet"] else self.stderr
        ctx = load_demo(stdout=progress)
        if progress is not None:
            made = ", ".join(f"{n} {what}" for what, n in ctx.created.items()) or "nothing new"
            progress.write(f"Demo loaded in {time.monotonic() - started:.1f}s ({made}).\n")
            progress.write(
                "Sign in at the address below with any of these (role, email, password):\n"
            )
        for role, email, password in logins(ctx.plan):
            self.stdout.write(f"{role}\t{email}\t{password}")
