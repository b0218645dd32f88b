"""How an API call says who makes it: a personal token (``Authorization: Bearer …``) or the
browser's session (with its CSRF token for writes); and how many calls it may make.

A token opens one programme with the roles its holder has there *at the moment of the
call*: the request's user is given those roles only, so that every access helper and
``visible_to`` QuerySet of the lower apps sees exactly the token's scope.  A revoked or
expired token, or one whose holder's account is disabled, is refused at once (401).
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from isa.api.models import ApiToken, split_token
from isa.core.access import client_ip
from isa.core.actor import Actor, Channel

#: The last-used time of a token is written at most this often (not at every call).
LAST_USED_STEP = timedelta(minutes=1)
#: The rate limit's window, in seconds.
WINDOW = 60


class RateLimited(Exception):
    """Too many calls in the current window; ``retry_after`` seconds until the next one."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def rate_limit(ident: str, limit: int) -> None:
    """Count a call of ``ident`` in the current minute (Django's cache); ``RateLimited``
    past ``limit``.  A fixed window: simple, and enough against a runaway client."""
    now = time.time()
    window = int(now // WINDOW)
    key = f"isa-api-rate:{ident}:{window}"
    cache.add(key, 0, WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, WINDOW * 2)
        count = 1
    if count > limit:
        raise RateLimited(max(1, math.ceil((window + 1) * WINDOW - now)))


def _api_actor(request: HttpRequest) -> None:
    request.actor = Actor.from_request(request, channel=Channel.API)  # type: ignore[attr-defined]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer isa_<prefix>_<secret>``."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        parts = split_token(token.strip())
        row = None
        if parts is not None:
            row = (
                ApiToken.objects.filter(prefix=parts[0])
                .select_related("user", "programme__organisation")
                .first()
            )
        now = timezone.now()
        if (
            row is None
            or parts is None
            or not row.matches(parts[1])
            or not row.is_usable(now)
            or not row.user.is_active
        ):
            # A token was sent, and it does not open anything: never fall back on a session.
            raise AuthenticationError
        rate_limit(f"token:{row.prefix}", settings.ISA_API_RATE_LIMIT)
        user = row.user
        roles = user.roles_on(row.programme_id)
        # The token's scope: the roles held on its programme now, and nothing elsewhere.
        user.__dict__["roles_by_programme"] = {row.programme_id: roles} if roles else {}
        request.user = user
        request.api_token = row  # type: ignore[attr-defined]
        _api_actor(request)
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_STEP:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        return row


class BrowserSession(SessionAuth):
    """The signed-in browser's session (the pages' own use, and the interactive docs);
    writes need the CSRF token, as a form would."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        rate_limit(f"user:{user.pk}", settings.ISA_API_RATE_LIMIT)
        _api_actor(request)
        return user


def public_rate_limit(request: HttpRequest) -> None:
    """The public endpoints (the gallery) count calls by client address."""
    rate_limit(f"ip:{client_ip(request) or '-'}", settings.ISA_API_PUBLIC_RATE_LIMIT)


AUTH = [TokenAuth(), BrowserSession()]
