"""Writes with rules in the core app. Keyword-only ``<noun>_<verb>`` functions.

Every change of a record that concerns people writes its :class:`AuditEvent` inside the
same transaction as the change (when the audit log shares the database).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.access import client_ip
from isa.core.actor import Actor
from isa.core.maintenance import audit_purge_allowed
from isa.core.models import AuditAction, AuditEvent, Membership, Programme, Role, User

Versioned = TypeVar("Versioned", bound=models.Model)


class StaleVersion(ValidationError):
    """Someone else saved the record since the form was opened (optimistic locking)."""


def lock_version(
    obj: Versioned,
    expected_version: int,
    message: str,
    *,
    error: type[StaleVersion] = StaleVersion,
) -> Versioned:
    """The row of ``obj``, locked until the end of the transaction, provided it is still at
    ``expected_version`` (the version the editor saw); else ``error`` with ``message``, so
    that nothing is silently overwritten (SECURITY.md rule 9)."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:  # type: ignore[attr-defined]
        raise error(message, code="stale")
    return current


def audit_record(
    *,
    action: str,
    actor: Actor | User | AnonymousUser | None = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    programme: Programme | int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event.  Call it inside the transaction of the change it records."""
    if not isinstance(actor, Actor):
        # Transitional: a bare user and a request (being replaced by an Actor everywhere).
        if actor is None and request is not None:
            actor = request.user
        user = actor if actor is not None and actor.is_authenticated else None
        actor = Actor(user=user, ip=client_ip(request))  # type: ignore[arg-type]
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if programme is None:
            programme = getattr(obj, "programme_id", None)
    programme_id = programme.pk if isinstance(programme, Programme) else programme
    event = AuditEvent(
        action=action,
        actor_id=actor.user_id,
        actor_label=actor.label,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        programme_id=programme_id,
        ip=actor.ip,
        channel=actor.channel,
        detail=detail or {},
    )
    event.save(using=router.db_for_write(AuditEvent))
    return event


#: The audit log is kept at least one year (nFADP ordinance art. 4).
AUDIT_KEEP_MINIMUM = timedelta(days=365)


def audit_purge(*, before: datetime, actor: Actor) -> int:
    """Delete the audit events older than ``before`` (at least a year old) and record the
    purge as an event of its own; returns how many were deleted.

    A maintenance task for the database owner: the database refuses it to the application's
    role (migration 0004, :func:`isa.core.maintenance.audit_purge_allowed`)."""
    if before > timezone.now() - AUDIT_KEEP_MINIMUM:
        raise ValidationError(_("Audit events are kept for at least a year."), code="too_recent")
    table = AuditEvent._meta.db_table
    with audit_purge_allowed() as alias, connections[alias].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [before])  # noqa: S608
        deleted = cursor.rowcount
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            object_type=AuditEvent._meta.label_lower,
            detail={"before": before.isoformat(), "deleted": deleted},
        )
    return deleted


@transaction.atomic
def membership_grant(
    *, programme: Programme, user: User, role: str, granted_by: User, request: HttpRequest | None
) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(
        programme=programme, user=user, role=role, defaults={"granted_by": granted_by}
    )
    if not created:
        raise ValidationError(_("%(user)s already holds this role.") % {"user": user})
    audit_record(
        action=AuditAction.ROLE_GRANT,
        actor=granted_by,
        request=request,
        obj=user,
        programme=programme,
        detail={"role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(
    *, membership: Membership, revoked_by: User, request: HttpRequest | None
) -> None:
    programme = membership.programme
    if membership.role == Role.HEAD:
        heads = Membership.objects.filter(programme=programme, role=Role.HEAD)
        if heads.exclude(pk=membership.pk).count() == 0:
            raise ValidationError(_("A programme keeps at least one head."))
    audit_record(
        action=AuditAction.ROLE_REVOKE,
        actor=revoked_by,
        request=request,
        obj=membership.user,
        programme=programme,
        detail={"role": membership.role},
    )
    membership.delete()


@transaction.atomic
def user_invite(
    *,
    programme: Programme,
    email: str,
    full_name: str,
    role: str,
    password: str,
    invited_by: User,
    request: HttpRequest | None,
) -> User:
    """Create an account with an initial password and a first role on ``programme``."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail already exists.")})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(
        action=AuditAction.CREATE, actor=invited_by, request=request, obj=user, programme=programme
    )
    membership_grant(
        programme=programme, user=user, role=role, granted_by=invited_by, request=request
    )
    return user
