"""``isa watch [--date YYYY-MM-DD] [--programme ID] [--no-digest]``: the nightly watch.

Evaluates the rules of every programme (or one), opening an alert for each situation not
seen before, then e-mails each watcher the open alerts of their programmes: once a day.
``--date`` evaluates as on an earlier day (to catch up after an outage); such a run sends
no digest.
Idempotent: running it twice the same day opens no alert and sends no e-mail twice, so it
can run from a daily cron job or systemd timer, in the morning before the workshops::

    30 6 * * 1-5  isa watch

E-mail goes through ``ISA_EMAIL_URL`` (the console by default).  Exits with an error when
a rule or an e-mail failed, after doing everything else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.models import Programme
from isa.watch import services


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD (got {value!r}).") from None


class Command(BaseCommand):
    help = (
        "Evaluate the watch rules of every programme and send each watcher their daily "
        "digest. Idempotent: meant for a daily cron job or systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="Evaluate as on this day (default: today)."
        )
        parser.add_argument(
            "--programme", type=int, metavar="ID", help="Only this programme (its id)."
        )
        parser.add_argument(
            "--no-digest", action="store_true", help="Evaluate the rules, send no e-mail."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        if today > timezone.localdate():
            raise CommandError("--date cannot be in the future.")
        programmes = Programme.objects.order_by("pk")
        if options["programme"] is not None:
            programmes = programmes.filter(pk=options["programme"])
            if not programmes.exists():
                raise CommandError(f"No programme with id {options['programme']}.")
        actor = Actor.job("isa watch")
        failed: list[str] = []
        total = 0
        for programme in programmes:
            result = services.watch_evaluate(programme=programme, actor=actor, today=today)
            total += len(result.created)
            failed += [f"{code} (programme {programme.pk})" for code in result.failed]
            self.stdout.write(f"{programme} (#{programme.pk}): {len(result.created)} new alert(s)")
        self.stdout.write(f"{total} new alert(s) in all, as of {today:%d.%m.%Y}.")
        if today != timezone.localdate() and not options["no_digest"]:
            # The digest is today's: a run for another day (catching up) sends none.
            self.stdout.write("No digest: --date is not today.")
        elif not options["no_digest"]:
            digest = services.digest_send(actor=actor, today=today)
            self.stdout.write(
                f"Digest: {digest.sent} e-mail(s) sent, {digest.skipped} already sent today."
            )
            if digest.failed:
                failed.append(f"{len(digest.failed)} digest e-mail(s)")
        if failed:
            raise CommandError("Failed: " + ", ".join(failed) + " (see the log).")
        self.stdout.write(self.style.SUCCESS("The watch is done."))
