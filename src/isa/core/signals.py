"""Audit of authentication events (Django's and django-axes' own signals)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from isa.core.models import AuditAction, User


def _record(**kwargs: Any) -> None:
    from isa.core.services import audit_record

    audit_record(**kwargs)


@receiver(user_logged_in, dispatch_uid="isa_audit_login")
def audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(action=AuditAction.LOGIN, actor=user, request=request, obj=user)


@receiver(user_logged_out, dispatch_uid="isa_audit_logout")
def audit_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(action=AuditAction.LOGOUT, actor=user, request=request, obj=user)


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
        request=request,
        object_type="core.user",
        detail={"attempted": _attempted(credentials)},
    )


@receiver(user_locked_out, dispatch_uid="isa_audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    _record(
        action=AuditAction.LOCKOUT,
        request=request,
        object_type="core.user",
        detail={"attempted": _attempted({"username": username})},
    )
