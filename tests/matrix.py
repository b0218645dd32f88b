"""The permission matrix's vocabulary: cases, expected statuses and URL arguments.

Each app's part of the matrix lives beside its tests (``tests/<app>/matrix.py``) and is
merged into ``tests/test_permission_matrix.py``; they all speak this vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import CAST_ROLES, PARTICIPANTS, Cast

TEAM = {"head", "social_worker", "facilitator", "watcher"}
MEMBERS = TEAM | {"referrer", "funder", "researcher"}
SIGNED_IN = [r for r in CAST_ROLES if r != "anonymous"]
#: What a participant's account gets on every page outside their own space and the public
#: gallery (isa.portal.middleware): as if the page did not exist.
OUTSIDER = 404
FILES = {"head", "social_worker"}


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[Cast], dict[str, Any]] = lambda c: {}
    method: str = "get"
    data: Callable[[Cast], dict[str, Any]] = lambda c: {}
    expect: dict[str, int] = field(default_factory=dict)
    #: "application/json" for the API's writes: ``data`` is sent as a JSON body.
    content_type: str | None = None

    def status_for(self, who: str) -> int:
        return self.expect[who]


def expect(default: int, anonymous: int = 302, **by_role: int) -> dict[str, int]:
    """``default`` for the signed-in staff, ``anonymous`` for visitors; participants are
    outsiders (404) unless ``by_role`` says otherwise."""
    table = dict.fromkeys(CAST_ROLES, default)
    table["anonymous"] = anonymous
    table.update(dict.fromkeys(PARTICIPANTS, OUTSIDER))
    table.update(by_role)
    return table


def everyone(status: int) -> dict[str, int]:
    """A page open to every visitor alike, participants included (isa.portal.middleware
    lets their accounts through: the public gallery, signing out, the language, health)."""
    return dict.fromkeys(CAST_ROLES, status)


def only(allowed: set[str], ok: int = 200, member_denied: int = 403) -> dict[str, int]:
    """``allowed`` get ``ok``; other members of the programme 403; everyone else 404."""
    table = expect(404)
    for role in MEMBERS:
        table[role] = ok if role in allowed else member_denied
    return table


def merge(*parts: dict[str, Case]) -> dict[str, Case]:
    """The apps' parts in one matrix; a URL name declared by two parts is an error, not an
    override that would silently drop one of the two cases."""
    matrix: dict[str, Case] = {}
    for part in parts:
        twice = matrix.keys() & part.keys()
        if twice:
            raise ValueError(f"declared twice in the permission matrix: {sorted(twice)}")
        matrix.update(part)
    return matrix


def programme(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk}


def participant(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "participant_id": c.participant.pk}
