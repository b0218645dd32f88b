"""The ``isa`` command: Django's management commands, with friendlier names.

``isa seed-demo`` runs the ``seed_demo`` command; every Django command works too
(``isa migrate``, ``isa createsuperuser``, ``isa check --deploy``…).  A configuration error
prints one line naming the variable instead of a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"isa: configuration error: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    from isa.core.actor import Actor, acting

    # Accounts changed by a command (``isa changepassword``…) are audited as done by it.
    command = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else "help"
    with acting(Actor.job(f"isa {command}")):
        execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
