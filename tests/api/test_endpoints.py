"""The API's operations obey the pages' rules: referrals (validation, duplicates), the
register (same marks, idempotent retries, seen on the page and in the audit log as made
through the API), participants (fields by role), the public gallery (consent at the moment
of the call) and the audit log (heads, filters); bad input is a 422 naming the field, with
nothing written."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from isa.core.actor import Channel
from isa.core.models import AuditEvent
from isa.people.models import ConsentKind, Participant, Referral
from isa.presence.models import Presence
from tests.api.conftest import bearer, make_token
from tests.conftest import Cast
from tests.works.helpers import shown_online, withdraw

JSON = "application/json"


def call(cast: Cast, who: str, method: str, url: str, body=None, **headers):
    _token, secret = make_token(cast, who)
    client = Client()
    if method == "get":
        return client.get(url, body or {}, **bearer(secret), **headers)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type=JSON, **bearer(secret), **headers)


def referral_body(**extra):
    return {
        "last_name": "Fournier",
        "official_first_names": "Elodie Marie",
        "birth_date": "1988-04-12",
        "referred_on": "2024-05-06",
        "referring_service": "CMS de Sion",
        **extra,
    }


def errors_of(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


# -- referrals --------------------------------------------------------------------------------


def test_a_referrer_records_a_referral_and_reads_its_status(cast: Cast):
    url = reverse("api:referral_create", args=[cast.programme.pk])
    made = call(cast, "referrer", "post", url, referral_body())
    assert made.status_code == 201, made.content
    answer = made.json()
    assert answer["status"] == "received" and answer["person"] == "Elodie Fournier"
    referral = Referral.objects.get(pk=answer["id"])
    assert referral.referred_by == cast.users["referrer"]
    event = AuditEvent.objects.get(object_type="people.referral", object_id=str(referral.pk))
    assert event.channel == Channel.API
    mine = call(cast, "referrer", "get", url).json()
    assert {r["id"] for r in mine["results"]} == {cast.referral.pk, referral.pk}
    detail = reverse("api:referral_detail", args=[cast.programme.pk, referral.pk])
    assert call(cast, "referrer", "get", detail).json()["status"] == "received"


def test_a_referrer_sees_only_the_referrals_it_sent(cast: Cast):
    other = call(
        cast,
        "social_worker",
        "post",
        reverse("api:referral_create", args=[cast.programme.pk]),
        referral_body(),
    ).json()
    detail = reverse("api:referral_detail", args=[cast.programme.pk, other["id"]])
    assert call(cast, "referrer", "get", detail).status_code == 404
    listed = call(cast, "referrer", "get", reverse("api:referral_list", args=[cast.programme.pk]))
    assert other["id"] not in {r["id"] for r in listed.json()["results"]}


def test_a_possible_duplicate_is_a_409_until_checked(cast: Cast):
    url = reverse("api:referral_create", args=[cast.programme.pk])
    same = referral_body(
        last_name="Zufferey", official_first_names="Jean-Marc", birth_date="1975-05-17"
    )
    before = Participant.objects.count()
    refused = call(cast, "referrer", "post", url, same)
    assert refused.status_code == 409
    assert "not_a_duplicate" in errors_of(refused)
    assert Participant.objects.count() == before
    accepted = call(cast, "referrer", "post", url, {**same, "not_a_duplicate": True})
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (referral_body(unexpected="x"), "unexpected"),
        (referral_body(birth_date="not a date"), "birth_date"),
        (referral_body(birth_date=12), "birth_date"),
        (referral_body(referred_on="1800-01-01"), "referred_on"),
        (referral_body(referred_on="2999-01-01"), "referred_on"),
        (referral_body(birth_date="2100-01-01"), "birth_date"),
        (referral_body(not_a_duplicate="maybe"), "not_a_duplicate"),
        (referral_body(last_name="Jean\u202eMarc"), "last_name"),
        (referral_body(avs_number="756.1234.5678.00"), "avs_number"),
        ({k: v for k, v in referral_body().items() if k != "last_name"}, "last_name"),
        ("{not json", "body"),
        ("[1, 2]", ""),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(cast: Cast, body, field):
    url = reverse("api:referral_create", args=[cast.programme.pk])
    before = (Participant.objects.count(), Referral.objects.count())
    response = call(cast, "referrer", "post", url, body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    if field:
        assert field in errors_of(response), response.json()
    assert (Participant.objects.count(), Referral.objects.count()) == before


def test_a_refusal_speaks_the_callers_language(cast: Cast):
    url = reverse("api:referral_create", args=[cast.programme.pk])
    body = referral_body(unexpected="x")
    german = call(cast, "referrer", "post", url, body, HTTP_ACCEPT_LANGUAGE="de")
    french = call(cast, "referrer", "post", url, body, HTTP_ACCEPT_LANGUAGE="fr")
    assert errors_of(german)["unexpected"] == "Unbekanntes Feld."
    assert errors_of(french)["unexpected"] == "Champ inconnu."


# -- register ---------------------------------------------------------------------------------


def mark_url(cast: Cast) -> str:
    return reverse("api:register_mark", args=[cast.programme.pk, cast.session.pk])


def test_the_day_lists_its_sessions_with_the_people(cast: Cast):
    response = call(
        cast, "facilitator", "get", reverse("api:register_day", args=[cast.programme.pk])
    )
    assert response.status_code == 200
    (session,) = response.json()["sessions"]
    assert session["id"] == cast.session.pk and session["starts_at"] == "09:00"
    everyone = session["expected"] + session["marked"] + session["others"]
    assert cast.participant.pk in {row["participant_id"] for row in everyone}
    assert AuditEvent.objects.filter(
        object_type="presence.session", object_id=str(cast.session.pk), channel=Channel.API
    ).exists()


def test_a_day_out_of_range_is_a_422_naming_date(cast: Cast):
    url = reverse("api:register_day", args=[cast.programme.pk])
    for day in ("1999-12-31", "2101-01-01", "2024-02-30", "x"):
        response = call(cast, "head", "get", url, {"date": day})
        assert response.status_code == 422
        assert "date" in errors_of(response)


def test_a_mark_through_the_api_shows_on_the_register_and_in_the_audit_log(cast: Cast):
    response = call(
        cast,
        "facilitator",
        "post",
        mark_url(cast),
        {"participant_id": cast.participant.pk, "state": "present"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "present"
    presence = Presence.objects.get(session=cast.session, participant=cast.participant)
    assert presence.recorded_by == cast.users["facilitator"]
    page = cast.client("head").get(
        reverse("register_session", args=[cast.programme.pk, cast.session.pk])
    )
    rows = page.context["expected"] + page.context["marked"] + page.context["others"]
    (row,) = [r for r in rows if r["participant"].pk == cast.participant.pk]
    assert row["presence"].pk == presence.pk
    event = AuditEvent.objects.get(object_type="presence.presence", object_id=str(presence.pk))
    assert event.channel == Channel.API and event.actor_id == cast.users["facilitator"].pk
    log = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    (line,) = [line for line in log.context["lines"] if line.event.pk == event.pk]
    assert "Facilitator" in line.sentence and "Jean-Marc" in line.sentence
    assert "API" in log.content.decode()


def test_an_absence_with_its_reason(cast: Cast):
    body = {"participant_id": cast.participant.pk, "state": "absent", "reason": "ill"}
    response = call(cast, "watcher", "post", mark_url(cast), body)
    assert response.status_code == 200
    assert response.json() | {"absence_reason": "ill", "state": "absent"} == response.json()


def test_the_register_rules_hold(cast: Cast):
    """A closed file is not marked: the page's message, as a 422."""
    stranger = cast.foreign_participant
    body = {"participant_id": stranger.pk, "state": "present"}
    assert call(cast, "head", "post", mark_url(cast), body).status_code == 404
    body = {"participant_id": cast.participant.pk, "state": "maybe"}
    refused = call(cast, "head", "post", mark_url(cast), body)
    assert refused.status_code == 422 and "state" in errors_of(refused)
    assert not Presence.objects.exists()


def test_a_retry_with_the_same_key_does_it_once(cast: Cast):
    _token, secret = make_token(cast, "facilitator")
    client = Client()
    body = json.dumps({"participant_id": cast.participant.pk, "state": "absent", "reason": "ill"})
    key = {"HTTP_IDEMPOTENCY_KEY": "tablette-1-0001"}
    first = client.post(mark_url(cast), body, content_type=JSON, **bearer(secret), **key)
    second = client.post(mark_url(cast), body, content_type=JSON, **bearer(secret), **key)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert AuditEvent.objects.filter(object_type="presence.presence").count() == 1
    other = json.dumps({"participant_id": cast.participant.pk, "state": "present"})
    conflict = client.post(mark_url(cast), other, content_type=JSON, **bearer(secret), **key)
    assert conflict.status_code == 409
    assert Presence.objects.get().state == "absent"
    bad_key = client.post(
        mark_url(cast), body, content_type=JSON, **bearer(secret), HTTP_IDEMPOTENCY_KEY="é" * 3
    )
    assert bad_key.status_code == 422 and "Idempotency-Key" in errors_of(bad_key)


# -- participants -----------------------------------------------------------------------------


def test_the_fields_follow_the_roles_as_on_the_file(cast: Cast):
    url = reverse("api:participant_detail", args=[cast.programme.pk, cast.participant.pk])
    facilitator = call(cast, "facilitator", "get", url).json()
    watcher = call(cast, "watcher", "get", url).json()
    social = call(cast, "social_worker", "get", url).json()
    for hidden in ("avs_number", "social_aid_reference", "birth_date", "phone", "email"):
        assert hidden not in facilitator
    assert "phone" in watcher and "avs_number" not in watcher and "birth_date" not in watcher
    assert {"avs_number", "social_aid_reference", "birth_date", "phone"} <= social.keys()
    assert facilitator["last_name"] == "Zufferey"
    event = AuditEvent.objects.filter(object_type="people.participant", action="view")
    assert event.filter(channel=Channel.API).count() == 3


def test_the_list_is_paged_with_a_maximum(cast: Cast):
    url = reverse("api:participant_list", args=[cast.programme.pk])
    answer = call(cast, "head", "get", url, {"page_size": 1}).json()
    assert answer["page"] == {"count": 1, "page": 1, "page_size": 1, "pages": 1}
    assert answer["results"][0]["id"] == cast.participant.pk
    too_big = call(cast, "head", "get", url, {"page_size": 101})
    assert too_big.status_code == 422 and "page_size" in errors_of(too_big)
    past = call(cast, "head", "get", url, {"page": 5}).json()
    assert past["results"] == []
    assert call(cast, "referrer", "get", url).status_code == 403


# -- gallery ----------------------------------------------------------------------------------


def test_the_gallery_shows_only_consented_works_with_their_credit(cast: Cast):
    work = shown_online(cast)
    url = reverse("api:gallery", args=[cast.programme.pk])
    answer = Client().get(url)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "public, no-cache"
    (shown,) = answer.json()["works"]
    assert shown["title"] == work.title and shown["credit"]
    assert "Zufferey" not in json.dumps(answer.json())  # credit only: the default first name
    assert shown["images"][0]["display"].startswith("http://testserver/gallery/")
    withdraw(cast.participant, ConsentKind.ONLINE, cast.users["social_worker"])
    assert Client().get(url).json()["works"] == []


# -- audit log --------------------------------------------------------------------------------


def test_the_heads_read_the_audit_log_filtered(cast: Cast):
    url = reverse("api:audit_log", args=[cast.programme.pk])
    answer = call(cast, "head", "get", url, {"action": "create", "page_size": 5}).json()
    assert answer["page"]["page_size"] == 5 and answer["results"]
    assert {line["action"] for line in answer["results"]} == {"create"}
    assert all(line["sentence"] for line in answer["results"])
    reading = AuditEvent.objects.filter(object_type="core.auditevent").latest("at")
    assert reading.channel == Channel.API and reading.detail["filters"] == {"action": "create"}
    backwards = call(cast, "head", "get", url, {"date_from": "2024-05-01", "date_to": "2024-04-01"})
    assert backwards.status_code == 422 and "date_to" in errors_of(backwards)
    unknown = call(cast, "head", "get", url, {"action": "nothing"})
    assert unknown.status_code == 422 and "action" in errors_of(unknown)
    assert call(cast, "social_worker", "get", url).status_code == 403


def test_a_key_older_than_a_day_is_forgotten(cast: Cast):
    from datetime import timedelta

    from django.utils import timezone

    from isa.api.models import IdempotentCall

    IdempotentCall.objects.create(
        user=cast.users["facilitator"],
        key="old-key",
        operation="register_mark:0",
        request_digest="0" * 64,
        status=200,
        response={},
        created_at=timezone.now() - timedelta(days=2),
    )
    body = {"participant_id": cast.participant.pk, "state": "present"}
    response = call(
        cast, "facilitator", "post", mark_url(cast), body, HTTP_IDEMPOTENCY_KEY="old-key"
    )
    assert response.status_code == 200
    assert IdempotentCall.objects.get(key="old-key").created_at > timezone.now() - timedelta(
        hours=1
    )
