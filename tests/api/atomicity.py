"""Rollback scenarios for the audited services of the API: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from isa.api import services as api
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast


@scenario("isa.api.services.api_token_create")
def _api_token_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: api.api_token_create(
        programme=cast.programme,
        name="Système du CMS",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=cast.actor("referrer"),
    )


@scenario("isa.api.services.api_token_revoke")
def _api_token_revoke(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    token, _secret = api.api_token_create(
        programme=cast.programme,
        name="Tablette",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=cast.actor("facilitator"),
    )
    return lambda: api.api_token_revoke(token=fresh(token), actor=cast.actor("head"))
