"""Small registries through which higher apps feed core pages without core importing them.

ARCHITECTURE.md: a lower app learns of a higher one only through a registry.  The people
app registers the occupancy of programmes here; core's home page reads it.  Each app adds
its links to a programme's navigation here too, so core's templates name none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

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


#: ``provider() -> [(login, what the account shows)]``: accounts a higher app adds to the
#: demo's logins printed by ``isa seed-demo`` (the participants' own spaces).
DemoLogins = Callable[[], "list[tuple[str, str]]"]

_demo_logins: list[DemoLogins] = []


def register_demo_logins(provider: DemoLogins) -> None:
    if provider not in _demo_logins:
        _demo_logins.append(provider)


def registered_demo_logins() -> list[tuple[str, str]]:
    return [row for provider in _demo_logins for row in provider()]


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


# -- account page panels ----------------------------------------------------------------------

AccountPanelProvider = Callable[[object], "tuple[str, dict[str, object]] | None"]

_account_panels: list[tuple[int, AccountPanelProvider]] = []


def register_account_panel(order: int, provider: AccountPanelProvider) -> None:
    """``provider(request) -> (template, context) | None``: a section of the user's account
    page that a higher app contributes (the API's personal tokens)."""
    if all(existing is not provider for _, existing in _account_panels):
        _account_panels.append((order, provider))


def account_panels(request: object) -> list[tuple[str, dict[str, object]]]:
    panels = []
    for _, provider in sorted(_account_panels, key=lambda p: p[0]):
        panel = provider(request)
        if panel is not None:
            panels.append(panel)
    return panels


# -- programme navigation ----------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """One link of a programme's navigation: its label (lazily translated), the address it
    leads to, and the URL names on which it is the current page."""

    label: str
    url: str
    active: frozenset[str]


NavProvider = Callable[[frozenset[str], int], "NavItem | None"]

_navigation: list[tuple[int, NavProvider]] = []


def register_navigation(order: int, provider: NavProvider) -> NavProvider:
    """``provider(roles, programme_id) -> NavItem | None``: a link that an app adds to the
    navigation of a programme, given the user's roles on it (None: not for these roles)."""
    if all(existing is not provider for _, existing in _navigation):
        _navigation.append((order, provider))
    return provider


def programme_link(
    label: str, url_name: str, *, roles: Set[str], also_active: Iterable[str] = ()
) -> NavProvider:
    """The usual provider: a link to ``url_name`` (which takes the programme id), seen by the
    holders of any of ``roles`` and current on ``url_name`` and ``also_active``."""
    seen_by = frozenset(roles)
    active = frozenset({url_name, *also_active})

    def provider(user_roles: frozenset[str], programme_id: int) -> NavItem | None:
        if not user_roles & seen_by:
            return None
        return NavItem(label=label, url=reverse(url_name, args=[programme_id]), active=active)

    provider.__qualname__ = f"programme_link({url_name!r})"
    return provider


def navigation(roles: frozenset[str], programme_id: int) -> list[NavItem]:
    items = []
    for _, provider in sorted(_navigation, key=lambda n: n[0]):
        item = provider(roles, programme_id)
        if item is not None:
            items.append(item)
    return items


# -- the audit log in words --------------------------------------------------------------------


@dataclass
class AuditLine:
    """One audit event as a head reads it: a sentence in the reader's language, the person
    concerned by name, the details in words.  Core fills ``actor`` and a plain sentence;
    the apps' describers (:func:`register_audit_describer`) fill in what they know."""

    event: Any
    actor: str
    person: str = ""
    sentence: str = ""
    details: list[str] = field(default_factory=list)


#: ``describer(lines, programme)``: completes the lines of the object types it registered
#: for (``"*"``: every line), in bulk: a constant number of queries whatever the number of
#: lines.  It names a person only if the reader may see that name (people of ``programme``).
AuditDescriber = Callable[[Sequence[AuditLine], Any], None]

_audit_describers: list[tuple[frozenset[str], AuditDescriber]] = []


def register_audit_describer(object_types: Iterable[str], describer: AuditDescriber) -> None:
    types = frozenset(object_types)
    if all(existing is not describer for _, existing in _audit_describers):
        _audit_describers.append((types, describer))


def describe_audit(lines: Sequence[AuditLine], programme: Any) -> None:
    """Hand each describer the lines of its object types, once: those of every type first
    (they name the people concerned, which the others' sentences then use)."""
    for types, describer in sorted(_audit_describers, key=lambda d: "*" not in d[0]):
        mine = [line for line in lines if "*" in types or line.event.object_type in types]
        if mine:
            describer(mine, programme)


#: ``finder(programme, words) -> Q | None``: the audit events concerning the people of
#: ``programme`` whose name matches ``words`` (the log's "person" filter).
AuditPersonFinder = Callable[[Any, str], Any]

_audit_person_finders: list[AuditPersonFinder] = []


def register_audit_person_finder(finder: AuditPersonFinder) -> None:
    if finder not in _audit_person_finders:
        _audit_person_finders.append(finder)


def audit_person_finders() -> list[AuditPersonFinder]:
    return list(_audit_person_finders)


# -- the subject-access export (nFADP art. 25) -------------------------------------------------


@dataclass
class SubjectSection:
    """One kind of data held about a person, as the access answer gives it: what it is for,
    where it came from, who receives it and how long it is kept, then the data itself as
    rows (``columns``: (key, heading) pairs) and, for works, the files."""

    key: str  # "people.consents": the file names in the ZIP
    title: str
    purpose: str
    source: str
    recipients: str
    retention: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    files: list[tuple[str, bytes]] = field(default_factory=list)
    note: str = ""


#: ``exporter(participant) -> [SubjectSection]``: an app's part of everything held about a
#: person, in the reader's active language.
SubjectExporter = Callable[[Any], "list[SubjectSection]"]


@dataclass(frozen=True)
class _RegisteredExporter:
    order: int
    name: str
    exporter: SubjectExporter
    covers: frozenset[str]


_subject_exporters: list[_RegisteredExporter] = []


def register_subject_exporter(
    order: int, name: str, exporter: SubjectExporter, *, covers: Iterable[str]
) -> None:
    """An app's part of the subject-access export.  ``covers`` names the models
    (``"app_label.model"``) whose data about the person the exporter gives: a test fails
    when a model holding data about a participant is covered by none."""
    if all(existing.name != name for existing in _subject_exporters):
        _subject_exporters.append(
            _RegisteredExporter(order, name, exporter, frozenset(c.lower() for c in covers))
        )


def subject_exporters() -> list[tuple[str, SubjectExporter]]:
    return [(e.name, e.exporter) for e in sorted(_subject_exporters, key=lambda e: e.order)]


def subject_export_coverage() -> frozenset[str]:
    """Every model some registered exporter covers."""
    return frozenset(label for e in _subject_exporters for label in e.covers)


def subject_sections(participant: Any) -> list[SubjectSection]:
    sections: list[SubjectSection] = []
    for _, exporter in subject_exporters():
        sections.extend(exporter(participant))
    return sections
