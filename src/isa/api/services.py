"""Writes with rules for the API's personal tokens: keyword-only ``<noun>_<verb>`` functions.

Each runs in one transaction and writes its audit event inside it.  The calls made with a
token are audited by the services they reach (channel ``api``), not here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.api.models import ApiToken, new_secret
from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme, Role
from isa.core.services import audit_record


def token_expiry_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last day a new token may expire on."""
    today = today or timezone.localdate()
    return today + timedelta(days=1), today + timedelta(days=settings.ISA_API_TOKEN_MAX_DAYS)


@transaction.atomic
def api_token_create(
    *, programme: Programme, name: str, expires_on: date, actor: Actor
) -> tuple[ApiToken, str]:
    """A personal token of the acting user for ``programme`` (where they must hold a role),
    valid until the end of ``expires_on``.  Returns the token and its secret, which is shown
    once and never stored."""
    user = actor.signed_in_user()
    if not user.roles_on(programme):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="required")
    first, last = token_expiry_bounds()
    if not first <= expires_on <= last:
        raise ValidationError(
            {
                "expires_on": _("Choose an expiry between tomorrow and %(days)s days from now.")
                % {"days": settings.ISA_API_TOKEN_MAX_DAYS}
            },
            code="expiry",
        )
    shown, prefix, secret_digest = new_secret()
    token = ApiToken(
        user=user,
        programme=programme,
        name=name,
        prefix=prefix,
        secret_digest=secret_digest,
        expires_at=timezone.make_aware(datetime.combine(expires_on, time.max)),
    )
    token.full_clean()
    token.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=token,
        programme=programme,
        detail={"name": token.name, "expires": expires_on.isoformat()},
    )
    return token, shown


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke a token at once: its holder, or a head of its programme.  Revoking it again
    changes nothing."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor.user_id != current.user_id and not actor.has_role(current.programme_id, {Role.HEAD}):
        raise PermissionDenied
    if current.revoked_at is not None:
        return current
    current.revoked_at, current.revoked_by = timezone.now(), actor.user
    current.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=current,
        programme=current.programme_id,
        detail={"name": current.name},
    )
    return current
