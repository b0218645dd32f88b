"""House rules of the services, checked by reading them: a service takes an actor, never a
request, and knows nothing of HTTP (ARCHITECTURE.md, decisions.md "Services take an actor")."""

from __future__ import annotations

import ast
import inspect

import pytest

from isa.core.services import audit_record
from tests.core.writers import auditing_services, public_functions, service_modules

MODULES = service_modules()


def _imports(module) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_service_modules_are_found():
    names = {m.__name__ for m in MODULES}
    assert {"isa.core.services", "isa.people.services", "isa.presence.services"} <= names
    assert len(names) >= 8


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_service_module_imports_django_http(module):
    http = sorted(n for n in _imports(module) if n == "django.http" or n.startswith("django.http."))
    assert not http, f"{module.__name__} imports {http}: services take an Actor, not a request"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_service_takes_a_request_or_a_bare_user_as_by(module):
    offenders = [
        f"{name}({param})"
        for name, function in public_functions(module).items()
        for param in inspect.signature(function).parameters
        if param in {"request", "by"}
    ]
    assert not offenders, (
        f"{module.__name__}: {offenders} — take a keyword-only `actor: Actor` instead"
    )


def test_every_service_that_writes_an_audit_event_takes_a_keyword_only_actor():
    services = auditing_services()
    assert "isa.presence.services.presence_mark" in services  # the inspection finds them
    missing = []
    for name, function in services.items():
        parameter = inspect.signature(function).parameters.get("actor")
        if parameter is None or parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            missing.append(name)
    assert not missing, f"these services write an audit event without an actor: {missing}"


def test_the_audit_record_takes_an_actor_and_no_request():
    parameters = inspect.signature(audit_record).parameters
    assert "request" not in parameters
    assert parameters["actor"].default is inspect.Parameter.empty
