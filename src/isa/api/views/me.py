"""Who calls: the token's holder, programme and roles (a client checks its set-up here)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from isa.api.schemas import ERRORS, Me
from isa.core.models import Role

router = Router(tags=["me"])


@router.get("/me", response={200: Me, **ERRORS}, url_name="me", summary="Who calls")
def me(request: HttpRequest) -> Any:
    user = request.user
    token = getattr(request, "api_token", None)
    roles = sorted(user.roles_on(token.programme_id)) if token is not None else []  # type: ignore[union-attr]
    return {
        "email": user.email,  # type: ignore[union-attr]
        "name": user.full_name,  # type: ignore[union-attr]
        "programme_id": token.programme_id if token is not None else None,
        "programme": token.programme.name if token is not None else None,
        "roles": [r for r in Role.values if r in roles],
        "token_expires_at": token.expires_at if token is not None else None,
    }
