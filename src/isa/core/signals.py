"""Audit of authentication events (Django's and django-axes' own signals)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from isa.core.access import client_ip
from isa.core.actor import Actor
from isa.core.models import AuditAction, User


def _record(**kwargs: Any) -> None:
    from isa.core.services import audit_record

    audit_record(**kwargs)


def _actor(request: Any, user: User | None = None) -> Actor:
    """Who acts in an authentication event: ``user`` (signing in or out, while
    ``request.user`` is still or not yet them), from the request's address, if any."""
    return Actor.of(user, ip=client_ip(request))


@receiver(user_logged_in, dispatch_uid="isa_audit_login")
def audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(action=AuditAction.LOGIN, actor=_actor(request, user), obj=user)


@receiver(user_logged_out, dispatch_uid="isa_audit_logout")
def audit_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(action=AuditAction.LOGOUT, actor=_actor(request, user), obj=user)


def _attempted(credentials: dict[str, Any]) -> str:
    # Only what looks like an e-mail: a password typed into the wrong field is never logged.
    name = str(credentials.get("username") or credentials.get("email") or "")
    return name[:254] if "@" in name and " " not in name else ""


@receiver(user_login_failed, dispatch_uid="isa_audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    _record(
        action=AuditAction.LOGIN_FAILED,
        actor=_actor(request),
        object_type="core.user",
        detail={"attempted": _attempted(credentials)},
    )


@receiver(user_locked_out, dispatch_uid="isa_audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    _record(
        action=AuditAction.LOCKOUT,
        actor=_actor(request),
        object_type="core.user",
        detail={"attempted": _attempted({"username": username})},
    )
