"""The self check-in kiosk: first names and symbols only, locked until a password."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.core.models import AuditAction, AuditEvent
from isa.people import services as people
from isa.presence.models import CheckInSymbol, Presence, PresenceSource
from tests.conftest import PASSWORD, Cast, refer


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
    # Back to the grid: a link, and the kiosk's script after a few seconds; no meta refresh.
    back = kiosk_url(cast) + f"?session={cast.session.pk}"
    assert f'href="{back}"' in body
    assert f'data-kiosk-return="{back}"' in body
    assert 'http-equiv="refresh"' not in body


def test_the_kiosk_shows_first_names_and_symbols_only(cast: Cast, time_machine):
    morning = datetime.combine(cast.session.on, time(9, 30))
    time_machine.move_to(timezone.make_aware(morning), tick=False)
    CheckInSymbol.objects.create(participant=cast.participant, symbol="star-blue")
    client = cast.client("watcher")
    response = client.get(kiosk_url(cast), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert [t["pk"] for t in response.context["tiles"]] == [cast.participant.pk]
    assert cast.participant.first_name in body
    assert 'aria-label="blue star"' in body
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


def in_the_morning_session(cast: Cast, time_machine) -> None:
    morning = datetime.combine(cast.session.on, time(9, 30))
    time_machine.move_to(timezone.make_aware(morning), tick=False)


def test_the_register_of_the_session_running_now_opens_the_kiosk(cast: Cast, time_machine):
    in_the_morning_session(cast, time_machine)
    url = reverse("register_session", args=[cast.programme.pk, cast.session.pk])
    body = cast.client("facilitator").get(url).content.decode()
    assert f'href="{kiosk_url(cast)}?session={cast.session.pk}"' in body


def test_the_register_of_a_past_session_does_not_open_the_kiosk(cast: Cast, time_machine):
    in_the_morning_session(cast, time_machine)
    cast.session.on -= timedelta(days=7)
    cast.session.save()
    url = reverse("register_session", args=[cast.programme.pk, cast.session.pk])
    body = cast.client("facilitator").get(url).content.decode()
    assert kiosk_url(cast) not in body


def test_the_kiosk_lists_people_in_the_order_of_the_name_it_shows(cast: Cast, time_machine):
    in_the_morning_session(cast, time_machine)
    for last, first, usual in [("Aymon", "Zora", "Ada"), ("Bonvin", "Marc", "")]:
        newcomer = refer(
            cast.programme, cast.users["head"], last, first, usual_first_name=usual
        ).participant
        people.participant_admit(
            participant=newcomer, on=date(2024, 3, 4), actor=cast.actor("head")
        )
    response = cast.client("watcher").get(kiosk_url(cast))
    assert [t["first_name"] for t in response.context["tiles"]] == ["Ada", "Jean-Marc", "Marc"]


def test_the_names_of_the_symbols_agree_in_french(cast: Cast, time_machine):
    in_the_morning_session(cast, time_machine)
    CheckInSymbol.objects.create(participant=cast.participant, symbol="star-blue")
    body = cast.client("watcher").get(kiosk_url(cast), HTTP_ACCEPT_LANGUAGE="fr").content
    assert 'aria-label="étoile bleue"' in body.decode()


def test_every_symbol_has_a_whole_name_in_each_language():
    from django.utils import translation

    from isa.presence.symbols import CODES, NAMES, symbol_name

    assert set(NAMES) == set(CODES)
    with translation.override("fr"):
        assert symbol_name("star-blue") == "étoile bleue"
        assert symbol_name("circle-blue") == "cercle bleu"
        assert symbol_name("heart-green") == "cœur vert"
    with translation.override("de"):
        assert symbol_name("star-blue") == "blauer Stern"
        assert symbol_name("heart-red") == "rotes Herz"
        assert symbol_name("diamond-green") == "grüne Raute"
    for language in ("fr", "de", "en"):
        with translation.override(language):
            assert len({symbol_name(code) for code in CODES}) == len(CODES)


def test_the_kiosk_exit_page_stays_still(cast: Cast):
    client = cast.client("facilitator")
    client.get(kiosk_url(cast))
    body = client.get(kiosk_url(cast, "kiosk_exit")).content.decode()
    assert 'http-equiv="refresh"' not in body
    assert "data-kiosk-return" not in body
