"""``isa retention [--dry-run] [--date YYYY-MM-DD]``: anonymise the files whose retention
period has ended (the organisation's years after the person's last exit).

Daily, from cron (docs/operations.md)::

    45 2 * * *  isa retention

``--dry-run`` lists what it would do and changes nothing.  The output names no one: the
file's id, its programme's id, the last exit and the date the period ended.  Idempotent:
an anonymised file is never anonymised twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from isa.core.actor import Actor
from isa.privacy.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise the files whose retention period (years after the last exit, set per "
        "organisation) has ended. --dry-run lists them without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; change nothing.")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="As on this day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date must be YYYY-MM-DD (got {options['date']!r})."
                ) from None
        dry = options["dry_run"]
        try:
            run = retention_run(actor=Actor.job("isa retention"), on=on, dry_run=dry)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        verb = "would anonymise" if dry else "anonymised"
        for item in run.due:
            self.stdout.write(
                f"{verb} file #{item.participant.pk} (programme #{item.participant.programme_id}):"
                f" last exit {item.last_exit:%Y-%m-%d} + {item.years} years"
                f" = {item.due_on:%Y-%m-%d}"
            )
        count = len(run.due) if dry else len(run.anonymised)
        self.stdout.write(
            f"{count} file(s) {verb}." + (" (dry run: nothing changed)" if dry else "")
        )
