"""``isa restore ARCHIVE --identity KEYFILE``: a backup back into an empty database and
media folder (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from isa.privacy.backup import BackupError, Database, backup_restore, read_identity


class Command(BaseCommand):
    help = (
        "Restore an archive of `isa backup` into an EMPTY database (created, not migrated) and "
        "an empty media folder, then compare every table with the archive's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--identity", type=Path, required=True, help="The age private key file."
        )
        parser.add_argument(
            "--database-url", help="Where to restore (default: ISA_DATABASE_URL's database)."
        )
        parser.add_argument(
            "--audit-database-url",
            help="Where to restore the separate audit database (default: ISA_AUDIT_DATABASE_URL).",
        )
        parser.add_argument(
            "--media-root", type=Path, help="Where to restore the media (default: ISA_MEDIA_ROOT)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            identities = read_identity(options["identity"])
            targets = {
                "default": Database.from_url(options["database_url"])
                if options["database_url"]
                else Database.from_alias("default")
            }
            if options["audit_database_url"]:
                targets["audit"] = Database.from_url(options["audit_database_url"])
            elif "audit" in connections.databases:
                targets["audit"] = Database.from_alias("audit")
            # Nothing of ours may hold the target open (SQLite) while it is written.
            connections.close_all()
            result, manifest = backup_restore(
                options["archive"],
                identities=identities,
                targets=targets,
                media_root=Path(options["media_root"] or settings.MEDIA_ROOT),
            )
        except BackupError as exc:
            raise CommandError(f"refused: {exc}") from None
        if not result.ok:
            raise CommandError(
                "restored, but it differs from the manifest:\n" + "\n".join(result.mismatches)
            )
        self.stdout.write(
            f"restored the backup of {manifest['created_at']}: {result.tables} tables, "
            f"{result.rows} rows, every one as in the manifest"
        )
