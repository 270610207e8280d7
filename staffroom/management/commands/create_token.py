"""`staffroom create-token EMAIL [EMAIL ...]`: issue personal API tokens from the shell.

Benchmarks and scripts need many tokens at once, so every email is checked before any token
is made: one unknown address means no tokens at all.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from people.services import create_token
from tenancy.models import User


class Command(BaseCommand):
    help = "Issue a personal API token for each email and print 'email<TAB>token' per line."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument("--name", default="Personal token", help="A label for the tokens.")

    def handle(self, *args, **options):
        wanted = [email.strip().lower() for email in options["emails"]]
        users: dict[str, User] = {}
        for start in range(0, len(wanted), 500):  # stay under SQLite's parameter limit
            chunk = wanted[start : start + 500]
            for user in User.objects.filter(email__in=chunk, is_active=True):
                users[user.email.lower()] = user
        unknown = [email for email in dict.fromkeys(wanted) if email not in users]
        if unknown:
            raise CommandError(
                "No active account for: " + ", ".join(unknown) + ". No tokens were created."
            )
        lines = []
        with transaction.atomic():
            for given, email in zip(options["emails"], wanted, strict=True):
                _, raw = create_token(users[email], options["name"])
                lines.append(f"{given.strip()}\t{raw}")
        self.stdout.write("\n".join(lines))
