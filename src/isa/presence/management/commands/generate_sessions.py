"""``isa generate-sessions [--weeks 8] [--programme ID]``: keep the calendar ahead.

Creates, for every programme (or one), the sessions of its workshops' weekly recurrences
from today for the coming weeks, skipping closure days.  Idempotent: existing sessions (and
their presences) are kept and nothing is created twice, so it is meant to run from a daily
cron job or systemd timer, e.g.::

    15 2 * * *  isa generate-sessions --weeks 8
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.models import Programme
from isa.presence import services
from isa.presence.models import MAX_WEEKS


class Command(BaseCommand):
    help = (
        "Create the coming weeks' workshop sessions of every programme (or one). "
        "Idempotent: meant for a daily cron job or systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--weeks", type=int, default=8, help="How many weeks ahead, from today (1-52)."
        )
        parser.add_argument(
            "--programme", type=int, metavar="ID", help="Only this programme (its id)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        weeks = options["weeks"]
        if not 1 <= weeks <= MAX_WEEKS:
            raise CommandError(f"--weeks must be between 1 and {MAX_WEEKS}.")
        programmes = Programme.objects.select_related("organisation").order_by("pk")
        if options["programme"] is not None:
            programmes = programmes.filter(pk=options["programme"])
            if not programmes.exists():
                raise CommandError(f"No programme with id {options['programme']}.")
        start = timezone.localdate()
        end = start + timedelta(days=7 * weeks)
        actor = Actor.job("isa generate-sessions")
        total = 0
        for programme in programmes:
            created = services.sessions_extend(
                programme=programme, weeks=weeks, start=start, actor=actor
            )
            total += created
            self.stdout.write(f"{programme} (#{programme.pk}): {created} session(s) created")
        self.stdout.write(
            self.style.SUCCESS(f"{total} session(s) created in all, until {end:%d.%m.%Y}.")
        )
