"""One secret key per research study, kept outside the database tables it protects.

A study's pseudonyms are ``HMAC-SHA256(key, participant id)``: whoever holds the database
alone (a backup, a dump) cannot recompute them, and whoever holds an export cannot go back
to the ids.  The keys live in files under ``ISA_RESEARCH_KEY_DIR`` (``study-<id>.key``, 32
random bytes, mode 0600, folder 0700), created at the study's first export.  They are not in
``isa backup``'s archive: keep them on their own (docs/operations.md); a lost key only
means that later exports of that study get new pseudonyms.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings

from isa.privacy.files import FILE_MODE, private_folder

KEY_BYTES = 32
#: 16 base-32 characters: 80 bits, no collision to fear in a programme's few hundred people.
PSEUDONYM_LENGTH = 16


def key_path(study_id: int) -> Path:
    return Path(settings.ISA_RESEARCH_KEY_DIR) / f"study-{study_id}.key"


def study_key(study_id: int) -> bytes:
    """The study's key, created (owner-only) the first time it is asked for."""
    path = key_path(study_id)
    if not path.exists():
        private_folder(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:  # another export created it first
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
    return path.read_bytes()


def pseudonym(key: bytes, participant_id: int) -> str:
    digest = hmac.new(key, f"participant:{participant_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:PSEUDONYM_LENGTH]
