"""``isa seed-demo``: build the fictional demo once (idempotent, deterministic)."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from isa.core.demo import DEMO_ORGANISATION, DEMO_PASSWORD, demo_logins
from isa.core.models import Organisation
from isa.core.registry import demo_seeders


class Command(BaseCommand):
    help = "Load the fictional demo data (once; running it again changes nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("fr")
        if Organisation.objects.filter(name=DEMO_ORGANISATION).exists():
            self.stdout.write("Demo data already present: nothing changed.")
        else:
            random.seed(2016)  # deterministic demo
            context: dict[str, object] = {"rng": random.Random(2016)}
            with transaction.atomic():
                for name, seeder in demo_seeders():
                    seeder(context)
                    self.stdout.write(f"  demo: {name}")
            self.stdout.write(self.style.SUCCESS("Demo data loaded (all of it fictional)."))
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
            for email, label in demo_logins():
                self.stdout.write(f"  {email:<36} {label}")
