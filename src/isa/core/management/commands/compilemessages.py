"""Compile the project's .po catalogues to .mo with Babel: pure Python, no GNU gettext.

Replaces Django's command of the same name (which needs ``msgfmt``) so that ``make test``
and ``make run`` work on a machine with only Python.  A catalogue with a format error
(for example a ``%(name)s`` missing from a translation) fails the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile .po files to .mo (pure Python, with Babel)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--locale", "-l", action="append", default=[])

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = set(options["locale"])
        problems: list[str] = []
        count = 0
        for base in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(base.glob("*/LC_MESSAGES/*.po")):
                locale = po_path.parent.parent.name
                if wanted and locale not in wanted:
                    continue
                with po_path.open("rb") as fh:
                    catalog = read_po(fh, locale=locale)
                for message, errors in catalog.check():
                    for error in errors:
                        problems.append(f"{po_path}:{message.lineno}: {error}")
                with po_path.with_suffix(".mo").open("wb") as fh:
                    write_mo(fh, catalog)
                count += 1
        if problems:
            raise CommandError("translation errors:\n" + "\n".join(problems))
        if options["verbosity"] >= 1:
            self.stdout.write(f"compiled {count} catalogue(s)")
