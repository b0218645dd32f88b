from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from isa.core.models import TEAM_ROLES, Role


def isa(request: HttpRequest) -> dict[str, Any]:
    """The demo banner, and which programme links the navigation offers to this user."""
    context: dict[str, Any] = {"ISA_DEMO_BANNER": settings.ISA_DEMO_BANNER}
    match = getattr(request, "resolver_match", None)
    programme_id = match.kwargs.get("programme_id") if match else None
    user = getattr(request, "user", None)
    if programme_id and user is not None and user.is_authenticated:
        roles = user.roles_on(int(programme_id))
        context["nav"] = {
            "team": bool(roles & TEAM_ROLES),
            "files": bool(roles & {Role.HEAD, Role.SOCIAL_WORKER}),
            "referrer": Role.REFERRER in roles,
            "head": Role.HEAD in roles,
            "watch": bool(roles & {Role.HEAD, Role.SOCIAL_WORKER, Role.WATCHER}),
        }
    return context
