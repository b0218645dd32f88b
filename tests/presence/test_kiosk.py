"""The self check-in kiosk: first names and symbols only, locked until a password."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.core.models import AuditAction, AuditEvent
from isa.presence.models import CheckInSymbol, Presence, PresenceSource
from tests.conftest import PASSWORD, Cast


def kiosk_url(cast: Cast, name: str = "kiosk") -> str:
    return reverse(name, args=[cast.programme.pk])


def test_a_tap_on_the_kiosk_marks_present_and_goes_back(cast: Cast, time_machine):
    client = cast.client("watcher")
    client.get(kiosk_url(cast))
    response = client.post(
        kiosk_url(cast, "kiosk_tap"),
        {"participant": cast.participant.pk, "session": cast.session.pk},
    )
    assert response.status_code == 200
    presence = Presence.objects.get(session=cast.session, participant=cast.participant)
    assert presence.source == PresenceSource.KIOSK
    body = response.content.decode()
    assert cast.participant.first_name in body
    assert cast.participant.last_name not in body
    assert 'http-equiv="refresh"' in body


def test_the_kiosk_shows_first_names_and_symbols_only(cast: Cast, time_machine):
    morning = datetime.combine(cast.session.on, time(9, 30))
    time_machine.move_to(timezone.make_aware(morning), tick=False)
    CheckInSymbol.objects.create(participant=cast.participant, symbol="star-blue")
    client = cast.client("watcher")
    response = client.get(kiosk_url(cast), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert [t["pk"] for t in response.context["tiles"]] == [cast.participant.pk]
    assert cast.participant.first_name in body
    assert 'aria-label="star blue"' in body
    assert cast.participant.last_name not in body
    assert "1975" not in body


def test_the_kiosk_locks_the_browser_until_a_password(cast: Cast):
    client = cast.client("facilitator")
    client.get(kiosk_url(cast))
    response = client.get(reverse("participant_list", args=[cast.programme.pk]))
    assert response.status_code == 302
    assert response["Location"] == kiosk_url(cast)
    assert client.post(reverse("logout")).status_code == 302  # even sign-out leads back
    response = client.post(kiosk_url(cast, "kiosk_exit"), {"password": "not-the-password"})
    assert response.status_code == 200
    # The people at the door never read a team member's e-mail address.
    assert cast.users["facilitator"].email not in response.content.decode()
    assert client.get(reverse("participant_list", args=[cast.programme.pk]))[
        "Location"
    ] == kiosk_url(cast)
    response = client.post(kiosk_url(cast, "kiosk_exit"), {"password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("participant_list", args=[cast.programme.pk])).status_code == 200


def test_a_refused_tap_says_nothing_of_why(cast: Cast):
    from django.utils import timezone

    from isa.people import services as people
    from isa.people.models import ExitReason

    people.participant_exit(
        participant=cast.participant,
        on=timezone.localdate(),
        reason=ExitReason.OWN_CHOICE,
        actor=cast.actor("head"),
    )
    client = cast.client("watcher")
    client.get(kiosk_url(cast))
    response = client.post(
        kiosk_url(cast, "kiosk_tap"),
        {"participant": cast.participant.pk, "session": cast.session.pk},
    )
    assert response.status_code == 200
    assert not response.context["welcome"]
    assert "accompanied" not in response.content.decode()
    assert not Presence.objects.exists()


def test_a_session_of_another_day_cannot_be_tapped_on_the_kiosk(cast: Cast):
    from datetime import timedelta

    cast.session.on = cast.session.on - timedelta(days=7)
    cast.session.save()
    client = cast.client("watcher")
    client.get(kiosk_url(cast))
    response = client.post(
        kiosk_url(cast, "kiosk_tap"),
        {"participant": cast.participant.pk, "session": cast.session.pk},
    )
    assert response.status_code == 404


def test_wrong_passwords_at_the_exit_lock_the_kiosk_not_the_member(
    cast: Cast, settings, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    client = cast.client("facilitator")
    client.get(kiosk_url(cast))
    exit_url = kiosk_url(cast, "kiosk_exit")
    statuses = [
        client.post(exit_url, {"password": "devine-encore"}, HTTP_ACCEPT_LANGUAGE="fr").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    # Locked: even the right password waits, with a clear message.
    response = client.post(exit_url, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Trop de mots de passe erronés" in body
    assert "15 minutes" in body
    assert 'name="password"' not in body
    assert client.get(reverse("participant_list", args=[cast.programme.pk]))[
        "Location"
    ] == kiosk_url(cast)
    # The member's account is not locked: they sign in normally on another device.
    elsewhere = Client()
    response = elsewhere.post(
        reverse("login"), {"username": "facilitator@test.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    # Each wrong password is audited, naming the exit; the one that locked it says so.
    refused = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_type="presence.kiosk"
    ).order_by("id")
    assert [e.detail["failures"] for e in refused] == [1, 2, 3, 4, 5]
    assert refused.last().detail == {"exit": "kiosk", "failures": 5, "locked_minutes": 15}
    assert refused.last().actor_id == cast.users["facilitator"].pk
    assert refused.last().programme_id == cast.programme.pk
    # After the pause, the right password closes the kiosk.
    time_machine.shift(timedelta(minutes=16))
    assert client.post(exit_url, {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("participant_list", args=[cast.programme.pk])).status_code == 200


def test_the_exit_counts_again_from_zero_after_the_right_password(cast: Cast, settings):
    client = cast.client("facilitator")
    exit_url = kiosk_url(cast, "kiosk_exit")
    client.get(kiosk_url(cast))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(exit_url, {"password": "devine-encore"})
    assert client.post(exit_url, {"password": PASSWORD}).status_code == 302
    client.get(kiosk_url(cast))
    assert client.post(exit_url, {"password": "devine-encore"}).status_code == 200
