"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py).

The watch is for watchers, social workers and the head.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from isa.watch.models import Alert
from tests.conftest import Cast
from tests.matrix import Case, only, programme

WATCHING = {"head", "social_worker", "watcher"}


def alert(c: Cast) -> dict[str, Any]:
    """An open watch alert about the cast's participant (its concern entry), made on demand."""
    a, _created = Alert.objects.get_or_create(
        programme=c.programme,
        participant=c.participant,
        kind="concern_entry",
        situation=f"concern:{c.entry.pk}",
        defaults={
            "opened_on": date(2024, 3, 11),
            "entry_id": c.entry.pk,
            "facts": {"written_on": "2024-03-11"},
        },
    )
    return {"programme_id": c.programme.pk, "alert_id": a.pk}


MATRIX: dict[str, Case] = {
    "watch_board": Case(kwargs=programme, expect=only(WATCHING)),
    "watch_rules": Case(kwargs=programme, expect=only({"head"})),
    "watch_alert": Case(kwargs=alert, expect=only(WATCHING)),
    "watch_take": Case(kwargs=alert, method="post", expect=only(WATCHING, ok=302)),
    "watch_outreach": Case(
        kwargs=alert,
        method="post",
        data=lambda c: {"kind": "phone", "on": "2024-03-12", "note": "Left a message."},
        expect=only(WATCHING, ok=302),
    ),
    "watch_resolve": Case(
        kwargs=alert,
        method="post",
        data=lambda c: {"resolution": "We spoke; all is well."},
        expect=only(WATCHING, ok=302),
    ),
}
