"""The programme navigation is made of links that each app registers; core names none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils.translation import gettext_lazy as _

from isa.core import registry
from isa.core.models import Role
from tests.conftest import Cast

#: The apps above core; their templates live in folders of their own name.
HIGHER_APPS = [
    "people",
    "presence",
    "journal",
    "works",
    "evaluation",
    "watch",
    "privacy",
    "reports",
]

HEAD_LINKS = [
    ("Présences", "register/"),
    ("Journal", "journal/"),  # short in the navigation: one row on a desktop
    ("Participant·e·s", "people/"),
    ("Œuvres", "works/"),
    ("Veille", "watch/"),
    ("Liste d’attente", "waiting/"),
    ("Évaluation", "evaluation/results/"),
    ("Équipe", "team/"),
    ("Audit", "audit/"),
]

#: What each role sees after the programme's own link, in this order (French, the default).
LINKS_BY_ROLE = {
    "head": HEAD_LINKS,
    "social_worker": HEAD_LINKS[:7],
    "facilitator": HEAD_LINKS[:4],
    "watcher": HEAD_LINKS[:5],
    "referrer": [("Mes orientations", "referrals/")],
    "funder": [("Rapports", "reports/")],
    "researcher": [("Recherche", "studies/")],
}


def nav_links(response) -> list[tuple[str, str, bool]]:
    """(label, address, current) of every link of the main navigation."""
    html = response.content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav is not None, "the page has no main navigation"
    return [
        (label, href, bool(current))
        for href, current, label in re.findall(
            r'<li><a href="([^"]*)"( aria-current="page")?>([^<]*)</a></li>', nav.group(0)
        )
    ]


@pytest.mark.parametrize("role", list(LINKS_BY_ROLE))
def test_each_role_sees_its_links_on_the_programme_page_in_the_same_order(cast: Cast, role: str):
    pid = cast.programme.pk
    response = cast.client(role).get(reverse("programme", args=[pid]))
    assert response.status_code == 200
    expected = [("Mes mesures", "/", False), ("ISA Sion", f"/p/{pid}/", True)] + [
        (label, f"/p/{pid}/{path}", False) for label, path in LINKS_BY_ROLE[role]
    ]
    assert nav_links(response) == expected


@pytest.mark.parametrize(
    ("role", "url_name", "current"),
    [
        ("social_worker", "journal_list", "Journal"),
        ("social_worker", "journal_entry", "Journal"),
        ("social_worker", "participant", "Participant·e·s"),
        ("facilitator", "register_today", "Présences"),
        ("facilitator", "exhibition_list", "Œuvres"),
        ("watcher", "watch_board", "Veille"),
        ("head", "waiting_list", "Liste d’attente"),
        ("head", "evaluation_group", "Évaluation"),
        ("head", "team", "Équipe"),
        ("head", "audit_log", "Audit"),
        ("referrer", "referral_list", "Mes orientations"),
    ],
)
def test_the_link_of_the_page_one_is_on_is_marked_current(
    cast: Cast, role: str, url_name: str, current: str
):
    pid = cast.programme.pk
    args = {
        "journal_entry": [pid, cast.entry.pk],
        "participant": [pid, cast.participant.pk],
    }.get(url_name, [pid])
    response = cast.client(role).get(reverse(url_name, args=args), follow=True)
    assert response.status_code == 200
    links = nav_links(response)
    assert [label for label, _, is_current in links if is_current] == [current]
    assert [label for label, _, _ in links][2:] == [label for label, _ in LINKS_BY_ROLE[role]]


def test_the_navigation_speaks_the_users_language(cast: Cast):
    client = cast.client("referrer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.get(reverse("programme", args=[cast.programme.pk]))
    assert [label for label, _, _ in nav_links(response)][2:] == ["Meine Zuweisungen"]


def test_a_link_registered_by_an_app_appears_in_its_place_for_its_roles(cast: Cast, monkeypatch):
    monkeypatch.setattr(registry, "_navigation", list(registry._navigation))
    registry.register_navigation(
        65, registry.programme_link(_("Team"), "team", roles={Role.SOCIAL_WORKER})
    )
    pid = cast.programme.pk
    worker = nav_links(cast.client("social_worker").get(reverse("programme", args=[pid])))
    labels = [label for label, _, _ in worker]
    assert labels[-3:] == ["Liste d’attente", "Équipe", "Évaluation"]
    assert ("Équipe", f"/p/{pid}/team/", False) in worker
    facilitator = nav_links(cast.client("facilitator").get(reverse("programme", args=[pid])))
    assert "Équipe" not in [label for label, _, _ in facilitator]


def test_a_provider_may_leave_the_navigation_alone(cast: Cast, monkeypatch):
    monkeypatch.setattr(registry, "_navigation", list(registry._navigation))
    calls = []

    def nothing_here(roles, programme_id):
        calls.append((roles, programme_id))

    registry.register_navigation(1, nothing_here)
    registry.register_navigation(1, nothing_here)
    response = cast.client("head").get(reverse("programme", args=[cast.programme.pk]))
    assert [label for label, _ in HEAD_LINKS] == [label for label, _, _ in nav_links(response)][2:]
    assert calls == [(frozenset({Role.HEAD}), cast.programme.pk)]


def higher_url_names() -> set[str]:
    names = set()
    for resolver in get_resolver().url_patterns:
        if not isinstance(resolver, URLResolver):
            continue
        module = getattr(resolver.urlconf_name, "__name__", "")  # isa.<app>.urls
        if module.startswith("isa.") and module.split(".")[1] in HIGHER_APPS:
            names |= {p.name for p in resolver.url_patterns if p.name}
    return names


def test_core_templates_name_no_url_of_a_higher_app():
    higher = higher_url_names()
    assert {"journal_list", "work_list", "watch_board", "referral_list"} <= higher
    root = Path(settings.BASE_DIR) / "templates"
    offending = []
    for template in root.rglob("*.html"):
        if template.relative_to(root).parts[0] in HIGHER_APPS:
            continue
        for name in re.findall(r"""\{%\s*url\s+['"]([\w:-]+)['"]""", template.read_text()):
            if name in higher:
                offending.append(f"{template.relative_to(root)}: {name}")
    assert not offending, offending
