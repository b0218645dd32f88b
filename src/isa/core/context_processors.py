from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def isa(request: HttpRequest) -> dict[str, Any]:
    return {"ISA_DEMO_BANNER": settings.ISA_DEMO_BANNER}
