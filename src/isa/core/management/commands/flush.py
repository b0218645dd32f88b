"""``isa flush``: Django's flush, audit log included, through the audit log's guard.

Since migration 0004 the database refuses to delete audit events; emptying a database is
maintenance by its owner, so this command (and the test suite, which flushes after each test
that commits) goes through :func:`isa.core.maintenance.audit_purge_allowed`.  With the
application's own PostgreSQL role, which may not delete audit events, it fails and removes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from isa.core.maintenance import audit_purge_allowed


class Command(flush.Command):
    help = flush.Command.help + " The audit log is emptied too (database owner only)."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if options["interactive"]:
            name = connections[database].settings_dict["NAME"]
            confirm = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{name}" database, the audit '
                "log included, and return each table to an empty state.\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
        with audit_purge_allowed(database):
            super().handle(**{**options, "interactive": False})
