"""Writes with rules in the core app. Keyword-only ``<noun>_<verb>`` functions.

Every change of a record that concerns people writes its :class:`AuditEvent` inside the
same transaction as the change (when the audit log shares the database).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils.translation import gettext as _

from isa.core.actor import Actor
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
    actor: Actor,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    programme: Programme | int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: what ``actor`` did (and from where, through what).  Call it
    inside the transaction of the change it records."""
    if not isinstance(actor, Actor):
        raise TypeError(f"audit_record takes an Actor, not {type(actor).__name__}.")
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


@transaction.atomic
def membership_grant(*, programme: Programme, user: User, role: str, actor: Actor) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(
        programme=programme, user=user, role=role, defaults={"granted_by": actor.user}
    )
    if not created:
        raise ValidationError(_("%(user)s already holds this role.") % {"user": user})
    audit_record(
        action=AuditAction.ROLE_GRANT,
        actor=actor,
        obj=user,
        programme=programme,
        detail={"role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: Actor) -> None:
    programme = membership.programme
    if membership.role == Role.HEAD:
        heads = Membership.objects.filter(programme=programme, role=Role.HEAD)
        if heads.exclude(pk=membership.pk).count() == 0:
            raise ValidationError(_("A programme keeps at least one head."))
    audit_record(
        action=AuditAction.ROLE_REVOKE,
        actor=actor,
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
    actor: Actor,
) -> User:
    """Create an account with an initial password and a first role on ``programme``."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail already exists.")})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=user, programme=programme)
    membership_grant(programme=programme, user=user, role=role, actor=actor)
    return user
