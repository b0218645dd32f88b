"""Find the services by inspection, so that a new one cannot escape the house rules' tests.

A *service module* is ``isa.<app>.services`` of every installed ISA app; the participants'
import (``isa.people.importer``) writes like a service and is held to the same rules.  A
service *writes an audit event* when its body calls ``audit_record``, or a function of its
module (``_audit``, ``_apply``) or another service that does, found by reading the code.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import textwrap
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.apps import apps

from isa.core.services import audit_record

#: Modules that write like services without being called ``services``.
OTHER_WRITERS = ("isa.people.importer",)
#: Services whose audit event is written by core's signals on the account or device they
#: save (isa.core.signals), not by a call the reading above can see.
SIGNAL_AUDITED = (
    "isa.portal.services.portal_password_change",
    "isa.portal.services.access_second_factor_remove",
)


def service_modules() -> list[ModuleType]:
    names = [
        f"{config.name}.services"
        for config in apps.get_app_configs()
        if config.name.startswith("isa.") and importlib.util.find_spec(f"{config.name}.services")
    ]
    return [importlib.import_module(name) for name in [*sorted(names), *OTHER_WRITERS]]


def _own_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    """The functions defined in ``module`` (not imported into it), private ones included."""
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
    }


def public_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    return {n: f for n, f in _own_functions(module).items() if not n.startswith("_")}


def _called(function: Callable[..., Any], module: ModuleType) -> set[Any]:
    """The objects ``function`` calls by a name of its module (``f(…)``, ``mod.f(…)``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(function))))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Name):
            found.add(vars(module).get(target.id))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            found.add(getattr(vars(module).get(target.value.id), target.attr, None))
    return {inspect.unwrap(f) for f in found if callable(f)}


def auditing_services() -> dict[str, Callable[..., Any]]:
    """``"<module>.<function>"`` → the public function, for every service that writes an
    audit event, directly or through a helper or another service."""
    calls: dict[Any, tuple[str, ModuleType, set[Any]]] = {}
    for module in service_modules():
        for name, function in _own_functions(module).items():
            calls[inspect.unwrap(function)] = (name, module, _called(function, module))
    record = inspect.unwrap(audit_record)
    auditing = {record}
    grew = True
    while grew:
        grew = False
        for function, (_name, _module, called) in calls.items():
            if function not in auditing and called & auditing:
                auditing.add(function)
                grew = True
    found = {
        f"{module.__name__}.{name}": vars(module)[name]
        for function, (name, module, _called_) in calls.items()
        if function in auditing and function is not record and not name.startswith("_")
    }
    for path in SIGNAL_AUDITED:
        module_name, name = path.rsplit(".", 1)
        found[path] = getattr(importlib.import_module(module_name), name)
    return found
