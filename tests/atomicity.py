"""The rollback test's vocabulary: a scenario per audited service.

Each app's scenarios live beside its tests (``tests/<app>/atomicity.py``) and are run by
``tests/core/test_audit_atomicity.py``: a scenario sets the scene and returns the call of the
service, looking its objects up again at each call, since the same call runs twice (once
with the audit log down, once with it up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Fixture = Callable[[str], Any]
Call = Callable[[], object]
#: "<module>.<service>" → (fixture getter → the call of the service, after setting the scene)
SCENARIOS: dict[str, Callable[[Fixture], Call]] = {}


def scenario(name: str) -> Callable[[Callable[[Fixture], Call]], Callable[[Fixture], Call]]:
    def register(setup: Callable[[Fixture], Call]) -> Callable[[Fixture], Call]:
        assert name not in SCENARIOS, f"two scenarios for {name}"
        SCENARIOS[name] = setup
        return setup

    return register


def fresh(obj: Any) -> Any:
    """``obj`` as stored now (the failed call may have changed the copy in memory)."""
    return type(obj)._base_manager.get(pk=obj.pk)
