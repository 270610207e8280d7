"""`staffroom generate --seed N [--scale F] [--reset]`: the synthetic national dataset."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from staffroom import generate


class Command(BaseCommand):
    help = (
        "Generate the synthetic national dataset for benchmarks (24,000 schools, 400 networks, "
        "480,000 staff, 150,000 offers, 400,000 sessions and 3,000,000 bookings at scale 1), "
        "the same rows for the same seed (session dates in the current academic year)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fraction of national size (0.01 = 1%%)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove generated rows first (only those)."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        started = time.monotonic()
        if options["reset"]:
            removed = generate.reset()
            self.stderr.write(
                "Removed generated rows: " + ", ".join(f"{n} {k}" for k, n in removed.items())
            )
        elif generate.exists():
            raise CommandError("A generated dataset is already here: pass --reset to replace it.")
        ctx = generate.generate(
            options["seed"], options["scale"], progress=not options["no_progress"]
        )
        made = ", ".join(f"{n:,} {label}" for label, n in ctx.counts.items())
        self.stdout.write(f"Generated in {time.monotonic() - started:.1f}s: {made}")
