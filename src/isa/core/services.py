"""Writes with rules in the core app. Keyword-only ``<noun>_<verb>`` functions.

Every change of a record that concerns people writes its :class:`AuditEvent` inside the
same transaction as the change (when the audit log shares the database).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.maintenance import audit_purge_allowed
from isa.core.models import (
    AuditAction,
    AuditEvent,
    BreakGlass,
    Membership,
    Programme,
    Role,
    User,
)
from isa.core.validators import NOTE_LENGTH

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


#: The longest text an audit detail keeps: a reason in full, but not a filter of 100,000
#: characters typed in an address.
AUDIT_TEXT_LENGTH = NOTE_LENGTH


def _storable(value: Any) -> Any:
    """An audit detail as the database can keep it: no NUL character (PostgreSQL's JSON
    refuses it), no text longer than :data:`AUDIT_TEXT_LENGTH`."""
    if isinstance(value, str):
        value = value.replace("\x00", "\ufffd")
        return value if len(value) <= AUDIT_TEXT_LENGTH else value[:AUDIT_TEXT_LENGTH] + "…"
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


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
        detail=_storable(detail or {}),
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
        deleted: int = cursor.rowcount
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            object_type=AuditEvent._meta.label_lower,
            detail={"before": before.isoformat(), "deleted": deleted},
        )
    return deleted


def _grant_recorded(
    *, programme: Programme, user: User, role: str, actor: Actor, reason: str
) -> None:
    """The audit of a role given: a role someone gives themselves needs a written reason,
    is recorded as break-glass access and waits for a head's acknowledgement."""
    if actor.user_id is None or actor.user_id != user.pk:
        audit_record(
            action=AuditAction.ROLE_GRANT,
            actor=actor,
            obj=user,
            programme=programme,
            detail={"role": role},
        )
        return
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Say why you give yourself this role: the heads of the programme will read it."
                )
            },
            code="reason_required",
        )
    glass = BreakGlass.objects.create(
        programme=programme, user=user, user_label=user.email, role=role, reason=reason
    )
    audit_record(
        action=AuditAction.BREAK_GLASS,
        actor=actor,
        obj=user,
        programme=programme,
        detail={"role": role, "reason": reason, "break_glass": glass.pk},
    )


@transaction.atomic
def membership_grant(
    *, programme: Programme, user: User, role: str, actor: Actor, reason: str = ""
) -> Membership:
    """Give ``user`` a role on ``programme``.  Giving oneself a role needs a ``reason``
    (break-glass access, shown to the programme's heads)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(
        programme=programme, user=user, role=role, defaults={"granted_by": actor.user}
    )
    if not created:
        raise ValidationError(_("%(user)s already holds this role.") % {"user": user})
    _grant_recorded(programme=programme, user=user, role=role, actor=actor, reason=reason)
    return membership


@transaction.atomic
def membership_change(
    *, membership: Membership, user: User, role: str, actor: Actor, reason: str = ""
) -> Membership:
    """Give an existing role row another holder or role (the technical admin edits rows in
    place): recorded as the old role revoked and the new one granted."""
    current = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if (current.user_id, current.role) == (user.pk, role):
        return current
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if current.role == Role.HEAD and role != Role.HEAD:
        heads = Membership.objects.filter(programme_id=current.programme_id, role=Role.HEAD)
        if not heads.exclude(pk=current.pk).exists():
            raise ValidationError(_("A programme keeps at least one head."))
    programme = Programme.objects.get(pk=current.programme_id)
    audit_record(
        action=AuditAction.ROLE_REVOKE,
        actor=actor,
        obj=current.user,
        programme=programme,
        detail={"role": current.role},
    )
    current.user, current.role = user, role
    current.granted_by, current.granted_at = actor.user, timezone.now()
    current.save(update_fields=["user", "role", "granted_by", "granted_at"])
    _grant_recorded(programme=programme, user=user, role=role, actor=actor, reason=reason)
    return current


def _memberships_ending(memberships: Any, *, actor: Actor, cause: str) -> None:
    for membership in memberships:
        audit_record(
            action=AuditAction.ROLE_REVOKE,
            actor=actor,
            obj=membership.user,
            programme=membership.programme_id,
            detail={"role": membership.role, "cause": cause},
        )


@transaction.atomic
def user_delete(*, user: User, actor: Actor) -> None:
    """Delete an account (technical admin); each of its roles is recorded as revoked."""
    _memberships_ending(
        Membership.objects.filter(user=user).select_related("user"),
        actor=actor,
        cause="account deleted",
    )
    audit_record(action=AuditAction.DELETE, actor=actor, obj=user)
    user.delete()


@transaction.atomic
def programme_delete(*, programme: Programme, actor: Actor) -> None:
    """Delete a programme (technical admin); each role on it is recorded as revoked."""
    _memberships_ending(
        Membership.objects.filter(programme=programme).select_related("user"),
        actor=actor,
        cause="programme deleted",
    )
    audit_record(action=AuditAction.DELETE, actor=actor, obj=programme, programme=programme)
    programme.delete()


@transaction.atomic
def breakglass_acknowledge(*, breakglass: BreakGlass, actor: Actor) -> BreakGlass:
    """A head of the programme has read why someone gave themselves a role.  The person
    cannot acknowledge their own access; a second acknowledgement changes nothing."""
    glass = BreakGlass.objects.select_for_update().get(pk=breakglass.pk)
    if actor.user_id is not None and actor.user_id == glass.user_id:
        raise ValidationError(
            _("Another head must acknowledge the role you gave yourself."), code="own"
        )
    if glass.acknowledged_at is not None:
        return glass
    glass.acknowledged_by, glass.acknowledged_at = actor.user, timezone.now()
    glass.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit_record(
        action=AuditAction.BREAK_GLASS_ACKNOWLEDGED,
        actor=actor,
        obj=glass,
        programme=glass.programme_id,
        detail={"by": glass.user_label, "role": glass.role},
    )
    return glass


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
def user_language_set(*, user: User, language: str, actor: Actor) -> User:
    """The language in which ``user`` reads ISA, kept on the account for the next sign-in
    (and for the e-mails ISA sends them)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="language")
    if user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=user, detail={"language": language})
    return user


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
    # The account's creation is recorded where every account's is (isa.core.signals).
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    membership_grant(programme=programme, user=user, role=role, actor=actor)
    return user
