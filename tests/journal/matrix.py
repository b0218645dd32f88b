"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.matrix import TEAM, Case, only, programme


def entry(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "entry_id": c.entry.pk}


MATRIX: dict[str, Case] = {
    "journal_list": Case(kwargs=programme, expect=only(TEAM)),
    "entry_create": Case(kwargs=programme, expect=only(TEAM)),
    "writing_aid": Case(
        kwargs=programme,
        method="post",
        data=lambda c: {"text": "Il est paresseux."},
        expect=only(TEAM),
    ),
    "journal_entry": Case(kwargs=entry, expect=only(TEAM)),
    "entry_correct": Case(
        kwargs=entry,
        expect={**only(TEAM), "facilitator": 403, "watcher": 403},
    ),
}
