"""Files and folders readable by their owner only (SECURITY.md; OWASP ASVS 2, ordinance art. 3).

The SQLite database, the media folder, the backups and the research keys hold personal data
or the means to read it.  Uploaded files get ``FILE_UPLOAD_PERMISSIONS`` (0600) and their
folders ``FILE_UPLOAD_DIRECTORY_PERMISSIONS`` (0700); the SQLite file is set to 0600 each
time a connection opens it (SQLite gives its ``-wal`` and ``-shm`` files the same mode).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def private_folder(path: Path) -> Path:
    """``path`` created if needed, readable and writable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE:
        path.chmod(FOLDER_MODE)
    return path


def private_folder_if_present(path: Path) -> None:
    try:
        if path.is_dir() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(FOLDER_MODE)
    except OSError:  # not ours to change: the operator's choice stands
        return


def private_file(path: Path) -> Path:
    """Make ``path`` readable and writable by its owner only."""
    if path.exists() and stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
        path.chmod(FILE_MODE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new file that is never readable by others, not even for a moment."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return private_file(path)


def private_sqlite_file(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: the SQLite database file (and its WAL) owner-only."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm"):
        try:
            private_file(Path(name + suffix))
        except OSError:
            continue
