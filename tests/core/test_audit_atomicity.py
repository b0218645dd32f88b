"""No change without its trace: when the audit event cannot be written, the change it records
is rolled back too, for every service that writes one (SECURITY.md: the audit event is
written in the transaction of the change).

The services are found by reading their code (:mod:`tests.core.writers`), so a new service
that writes an audit event fails this file until it has a scenario in its app's
``tests/<app>/atomicity.py`` (the vocabulary is :mod:`tests.atomicity`).
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage

from isa.core.models import AuditEvent

# Every app's scenarios, registered on import.
from tests.api import atomicity as _api  # noqa: F401
from tests.atomicity import SCENARIOS
from tests.core import atomicity as _core  # noqa: F401
from tests.core.writers import auditing_services
from tests.evaluation import atomicity as _evaluation  # noqa: F401
from tests.journal import atomicity as _journal  # noqa: F401
from tests.people import atomicity as _people  # noqa: F401
from tests.portal import atomicity as _portal  # noqa: F401
from tests.presence import atomicity as _presence  # noqa: F401
from tests.privacy import atomicity as _privacy  # noqa: F401
from tests.reports import atomicity as _reports  # noqa: F401
from tests.watch import atomicity as _watch  # noqa: F401
from tests.watch import conftest as watch_scene
from tests.works import atomicity as _works  # noqa: F401

#: The watch's dated scene, for its scenarios (fixtures of tests/watch).
frozen, scene, absence = watch_scene.frozen, watch_scene.scene, watch_scene.absence


class AuditLogDown(Exception):
    """The audit event could not be written."""


def snapshot() -> dict[str, Any]:
    """Every row of every ISA table (and the stored files): the state a call may change."""
    state: dict[str, Any] = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in _ISA_LABELS and not model._meta.proxy
    }
    state["files"] = _files("")
    return state


_ISA_LABELS = {c.label for c in apps.get_app_configs() if c.name.startswith("isa.")}


def _files(folder: str) -> list[str]:
    if not default_storage.exists(folder or "."):
        return []
    folders, names = default_storage.listdir(folder or ".")
    found = [f"{folder}/{n}" for n in names]
    for sub in folders:
        found += _files(f"{folder}/{sub}" if folder else sub)
    return sorted(found)


def test_every_service_that_writes_an_audit_event_has_a_scenario():
    found = set(auditing_services())
    missing = sorted(found - set(SCENARIOS))
    assert not missing, (
        "These services write an audit event but have no scenario in "
        f"their app's tests/<app>/atomicity.py: {', '.join(missing)}"
    )
    unknown = sorted(set(SCENARIOS) - found)
    assert not unknown, f"Scenarios for services that write no audit event: {unknown}"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_change_whose_audit_event_cannot_be_written_is_rolled_back(
    name: str, db, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    call = SCENARIOS[name](request.getfixturevalue)
    module_name, function_name = name.rsplit(".", 1)
    module = importlib.import_module(module_name)
    service, calls, attempts = getattr(module, function_name), [], []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(function_name)
        return service(*args, **kwargs)

    def refuse(event: AuditEvent, *args: Any, **kwargs: Any) -> None:
        attempts.append(event.action)
        raise AuditLogDown

    monkeypatch.setattr(module, function_name, spy)
    before = snapshot()
    with monkeypatch.context() as down:
        down.setattr(AuditEvent, "save", refuse)
        # Services that keep going after a failure (the watch) swallow the error.
        with contextlib.suppress(AuditLogDown):
            call()
    assert calls, f"the scenario of {name} does not call it"
    assert attempts, f"{name} wrote no audit event in its scenario"
    assert snapshot() == before, f"{name} kept its change without its audit event"

    # With the audit log up, the same call changes the database, audit event included.
    events = AuditEvent.objects.count()
    call()
    assert AuditEvent.objects.count() > events
    assert snapshot() != before
