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
