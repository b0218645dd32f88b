"""The API against its own contract (issue 18): schemathesis generates requests from the
OpenAPI schema, valid and invalid, for every operation, and every answer must be no server
error and conform to the schema (status code declared, content type, body shape).

A bounded number of examples per operation, derandomized so that every run sees the same.
The ids in the addresses are set to the cast's own (a random id is only ever a 404), so the
bodies and query strings reach the services' rules.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from isa.api.main import api
from tests.api.conftest import make_token
from tests.conftest import Cast
from tests.privacy.matrix import open_study
from tests.reports.matrix import published
from tests.works.helpers import shown_online

#: Examples per operation (each one request).
EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

WSGI = get_wsgi_application()


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGI


@pytest.fixture
def scene(cast: Cast, settings):
    """The cast with an open gallery, a token of its head, and the WSGI application called
    in the test's own transaction."""
    settings.ISA_API_RATE_LIMIT = 100_000
    settings.ISA_API_PUBLIC_RATE_LIMIT = 100_000
    shown_online(cast)
    _token, secret = make_token(cast, "head")
    _token, research = make_token(cast, "researcher")
    _token, funder = make_token(cast, "funder")
    # Django's test client does the same: a request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield cast, secret, research, funder
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


IDS = {
    "programme_id": lambda c: c.programme.pk,
    "session_id": lambda c: c.session.pk,
    "participant_id": lambda c: c.participant.pk,
    "referral_id": lambda c: c.referral.pk,
    "study_id": lambda c: open_study(c).pk,
    "version_id": lambda c: published(c).pk,
}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, scene):
    cast, secret, research, funder = scene
    for name, value in IDS.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value(cast)
    if "/studies" in case.path:  # a study opens to its researchers only
        secret = research
    if "/reports" in case.path:  # published figures, read by the programme's funder
        secret = funder
    response = case.call(headers={"Authorization": f"Bearer {secret}"})
    case.validate_response(response, checks=CHECKS)
