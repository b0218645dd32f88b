"""Calls that are safe to send again: the client names each write with an
``Idempotency-Key`` (a UUID, say); the same key with the same body gets the first answer
again without doing anything twice, the same key with another body a 409.

An offline register on a tablet retries when the network comes back, never knowing whether
the first try arrived: with a key, it may.  Answers are kept a day
(:data:`KEEP`), per user.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from isa.api.models import IdempotentCall
from isa.api.problems import Conflict
from isa.core.models import User

KEEP = timedelta(days=1)
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")


def check_key(key: str | None) -> str | None:
    """The key as sent (printable ASCII, 1–200 characters), None when none; else 422."""
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            [{"loc": ("header", "idempotency_key"), "type": "string_pattern_mismatch"}]
        )
    return key


def body_digest(operation: str, body: dict[str, Any]) -> str:
    canonical = json.dumps([operation, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def once(
    *,
    user: User,
    key: str | None,
    operation: str,
    body: dict[str, Any],
    run: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """``run()`` (status, answer) once per ``key``; the kept answer for a repeat."""
    if key is None:
        return run()
    wanted = body_digest(operation, body)
    # Answers older than a day go (they may name a participant's mark): this user's, here.
    IdempotentCall.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                kept = (
                    IdempotentCall.objects.select_for_update()
                    .filter(user=user, key=key, created_at__gte=timezone.now() - KEEP)
                    .first()
                )
                if kept is not None:
                    if kept.request_digest != wanted:
                        raise Conflict(
                            _("This Idempotency-Key was used for another request."),
                            [{"field": "Idempotency-Key", "message": _("Already used.")}],
                        )
                    return kept.status, kept.response
                # An expired answer under the same key makes room for the new one.
                IdempotentCall.objects.filter(user=user, key=key).delete()
                status, answer = run()
                IdempotentCall.objects.create(
                    user=user,
                    key=key,
                    operation=operation,
                    request_digest=wanted,
                    status=status,
                    response=json.loads(json.dumps(answer, default=str)),
                )
                return status, answer
        except IntegrityError:
            continue  # another device sent the same key at the same moment: read its answer
    raise Conflict(_("This Idempotency-Key is being used by another request."))
