"""The exit of a locked tablet (the presence kiosk, the questionnaire tablet): the password of
the team member who locked it, checked here rather than by django-axes.

Whoever stands at the door can type at the exit.  Through ``authenticate()``, each wrong
password there counted against the member's account, and five of them locked the member out of
ISA everywhere.  Here the exit checks the signed-in member's password directly, counts the
failures in the tablet's own browser session, and after ``ISA_LOCKOUT_FAILURES`` of them locks
that exit alone for ``ISA_LOCKOUT_MINUTES``: the member signs in normally elsewhere, and the
tablet stays locked (on its questionnaire or kiosk) until the pause ends.  Every wrong password
is audited as a failed sign-in that names the exit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from isa.core.models import AuditAction, Programme
from isa.core.services import audit_record

#: Session key of the exit's failures: {"failures": n, "locked_until": POSIX time}.
EXIT_SESSION_KEY = "isa_kiosk_exit"


@dataclass(frozen=True, slots=True)
class ExitAttempt:
    """What became of a password typed at the exit."""

    opened: bool
    #: While the exit is locked: whole minutes left (at least 1).
    locked_minutes: int = 0


def exit_locked_minutes(request: HttpRequest) -> int:
    """The minutes left before the exit takes passwords again (0: it takes them now)."""
    until = (request.session.get(EXIT_SESSION_KEY) or {}).get("locked_until", 0)
    left = until - timezone.now().timestamp()
    return max(1, math.ceil(left / 60)) if left > 0 else 0


def exit_try(
    request: HttpRequest,
    password: str,
    *,
    exit_name: str,
    programme: Programme | int | None,
    obj: models.Model | None = None,
    object_type: str = "",
) -> ExitAttempt:
    """Check ``password`` against the signed-in member's, for the exit ``exit_name``
    ("kiosk", "tablet"), without counting against their account."""
    minutes = exit_locked_minutes(request)
    if minutes:
        return ExitAttempt(opened=False, locked_minutes=minutes)
    user = request.user
    if user.is_authenticated and user.is_active and user.check_password(password):
        request.session.pop(EXIT_SESSION_KEY, None)
        return ExitAttempt(opened=True)
    state = request.session.get(EXIT_SESSION_KEY) or {}
    failures = state.get("failures", 0) + 1
    detail: dict[str, Any] = {"exit": exit_name, "failures": failures}
    if failures >= settings.AXES_FAILURE_LIMIT:
        cooloff = settings.AXES_COOLOFF_TIME
        request.session[EXIT_SESSION_KEY] = {
            "failures": 0,
            "locked_until": (timezone.now() + cooloff).timestamp(),
        }
        minutes = math.ceil(cooloff.total_seconds() / 60)
        detail["locked_minutes"] = minutes
    else:
        request.session[EXIT_SESSION_KEY] = {"failures": failures, "locked_until": 0}
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=request.actor,  # type: ignore[attr-defined]
        obj=obj,
        object_type=object_type,
        programme=programme,
        detail=detail,
    )
    return ExitAttempt(opened=False, locked_minutes=minutes)
