"""The permission matrix's vocabulary: cases, expected statuses and URL arguments.

Each app's part of the matrix lives beside its tests (``tests/<app>/matrix.py``) and is
merged into ``tests/test_permission_matrix.py``; they all speak this vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from isa.core.models import BreakGlass, Membership, Role
from isa.watch.models import Alert
from tests.conftest import CAST_ROLES, Cast

TEAM = {"head", "social_worker", "facilitator", "watcher"}
MEMBERS = TEAM | {"referrer", "funder", "researcher"}
SIGNED_IN = [r for r in CAST_ROLES if r != "anonymous"]


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[Cast], dict[str, Any]] = lambda c: {}
    method: str = "get"
    data: Callable[[Cast], dict[str, Any]] = lambda c: {}
    expect: dict[str, int] = field(default_factory=dict)

    def status_for(self, who: str) -> int:
        return self.expect[who]


def expect(default: int, anonymous: int = 302, **by_role: int) -> dict[str, int]:
    table = dict.fromkeys(CAST_ROLES, default)
    table["anonymous"] = anonymous
    table.update(by_role)
    return table


def only(allowed: set[str], ok: int = 200, member_denied: int = 403) -> dict[str, int]:
    """``allowed`` get ``ok``; other members of the programme 403; everyone else 404."""
    table = expect(404)
    for role in MEMBERS:
        table[role] = ok if role in allowed else member_denied
    return table


def programme(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk}


def participant(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "participant_id": c.participant.pk}


def referral(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "referral_id": c.referral.pk}


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


WATCHING = {"head", "social_worker", "watcher"}


def entry(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "entry_id": c.entry.pk}


def session(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "session_id": c.session.pk}


def month(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "year": c.session.on.year, "month": c.session.on.month}


FILES = {"head", "social_worker"}
REFERRALS = FILES | {"referrer"}


def head_membership(c: Cast) -> dict[str, Any]:
    m = Membership.objects.get(programme=c.programme, user=c.users["facilitator"])
    return {"programme_id": c.programme.pk, "membership_id": m.pk}


def break_glass(c: Cast) -> dict[str, Any]:
    """The system administrator gave himself the head role (recorded without the role, so
    that the rest of the matrix sees him as an outsider)."""
    glass, _created = BreakGlass.objects.get_or_create(
        programme=c.programme,
        user=c.users["sysadmin"],
        defaults={"user_label": "admin@test.example", "role": Role.HEAD, "reason": "Test."},
    )
    return {"programme_id": c.programme.pk, "breakglass_id": glass.pk}
