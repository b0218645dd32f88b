"""Every URL of the project × every kind of visitor, with the expected status.

SECURITY.md rule 2: a URL missing from MATRIX fails ``test_every_url_is_in_the_matrix``,
so each new page must say here who may reach it.  Outside one's programmes the answer is
404; inside, a role that does not allow the page gets 403; anonymous visitors are sent to
the sign-in page (302).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from isa.core.models import Membership, Role
from tests.conftest import CAST_ROLES, Cast
from tests.evaluation.matrix import MATRIX as EVALUATION_MATRIX
from tests.matrix import (  # noqa: F401  (alert, entry… are imported from here by app tests)
    FILES,
    MEMBERS,
    REFERRALS,
    SIGNED_IN,
    TEAM,
    WATCHING,
    Case,
    alert,
    break_glass,
    entry,
    expect,
    head_membership,
    month,
    only,
    participant,
    programme,
    referral,
    session,
)
from tests.works.matrix import MATRIX as WORKS_MATRIX

MATRIX: dict[str, Case] = {
    "home": Case(expect=expect(200)),
    "healthz": Case(expect=expect(200, anonymous=200)),
    "programme": Case(kwargs=programme, expect=only(MEMBERS)),
    "team": Case(kwargs=programme, expect=only({"head"})),
    "membership_revoke": Case(kwargs=head_membership, method="post", expect=only({"head"}, ok=302)),
    "audit_log": Case(kwargs=programme, expect=only({"head"})),
    "audit_log_export": Case(kwargs=programme, expect=only({"head"})),
    "breakglass_acknowledge": Case(
        kwargs=break_glass, method="post", expect=only({"head"}, ok=302)
    ),
    "login": Case(expect=expect(302, anonymous=200)),
    "logout": Case(method="post", expect=expect(302, anonymous=302)),
    "account": Case(expect=expect(200)),
    "password_change": Case(expect=expect(200)),
    "password_reset": Case(expect=expect(200, anonymous=200)),
    "password_reset_done": Case(expect=expect(200, anonymous=200)),
    "password_reset_confirm": Case(
        kwargs=lambda c: {"uidb64": "MQ", "token": "not-a-token"}, expect=expect(200, anonymous=200)
    ),
    "password_reset_complete": Case(expect=expect(200, anonymous=200)),
    "otp_setup": Case(expect=expect(200)),
    "otp_verify": Case(expect=expect(302)),
    "set_language": Case(method="post", data=lambda c: {"language": "de"}, expect=expect(302, 302)),
    "admin:index": Case(expect=expect(302, sysadmin=200)),
    # people
    "participant_list": Case(kwargs=programme, expect=only(TEAM)),
    "participant_import": Case(kwargs=programme, expect=only({"head"})),
    "participant_import_template": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "fmt": "xlsx"}, expect=only({"head"})
    ),
    "participant": Case(kwargs=participant, expect=only(TEAM)),
    "participant_edit": Case(kwargs=participant, expect=only(FILES)),
    "participant_admit": Case(kwargs=participant, expect=only(FILES)),
    "participant_pause": Case(kwargs=participant, expect=only(FILES)),
    "participant_resume": Case(kwargs=participant, expect=only(FILES)),
    "participant_exit": Case(kwargs=participant, expect=only(FILES)),
    "pact_edit": Case(kwargs=participant, expect=only(FILES)),
    "consent_edit": Case(kwargs=participant, expect=only(FILES)),
    "milestone_add": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"kind": "first_visit", "on": "2024-03-01"},
        expect=only(TEAM, ok=302),
    ),
    "referral_list": Case(kwargs=programme, expect=only(REFERRALS)),
    "referral_create": Case(kwargs=programme, expect=only(REFERRALS)),
    "waiting_list": Case(kwargs=programme, expect=only(FILES)),
    # presence
    "register_today": Case(
        kwargs=programme, data=lambda c: {"date": c.session.on.isoformat()}, expect=only(TEAM)
    ),
    "register_session": Case(kwargs=session, expect=only(TEAM)),
    "register_tap": Case(
        kwargs=session,
        method="post",
        data=lambda c: {"participant": c.participant.pk, "action": "present"},
        expect=only(TEAM, ok=302),
    ),
    "kiosk": Case(kwargs=programme, expect=only(TEAM)),
    "kiosk_tap": Case(
        kwargs=programme,
        method="post",
        data=lambda c: {"participant": c.participant.pk, "session": c.session.pk},
        expect=only(TEAM),
    ),
    "kiosk_exit": Case(kwargs=programme, expect=only(TEAM)),
    "checkin_symbol": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"symbol": "star-blue"},
        expect=only(TEAM, ok=302),
    ),
    "presence_month": Case(kwargs=month, expect=only(TEAM)),
    "presence_sheet": Case(kwargs=lambda c: {**month(c), "fmt": "xlsx"}, expect=only(FILES)),
    "workshop_list": Case(kwargs=programme, expect=only({"head"})),
    "workshop_create": Case(kwargs=programme, expect=only({"head"})),
    "workshop_edit": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "workshop_id": c.session.workshop_id},
        expect=only({"head"}),
    ),
    "sessions_generate": Case(
        kwargs=programme, method="post", data=lambda c: {"weeks": 2}, expect=only({"head"}, ok=302)
    ),
    "closure_list": Case(kwargs=programme, expect=only({"head"})),
    "closure_delete": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "closure_id": c.closure.pk},
        method="post",
        expect=only({"head"}, ok=302),
    ),
    "medium_list": Case(kwargs=programme, expect=only({"head"})),
    # journal
    "journal_list": Case(kwargs=programme, expect=only(TEAM)),
    "entry_create": Case(kwargs=programme, expect=only(TEAM)),
    "writing_aid": Case(
        kwargs=programme,
        method="post",
        data=lambda c: {"text": "Il est paresseux."},
        expect=only(TEAM),
    ),
    "journal_entry": Case(kwargs=entry, expect=only(TEAM)),
    "entry_correct": Case(
        kwargs=entry,
        expect={**only(TEAM), "facilitator": 403, "watcher": 403},
    ),
    # the watch: for watchers, social workers and the head
    "watch_board": Case(kwargs=programme, expect=only(WATCHING)),
    "watch_rules": Case(kwargs=programme, expect=only({"head"})),
    "watch_alert": Case(kwargs=alert, expect=only(WATCHING)),
    "watch_take": Case(kwargs=alert, method="post", expect=only(WATCHING, ok=302)),
    "watch_outreach": Case(
        kwargs=alert,
        method="post",
        data=lambda c: {"kind": "phone", "on": "2024-03-12", "note": "Left a message."},
        expect=only(WATCHING, ok=302),
    ),
    "watch_resolve": Case(
        kwargs=alert,
        method="post",
        data=lambda c: {"resolution": "We spoke; all is well."},
        expect=only(WATCHING, ok=302),
    ),
    "referral_status": Case(
        kwargs=referral,
        method="post",
        data=lambda c: {"status": "not_taken_up"},
        expect=only(FILES, ok=302),
    ),
    **WORKS_MATRIX,
    **EVALUATION_MATRIX,
}


#: Pages whose anonymous redirect does not lead to the sign-in page.
REDIRECT_ELSEWHERE = {"logout", "set_language", "admin:index"}


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
    response = getattr(client, case.method)(url, case.data(cast))
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
