"""Django's ``createsuperuser``, audited as done by the command (isa.core.signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands import createsuperuser

from isa.core.actor import Actor, acting


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        with acting(Actor.job("isa createsuperuser")):
            return super().handle(*args, **options)
