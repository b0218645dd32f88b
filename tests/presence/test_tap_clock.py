"""The arrival time a tablet sends with a tap is checked against the server's clock."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from isa.presence.models import Presence, Session
from tests.conftest import Cast


@pytest.fixture
def morning(cast: Cast, time_machine) -> Session:
    """Monday 3 March 2025, 06:49 in Sion by the server's clock; an early session today."""
    time_machine.move_to("2025-03-03 06:49 +01:00", tick=False)
    return Session.objects.create(
        workshop=cast.session.workshop,
        on=date(2025, 3, 3),
        part="am",
        starts_at=time(6, 30),
        ends_at=time(12),
    )


def tap(cast: Cast, session: Session, **data):
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    payload = {"participant": cast.participant.pk, "action": "present", **data}
    return cast.client("facilitator").post(url, payload, HTTP_X_ISA_TAP="1")


def test_a_tablet_an_hour_behind_records_the_server_time(cast: Cast, morning):
    """The tablet was set to another time zone: it says 05:49 when it is 06:49."""
    assert tap(cast, morning, at="05:49").status_code == 200
    assert Presence.objects.get(session=morning).arrived_at == time(6, 49)


def test_a_tap_sent_again_minutes_later_keeps_its_moment(cast: Cast, morning):
    """A tap kept while the network was down, sent again within the tolerance."""
    tap(cast, morning, at="06:41")
    assert Presence.objects.get(session=morning).arrived_at == time(6, 41)


def test_a_departure_far_from_the_server_clock_is_the_server_time(cast: Cast, morning):
    tap(cast, morning, at="06:45")
    tap(cast, morning, action="leave", at="05:50")
    assert Presence.objects.get(session=morning).left_at == time(6, 49)
