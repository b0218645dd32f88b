"""Sections that higher apps add to a participant's file (presence, journal, works…).

``provider(request, participant, rights) -> (template, context) | None``; people/ never
imports the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PanelProvider = Callable[[Any, Any, Any], "tuple[str, dict[str, Any]] | None"]

_panels: list[tuple[int, PanelProvider]] = []


def register_file_panel(order: int, provider: PanelProvider) -> None:
    if all(existing is not provider for _, existing in _panels):
        _panels.append((order, provider))


def file_panels(request: Any, participant: Any, rights: Any) -> list[tuple[str, dict[str, Any]]]:
    result = []
    for _, provider in sorted(_panels, key=lambda p: p[0]):
        panel = provider(request, participant, rights)
        if panel is not None:
            result.append(panel)
    return result
