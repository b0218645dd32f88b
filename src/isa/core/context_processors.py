from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from isa.core.registry import navigation


def isa(request: HttpRequest) -> dict[str, Any]:
    """The demo banner, and the programme links that the apps offer this user's roles."""
    context: dict[str, Any] = {"ISA_DEMO_BANNER": settings.ISA_DEMO_BANNER}
    match = getattr(request, "resolver_match", None)
    programme_id = match.kwargs.get("programme_id") if match else None
    user = getattr(request, "user", None)
    if programme_id and user is not None and user.is_authenticated:
        current = match.url_name
        context["nav"] = [
            {"label": item.label, "url": item.url, "current": current in item.active}
            for item in navigation(user.roles_on(int(programme_id)), int(programme_id))
        ]
    return context
