"""Presence feeds the participant's timeline: first time, first time in a medium."""

from __future__ import annotations

from datetime import date, time

from django.urls import reverse
from django.utils import translation

from isa.presence.models import Medium, Presence, PresenceState, Session
from isa.presence.timeline import presence_items
from tests.conftest import Cast


def test_first_presence_and_first_time_in_each_medium(cast: Cast):
    workshop = cast.session.workshop
    painting = Medium.objects.get(code="painting")
    writing = Medium.objects.get(code="writing")
    for day, medium in [(3, painting), (10, painting), (17, writing), (24, None)]:
        session = Session.objects.create(
            workshop=workshop, on=date(2025, 3, day), part="am", starts_at=time(9), ends_at=time(12)
        )
        Presence.objects.create(
            session=session,
            participant=cast.participant,
            state=PresenceState.PRESENT,
            medium=medium,
        )
    with translation.override("en"):
        items = list(presence_items(cast.participant, cast.users["head"]))
    assert [(i.on, i.title) for i in items] == [
        (date(2025, 3, 3), "First time at the workshop (Peinture)"),
        (date(2025, 3, 3), "First time in painting"),
        (date(2025, 3, 17), "First time in writing"),
    ]
    response = cast.client("facilitator").get(
        reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    )
    assert "presence" in [item.kind for item in response.context["timeline"]]
