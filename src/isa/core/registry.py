"""Small registries through which higher apps feed core pages without core importing them.

ARCHITECTURE.md: a lower app learns of a higher one only through a registry.  The people
app registers the occupancy of programmes here; core's home page reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

OccupancyProvider = Callable[[Sequence[int]], Mapping[int, int]]

_occupancy_providers: list[OccupancyProvider] = []


def register_occupancy(provider: OccupancyProvider) -> OccupancyProvider:
    """Register ``provider(programme_ids) -> {programme_id: active participants}``."""
    if provider not in _occupancy_providers:
        _occupancy_providers.append(provider)
    return provider


def occupancy(programme_ids: Sequence[int]) -> dict[int, int]:
    counts = dict.fromkeys(programme_ids, 0)
    for provider in _occupancy_providers:
        for pid, count in provider(programme_ids).items():
            counts[pid] = counts.get(pid, 0) + count
    return counts


# -- demo data ---------------------------------------------------------------------------------

DemoSeeder = Callable[[dict[str, object]], None]

_demo_seeders: list[tuple[int, str, DemoSeeder]] = []


def register_demo_seeder(order: int, name: str, seeder: DemoSeeder) -> None:
    """Apps add their part of the fictional demo; seeders run by ``order`` and share a
    context dict (core puts the organisation, programme and staff users in it)."""
    if all(existing != name for _, existing, _ in _demo_seeders):
        _demo_seeders.append((order, name, seeder))


def demo_seeders() -> list[tuple[str, DemoSeeder]]:
    return [(name, seeder) for _, name, seeder in sorted(_demo_seeders, key=lambda s: s[0])]


# -- programme page panels ---------------------------------------------------------------------

PanelProvider = Callable[[object, object], "tuple[str, dict[str, object]] | None"]

_programme_panels: list[tuple[int, PanelProvider]] = []


def register_programme_panel(order: int, provider: PanelProvider) -> None:
    """``provider(request, programme) -> (template, context) | None``: a section of the
    programme page that a higher app contributes (None: nothing for this user)."""
    if all(existing is not provider for _, existing in _programme_panels):
        _programme_panels.append((order, provider))


def programme_panels(request: object, programme: object) -> list[tuple[str, dict[str, object]]]:
    panels = []
    for _, provider in sorted(_programme_panels, key=lambda p: p[0]):
        panel = provider(request, programme)
        if panel is not None:
            panels.append(panel)
    return panels
