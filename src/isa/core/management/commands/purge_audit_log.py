"""``isa purge-audit-log --days N``: delete the audit events older than N days (N ≥ 365).

Run it as the database owner (docs/operations.md): the application's role may not delete
audit events, and the database refuses it.  The purge is itself recorded in the log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.services import AUDIT_KEEP_MINIMUM, audit_purge


class Command(BaseCommand):
    help = "Delete the audit events older than --days days (at least 365); as database owner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, required=True, help="Keep this many days.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < AUDIT_KEEP_MINIMUM.days:
            raise CommandError(f"--days must be at least {AUDIT_KEEP_MINIMUM.days}.")
        before = timezone.now() - timedelta(days=options["days"])
        try:
            deleted = audit_purge(before=before, actor=Actor.job("isa purge-audit-log"))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{deleted} audit event(s) before {before:%d.%m.%Y %H:%M} deleted.")
