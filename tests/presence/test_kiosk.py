"""The self check-in kiosk: first names and symbols only, locked until a password."""

from __future__ import annotations

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

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
