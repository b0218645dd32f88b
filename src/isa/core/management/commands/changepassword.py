"""Django's ``changepassword``, audited as done by the command (isa.core.signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands import changepassword

from isa.core.actor import Actor, acting


class Command(changepassword.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        with acting(Actor.job("isa changepassword")):
            return super().handle(*args, **options)
