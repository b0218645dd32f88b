"""Encrypted backups that are proven to restore (``isa backup``, ``isa restore``,
``isa backup --verify``).  See :mod:`isa.privacy.backup.archive` for the archive's layout and
:mod:`isa.privacy.backup.databases` for how each engine is dumped and restored."""

from isa.privacy.backup.archive import (
    Verification,
    backup_restore,
    backup_verify,
    backup_write,
    read_identity,
)
from isa.privacy.backup.databases import BackupError, Database

__all__ = [
    "BackupError",
    "Database",
    "Verification",
    "backup_restore",
    "backup_verify",
    "backup_write",
    "read_identity",
]
