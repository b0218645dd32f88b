"""Every URL of the project × every kind of visitor, with the expected status.

SECURITY.md rule 2: a URL missing from MATRIX fails ``test_every_url_is_in_the_matrix``,
so each new page must say who may reach it, in its app's part of the matrix
(``tests/<app>/matrix.py``, merged below; a name declared by two parts is an error).
Outside one's programmes the answer is 404; inside, a role that does not allow the page
gets 403; anonymous visitors are sent to the sign-in page (302).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from isa.core.models import Membership, Role
from tests.api.matrix import MATRIX as API
from tests.conftest import CAST_ROLES, Cast
from tests.core.matrix import MATRIX as CORE
from tests.evaluation.matrix import MATRIX as EVALUATION
from tests.journal.matrix import MATRIX as JOURNAL
from tests.matrix import Case, merge, programme
from tests.people.matrix import MATRIX as PEOPLE
from tests.portal.matrix import MATRIX as PORTAL
from tests.portal.matrix import REDIRECT_ELSEWHERE as PORTAL_REDIRECTS
from tests.presence.matrix import MATRIX as PRESENCE
from tests.privacy.matrix import MATRIX as PRIVACY
from tests.reports.matrix import MATRIX as REPORTS
from tests.watch.matrix import MATRIX as WATCH
from tests.works.matrix import MATRIX as WORKS

MATRIX: dict[str, Case] = merge(
    CORE, PEOPLE, PRESENCE, JOURNAL, WATCH, WORKS, EVALUATION, REPORTS, API, PRIVACY, PORTAL
)


#: Pages whose anonymous redirect does not lead to the sign-in page.
REDIRECT_ELSEWHERE = {"logout", "set_language", "admin:index"} | PORTAL_REDIRECTS


def _walk(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names.extend(_walk(p.url_patterns, ns))
        elif isinstance(p, URLPattern) and p.name:
            names.append(f"{namespace}{p.name}")
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}<unnamed {p.pattern}>")
    return names


def project_url_names() -> set[str]:
    # Django's admin is covered by its index; its hundreds of model pages share its guard.
    return {n for n in _walk(get_resolver().url_patterns) if not n.startswith("admin:")} | {
        "admin:index"
    }


def test_every_url_is_in_the_matrix():
    missing = project_url_names() - MATRIX.keys()
    stale = MATRIX.keys() - project_url_names()
    assert not missing, f"URLs missing from the permission matrix: {sorted(missing)}"
    assert not stale, f"matrix entries without a URL: {sorted(stale)}"


@pytest.mark.parametrize("who", CAST_ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(cast: Cast, name: str, who: str):
    case = MATRIX[name]
    url = reverse(name, kwargs=case.kwargs(cast))
    client = cast.client(who)
    extra = {"content_type": case.content_type} if case.content_type else {}
    response = getattr(client, case.method)(url, case.data(cast), **extra)
    assert response.status_code == case.status_for(who), (
        f"{who} {case.method.upper()} {url}: {response.status_code}, "
        f"expected {case.status_for(who)}"
    )
    if response.status_code == 302 and who == "anonymous" and name not in REDIRECT_ELSEWHERE:
        assert response["Location"].startswith(reverse("login"))


def test_the_other_organisation_never_sees_a_programme_of_ours(cast: Cast):
    """Even with every role there, a head of another organisation gets 404 here."""
    client = cast.client("other_head")
    for name in ("programme", "team", "audit_log"):
        assert client.get(reverse(name, kwargs=programme(cast))).status_code == 404


def test_a_file_of_another_organisation_is_404_whatever_the_path(cast: Cast):
    foreign = cast.foreign_participant
    client = cast.client("head")
    for programme_id in (cast.programme.pk, cast.other_programme.pk):
        url = reverse("participant", args=[programme_id, foreign.pk])
        assert client.get(url).status_code == 404
    url = reverse("participant", args=[cast.other_programme.pk, foreign.pk])
    assert cast.client("other_head").get(url).status_code == 200


def test_a_role_revoked_closes_the_door_at_once(cast: Cast):
    client = cast.client("facilitator")
    url = reverse("programme", kwargs=programme(cast))
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=cast.users["facilitator"], role=Role.FACILITATOR).delete()
    assert client.get(url).status_code == 404
