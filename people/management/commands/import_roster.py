"""`staffroom import-roster PATH [--dry-run] [--actor EMAIL] [--school URN | --network ID]`.

Imports a OneRoster export (folder or .zip) or the staff template (.csv/.xlsx) in this
process, with a progress bar on stderr. Errors print as `file:line:column: message` and the
command exits non-zero having written nothing.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from people.roster import RosterError, import_roster
from tenancy.models import Network, School, User


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 CSV export (folder or .zip) or the staff template."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder or .zip (OneRoster), or a .csv/.xlsx template")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing")
        parser.add_argument("--actor", help="Email of the person recorded as making the changes")
        parser.add_argument("--school", help="URN of the only school the import may change")
        parser.add_argument("--network", type=int, help="Id of the only network it may change")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args, **opts):
        actor = None
        if opts["actor"]:
            actor = User.objects.filter(email__iexact=opts["actor"]).first()
            if actor is None:
                raise CommandError(f"No account has the email {opts['actor']}.")
        school = network = None
        if opts["school"]:
            school = School.objects.filter(urn=opts["school"]).first()
            if school is None:
                raise CommandError(f"No school has URN {opts['school']}.")
        if opts["network"]:
            network = Network.objects.filter(pk=opts["network"]).first()
            if network is None:
                raise CommandError(f"No network has id {opts['network']}.")
        bar = tqdm(
            unit=" rows",
            desc="Checking",
            disable=opts["no_progress"],
            file=self.stderr._out,
            mininterval=0.5,
        )

        def progress(done: int, total: int | None) -> None:
            if total is not None and bar.total != total:
                bar.set_description("Importing")
                bar.reset(total=total)
            bar.update(done - bar.n)

        try:
            summary = import_roster(
                opts["path"],
                actor=actor,
                school=school,
                network=network,
                dry_run=opts["dry_run"],
                progress=progress,
            )
        except RosterError as exc:
            bar.close()
            for error in exc.errors:
                self.stderr.write(str(error))
            if exc.total > len(exc.errors):
                self.stderr.write(f"… and {exc.total - len(exc.errors)} more errors.")
            raise CommandError(exc.message, returncode=1) from exc
        bar.close()
        if opts["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        what = "Dry run: would make" if summary.dry_run else "Imported"
        self.stdout.write(
            f"{what} {summary.changes} change{'s' if summary.changes != 1 else ''} "
            f"from {summary.rows} rows ({summary.kind} {summary.version})."
        )
        for label, counts in (
            ("created", summary.created),
            ("updated", summary.updated),
            ("archived", summary.archived),
        ):
            for record, n in sorted(counts.items()):
                self.stdout.write(f"  {label:9} {record:13} {n}")
        if summary.skipped:
            self.stdout.write(f"  skipped   {summary.skipped} rows (not staff, or out of scope)")
