"""Personal API tokens: made on the account page, shown once, stored hashed, scoped to one
programme and the holder's roles there, refused at once when revoked or expired, limited in
rate; the heads see and revoke their team's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.api import services
from isa.api.models import ApiToken, digest
from isa.core.models import AuditEvent, Membership, Role
from tests.api.conftest import bearer, make_token
from tests.conftest import Cast

ME = "/api/v1/me"


def participant_url(programme_id: int, participant_id: int) -> str:
    return reverse("api:participant_detail", args=[programme_id, participant_id])


# -- making a token ---------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_digest_is_kept(cast: Cast):
    token, secret = make_token(cast, "facilitator")
    assert secret.startswith(f"isa_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert stored.secret_digest == digest(secret.split("_", 2)[2])
    event = AuditEvent.objects.filter(object_type="api.apitoken", action="create").get()
    assert event.object_id == str(token.pk) and event.programme_id == cast.programme.pk
    assert secret not in str(event.detail)


def test_the_account_page_makes_a_token_and_shows_it_once(cast: Cast):
    client = cast.client("referrer")
    page = client.get(reverse("account"))
    assert b"api-tokens-title" in page.content
    expires = (timezone.localdate() + timedelta(days=10)).isoformat()
    made = client.post(
        reverse("api_token_create"),
        {"name": "Dossier CMS", "programme": cast.programme.pk, "expires_on": expires},
    )
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret.encode() in made.content
    assert "no-store" in made["Cache-Control"] or "no-cache" in made["Cache-Control"]
    again = client.get(reverse("account"))
    assert secret.encode() not in again.content
    assert b"Dossier CMS" in again.content
    assert Client().get(ME, **bearer(secret)).json()["roles"] == ["referrer"]


@pytest.mark.parametrize("days", [0, 366, -3])
def test_an_expiry_out_of_bounds_is_refused(cast: Cast, days: int):
    with pytest.raises(ValidationError):
        make_token(cast, "head", days=days)
    assert not ApiToken.objects.exists()


def test_no_token_on_a_programme_without_a_role(cast: Cast):
    with pytest.raises(PermissionDenied):
        make_token(cast, "head", programme=cast.other_programme)


def test_the_form_offers_only_ones_programmes(cast: Cast):
    client = cast.client("other_head")
    response = client.post(
        reverse("api_token_create"),
        {
            "name": "x",
            "programme": cast.programme.pk,
            "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# -- using it ---------------------------------------------------------------------------------


def test_a_token_opens_its_programme_with_its_holders_roles(cast: Cast):
    _token, secret = make_token(cast, "facilitator")
    answer = Client().get(ME, **bearer(secret)).json()
    assert answer["roles"] == ["facilitator"] and answer["programme_id"] == cast.programme.pk
    url = participant_url(cast.programme.pk, cast.participant.pk)
    assert Client().get(url, **bearer(secret)).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_a_token_of_programme_a_gets_404_on_programme_b(cast: Cast):
    """The head of both programmes: the token of one does not open the other, although
    the same person's session does."""
    head = cast.users["head"]
    Membership.objects.create(user=head, programme=cast.other_programme, role=Role.HEAD)
    _token, secret = make_token(cast, "head")
    foreign = participant_url(cast.other_programme.pk, cast.foreign_participant.pk)
    assert Client().get(foreign, **bearer(secret)).status_code == 404
    for name in ("api:participant_list", "api:register_day", "api:audit_log"):
        url = reverse(name, args=[cast.other_programme.pk])
        assert Client().get(url, **bearer(secret)).status_code == 404, name
    # B's participant under A's address: 404 too.
    mixed = participant_url(cast.programme.pk, cast.foreign_participant.pk)
    assert Client().get(mixed, **bearer(secret)).status_code == 404
    assert cast.client("head").get(foreign).status_code == 200


def test_a_revoked_token_is_refused_at_once(cast: Cast):
    token, secret = make_token(cast, "watcher")
    client = Client()
    assert client.get(ME, **bearer(secret)).status_code == 200
    services.api_token_revoke(token=token, actor=cast.actor("watcher"))
    refused = client.get(ME, **bearer(secret))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert refused.json()["status"] == 401


def test_an_expired_token_is_refused_at_once(cast: Cast):
    token, secret = make_token(cast, "watcher")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_a_role_taken_away_closes_what_the_token_opened(cast: Cast):
    _token, secret = make_token(cast, "facilitator")
    url = participant_url(cast.programme.pk, cast.participant.pk)
    assert Client().get(url, **bearer(secret)).status_code == 200
    Membership.objects.filter(user=cast.users["facilitator"]).delete()
    assert Client().get(url, **bearer(secret)).status_code == 404


def test_a_disabled_account_s_token_is_refused(cast: Cast):
    _token, secret = make_token(cast, "facilitator")
    user = cast.users["facilitator"]
    user.is_active = False
    user.save()
    assert Client().get(ME, **bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer isa_x", "Bearer isa_abcdefghij_wrong", "Basic dXNlcjpwYXNz", "Bearer \x00"],
)
def test_a_wrong_token_is_refused_and_never_falls_back_on_the_session(cast: Cast, header):
    client = cast.client("head")
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    if header.startswith("Basic"):
        assert response.status_code == 200  # no token sent: the session answers
    else:
        assert response.status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(cast: Cast):
    token, _secret = make_token(cast, "head")
    forged = f"isa_{token.prefix}_{'A' * 43}"
    assert Client().get(ME, **bearer(forged)).status_code == 401


def test_the_session_needs_its_csrf_token_to_write(cast: Cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["head"])
    url = reverse("api:register_mark", args=[cast.programme.pk, cast.session.pk])
    body = {"participant_id": cast.participant.pk, "state": "present"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert not cast.participant.presences.exists()
    client.get(reverse("account"))  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    made = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert made.status_code == 200


def test_no_token_is_a_401_problem_in_the_callers_language(cast: Cast):
    response = Client().get(ME, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 401
    problem = response.json()
    assert problem["title"] == "Nicht angemeldet"
    assert response["Content-Language"] == "de"
    french = Client().get(ME, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["title"] != problem["title"]


# -- rate limit -------------------------------------------------------------------------------


def test_a_token_past_its_rate_gets_429_with_retry_after(cast: Cast, settings):
    settings.ISA_API_RATE_LIMIT = 3
    _token, secret = make_token(cast, "head")
    _other, other_secret = make_token(cast, "facilitator")
    client = Client()
    for _ in range(3):
        assert client.get(ME, **bearer(secret)).status_code == 200
    refused = client.get(ME, **bearer(secret))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"
    # Another token counts on its own.
    assert client.get(ME, **bearer(other_secret)).status_code == 200


def test_the_public_gallery_is_limited_by_address(cast: Cast, settings):
    settings.ISA_API_PUBLIC_RATE_LIMIT = 2
    url = reverse("api:gallery", args=[cast.programme.pk])
    statuses = [Client().get(url).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


# -- the heads ---------------------------------------------------------------------------------


def test_the_head_sees_and_revokes_the_teams_tokens(cast: Cast):
    token, secret = make_token(cast, "facilitator")
    page = cast.client("head").get(reverse("api_programme_tokens", args=[cast.programme.pk]))
    assert page.status_code == 200
    assert token.name.encode() in page.content
    assert cast.users["facilitator"].full_name.encode() in page.content
    response = cast.client("head").post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert Client().get(ME, **bearer(secret)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == cast.users["head"]
    assert AuditEvent.objects.filter(object_type="api.apitoken", action="delete").count() == 1


def test_a_team_member_cannot_revoke_anothers_token(cast: Cast):
    token, secret = make_token(cast, "head")
    response = cast.client("facilitator").post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, actor=cast.actor("facilitator"))
    assert Client().get(ME, **bearer(secret)).status_code == 200


def test_the_audit_log_tells_who_made_and_revoked_a_token(cast: Cast):
    token, _secret = make_token(cast, "facilitator")
    services.api_token_revoke(token=token, actor=cast.actor("head"))
    page = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    sentences = [line.sentence for line in page.context["lines"]]
    assert any("Jeton de facilitator" in s and "Facilitator" in s for s in sentences)


# -- the schema and its documentation ---------------------------------------------------------


def test_the_documentation_is_served_by_isa_for_signed_in_users(cast: Cast):
    docs = reverse("api:openapi-view")
    assert Client().get(docs).status_code == 302
    page = cast.client("funder").get(docs)
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html
    schema = cast.client("funder").get(reverse("api:openapi-json")).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/programmes/{programme_id}/referrals" in schema["paths"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "L’interface HTTP d’ISA"),
        ("de", "Die HTTP-Schnittstelle von ISA"),
        ("en", "The HTTP interface of ISA"),
    ],
)
def test_the_documentation_introduces_the_api_in_the_readers_language(
    cast: Cast, language: str, words: str
):
    schema = (
        cast.client("funder").get(reverse("api:openapi-json"), HTTP_ACCEPT_LANGUAGE=language).json()
    )
    description = schema["info"]["description"]
    assert description.startswith(words)
    assert "docs/" not in description and ".md" not in description  # no repository path


def test_a_mark_with_a_token_costs_few_queries(cast: Cast, django_assert_max_num_queries):
    _token, secret = make_token(cast, "facilitator")
    url = reverse("api:register_mark", args=[cast.programme.pk, cast.session.pk])
    body = {"participant_id": cast.participant.pk, "state": "present"}
    client = Client()
    client.get(ME, **bearer(secret))  # the last use is written once a minute at most
    with django_assert_max_num_queries(14):
        response = client.post(url, body, content_type="application/json", **bearer(secret))
    assert response.status_code == 200
