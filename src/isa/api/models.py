"""Personal API tokens and the answers kept for idempotent calls.

A token belongs to one user and opens one programme, with the roles the user holds there at
the moment of each call (a role taken away closes the door at once).  Only a digest of its
secret is stored: the secret is shown once, when the token is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import AnyUser, Programme, Role, User
from isa.core.validators import no_control_characters

#: ``isa_<prefix>_<secret>``: the prefix finds the row, the secret proves the holder.
TOKEN_TAG = "isa"  # noqa: S105 - the visible tag of every token, no secret
PREFIX_LENGTH = 10
_PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_secret() -> tuple[str, str, str]:
    """A fresh token: (the whole token to show once, its prefix, the digest to store)."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    secret = secrets.token_urlsafe(32)
    return f"{TOKEN_TAG}_{prefix}_{secret}", prefix, digest(secret)


def digest(secret: str) -> str:
    """The stored form of a secret: SHA-256 (the secret is 256 random bits, not a password:
    a slow hash adds nothing but latency to every call)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """``isa_<prefix>_<secret>`` → (prefix, secret), or None for anything else."""
    tag, _sep, rest = raw.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if tag != TOKEN_TAG or len(prefix) != PREFIX_LENGTH or not secret or len(secret) > 100:
        return None
    return prefix, secret


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def visible_to(self, user: AnyUser) -> ApiTokenQuerySet:
        """A user's own tokens, and those of the programmes they head."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        headed = [pid for pid, roles in user.roles_by_programme.items() if Role.HEAD in roles]
        return self.filter(Q(user=user) | Q(programme_id__in=headed))


class ApiToken(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_digest, digest(secret))


class IdempotentCall(models.Model):
    """The answer given to a call made with an ``Idempotency-Key``: the same key with the same
    body gets it again (nothing done twice); with another body, a 409.  Kept a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_call_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
