"""A dated scene for the watch: Wednesday 26 March 2025, early morning.

Jean-Marc's pact is Monday morning and Wednesday afternoon.  The painting workshop meets
then every week since June 2024.  Lise, admitted the same day, comes every time: her ticks
show the register was filled in, so a half-day Jean-Marc missed really was missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from isa.core.actor import Actor
from isa.people import services as people
from isa.people.models import Participant
from isa.presence.models import Presence, PresenceState, Session
from isa.watch.models import Alert, WatchRule
from isa.watch.services import rules_for, watch_evaluate
from tests.conftest import Cast, refer

TODAY = date(2025, 3, 26)  # a Wednesday
FIRST = date(2024, 6, 3)  # a Monday
LAST = date(2025, 3, 31)
SLOTS = {0: "am", 2: "pm"}  # Monday morning, Wednesday afternoon


@dataclass
class Scene:
    cast: Cast
    other: Participant
    sessions: dict[tuple[date, str], Session]

    @property
    def participant(self) -> Participant:
        return self.cast.participant

    def attend(self, start: date, end: date, who: Participant | None = None) -> None:
        """``who`` (Jean-Marc) came to every pact session from ``start`` to ``end``."""
        who = who or self.participant
        Presence.objects.bulk_create(
            [
                Presence(session=s, participant=who, state=PresenceState.PRESENT)
                for (day, _part), s in self.sessions.items()
                if start <= day <= end
            ]
        )

    def come(self, day: date, part: str, state: str = PresenceState.PRESENT) -> Presence:
        session = self.sessions.get((day, part)) or Session.objects.create(
            workshop=self.cast.session.workshop,
            on=day,
            part=part,
            starts_at=time(9) if part == "am" else time(13, 30),
            ends_at=time(12) if part == "am" else time(16, 30),
        )
        return Presence.objects.create(session=session, participant=self.participant, state=state)

    def only(self, *kinds: str) -> Scene:
        """Turn every other rule off."""
        rules_for(self.cast.programme)
        WatchRule.objects.filter(programme=self.cast.programme).exclude(kind__in=kinds).update(
            enabled=False
        )
        return self

    def evaluate(self, today: date = TODAY) -> list[Alert]:
        return watch_evaluate(
            programme=self.cast.programme, actor=Actor.job("isa watch"), today=today
        ).created


@pytest.fixture
def frozen(time_machine) -> date:
    time_machine.move_to("2025-03-26 07:00 +01:00", tick=False)
    return TODAY


@pytest.fixture
def absence(scene: Scene) -> Scene:
    """The scene with only the rule about missed half-days on."""
    return scene.only("absent_streak")


@pytest.fixture
def scene(frozen, cast: Cast) -> Scene:
    head = cast.users["head"]
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am", "wed_pm"],
        actor=Actor.of(head),
    )
    other = refer(
        cast.programme, cast.users["social_worker"], "Bonvin", "Lise", birth_date=date(1981, 2, 3)
    ).participant
    people.participant_admit(participant=other, on=date(2024, 3, 4), actor=Actor.of(head))
    workshop = cast.session.workshop
    sessions = []
    day = FIRST
    while day <= LAST:
        if day.weekday() in SLOTS:
            part = SLOTS[day.weekday()]
            sessions.append(
                Session(
                    workshop=workshop,
                    on=day,
                    part=part,
                    starts_at=time(9) if part == "am" else time(13, 30),
                    ends_at=time(12) if part == "am" else time(16, 30),
                )
            )
        day += timedelta(days=1)
    Session.objects.bulk_create(sessions)
    by_key = {
        (s.on, s.part): s
        for s in Session.objects.filter(workshop=workshop, on__gte=FIRST).exclude(
            pk=cast.session.pk
        )
    }
    # Lise came every time until yesterday: every register was filled in.
    Presence.objects.bulk_create(
        [
            Presence(session=s, participant=other, state=PresenceState.PRESENT)
            for (d, _p), s in by_key.items()
            if d < TODAY
        ]
    )
    return Scene(cast, other, by_key)
