"""`staffroom booking-housekeeping`: expire offers, send reminders and evaluation prompts.

Run it from cron every few minutes; running it twice sends nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from booking.housekeeping import run


class Command(BaseCommand):
    help = "Expire offered places, send day-before reminders and evaluation prompts."

    def handle(self, *args, **options):
        result = run()
        self.stdout.write(
            f"{result['offers_expired']} offers expired, {result['reminders']} reminders, "
            f"{result['evaluation_prompts']} evaluation prompts."
        )
