"""Helpers for the API's tests: a personal token of a cast member, as a header."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from isa.api.services import api_token_create
from isa.core.models import Programme
from tests.conftest import Cast


def make_token(cast: Cast, who: str, programme: Programme | None = None, days: int = 30):
    """(token, secret) of ``who`` on ``programme`` (the cast's, by default)."""
    return api_token_create(
        programme=programme or cast.programme,
        name=f"Jeton de {who}",
        expires_on=timezone.localdate() + timedelta(days=days),
        actor=cast.actor(who),
    )


def bearer(secret: str) -> dict[str, str]:
    """The header of a call made with ``secret``, for Django's test client."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test counts its own calls."""
    cache.clear()
    yield
    cache.clear()
