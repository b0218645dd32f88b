"""Whether a file is closed to the changes its figures are made of, as the apps above say.

An anonymised file (``isa.privacy``) keeps every record a figure counts so that a report
rebuilt later gives the same figures; a health period removed or added there would change
them.  ``check(participant) -> reason | None``; people/ never imports the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from isa.people.models import Participant

FileLock = Callable[[Participant], "str | None"]

_locks: list[FileLock] = []


def register_file_lock(check: FileLock) -> FileLock:
    if check not in _locks:
        _locks.append(check)
    return check


def file_lock(participant: Participant) -> str | None:
    """Why the file is closed to such changes (in the reader's language), or None."""
    for check in _locks:
        reason = check(participant)
        if reason:
            return reason
    return None


def require_open_file(participant: Participant) -> None:
    """Refuse a change the file's figures are made of on a closed file."""
    reason = file_lock(participant)
    if reason:
        raise ValidationError(reason, code="file_locked")
