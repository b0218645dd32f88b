"""``isa backup``: one encrypted archive of the databases and the media (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import router, transaction

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent
from isa.core.services import audit_record
from isa.privacy.backup import BackupError, backup_verify, backup_write, read_identity


class Command(BaseCommand):
    help = (
        "Write one age-encrypted archive of the database(s) and media files to ISA_BACKUP_DIR; "
        "with --verify, restore it into a scratch database and compare it with its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, help="Folder for the archive.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Restore into a scratch database and compare every table with the manifest.",
        )
        parser.add_argument(
            "--identity", type=Path, help="The age private key file (needed by --verify)."
        )
        parser.add_argument(
            "--archive", type=Path, help="With --verify: check this archive instead of a new one."
        )
        parser.add_argument(
            "--scratch-name",
            default="",
            help="Prefix of the scratch PostgreSQL database (default: the database's name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"] and not options["identity"]:
            raise CommandError("--verify needs --identity (the age private key file)")
        try:
            if options["archive"] and options["verify"]:
                archive = options["archive"]
            else:
                archive, manifest = backup_write(output_dir=options["output_dir"])
                self._audit(archive, manifest)
                tables = sum(len(db["tables"]) for db in manifest["databases"].values())
                media = sum(1 for name in manifest["files"] if name.startswith("media/"))
                self.stdout.write(f"backup written: {archive} ({tables} tables, {media} files)")
            if options["verify"]:
                result = backup_verify(
                    archive,
                    identities=read_identity(options["identity"]),
                    scratch_prefix=options["scratch_name"],
                )
                if not result.ok:
                    raise CommandError(
                        "the backup does not restore as it was:\n" + "\n".join(result.mismatches)
                    )
                self.stdout.write(
                    f"verified: {result.tables} tables, {result.rows} rows match the manifest"
                )
        except BackupError as exc:
            raise CommandError(str(exc)) from None

    @staticmethod
    def _audit(archive: Path, manifest: dict[str, Any]) -> None:
        with transaction.atomic(using=router.db_for_write(AuditEvent)):
            audit_record(
                action=AuditAction.EXPORT,
                actor=Actor.job("isa backup"),
                object_type="privacy.backup",
                object_id=archive.name[:64],
                detail={
                    "databases": sorted(manifest["databases"]),
                    "files": len(manifest["files"]),
                },
            )
