"""Presence rates on a month computed by hand."""

from __future__ import annotations

from datetime import date, time

import pytest

from isa.core.actor import Actor
from isa.people import services as people
from isa.presence.models import ClosureDay, Presence, PresenceState, Session
from isa.presence.rates import compute
from tests.conftest import Cast, refer

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@pytest.fixture
def march(cast: Cast) -> dict[date, Session]:
    """Monday mornings and Wednesday afternoons of March 2025; Wednesday 19 is closed."""
    workshop = cast.session.workshop
    sessions = {}
    for day in (3, 10, 17, 24, 31):
        on = date(2025, 3, day)
        sessions[on] = Session.objects.create(
            workshop=workshop, on=on, part="am", starts_at=time(9), ends_at=time(12)
        )
    for day in (5, 12, 19, 26):
        on = date(2025, 3, day)
        sessions[on] = Session.objects.create(
            workshop=workshop,
            on=on,
            part="pm",
            starts_at=time(13, 30),
            ends_at=time(16, 30),
            cancelled=day == 19,
        )
    ClosureDay.objects.create(programme=cast.programme, on=date(2025, 3, 19), reason="Formation")
    return sessions


def mark(cast: Cast, session: Session, state=PresenceState.PRESENT, arrived=None, left=None):
    return Presence.objects.create(
        session=session,
        participant=cast.participant,
        state=state,
        arrived_at=arrived if state == PresenceState.PRESENT else None,
        left_at=left,
    )


def test_rate_against_the_pact_computed_by_hand(cast: Cast, march):
    p = cast.participant
    head = cast.users["head"]
    people.pact_renegotiate(
        participant=p, valid_from=date(2024, 3, 4), half_days=["mon_am"], actor=Actor.of(head)
    )
    people.pact_renegotiate(
        participant=p,
        valid_from=date(2025, 3, 17),
        half_days=["mon_am", "wed_pm"],
        actor=Actor.of(head),
    )
    s = march
    mark(cast, s[date(2025, 3, 3)], arrived=time(9, 30), left=time(11, 30))  # 2 h
    mark(cast, s[date(2025, 3, 10)], state=PresenceState.ABSENT)
    mark(cast, s[date(2025, 3, 17)], arrived=time(9))  # 3 h
    mark(cast, s[date(2025, 3, 24)], arrived=time(9))  # 3 h
    mark(cast, s[date(2025, 3, 5)], arrived=time(13, 30))  # outside the pact then: 3 h
    mark(cast, s[date(2025, 3, 26)], arrived=time(13, 30))  # 3 h

    figures = compute(cast.programme, *MARCH)
    person = figures.people[p.pk]
    # Expected: Mondays 3, 10, 17, 24, 31 (pact mon_am) and Wednesday 26 (wed_pm from the
    # 17th; the 19th was closed) = 6.  Came on 3, 17, 24 and 26 = 4.  Wednesday 5 = extra.
    assert person.expected == 6
    assert person.attended == 4
    assert person.rate == pytest.approx(4 / 6)
    assert person.extra == 1
    assert person.half_days == 5
    assert person.hours == pytest.approx(2 + 3 + 3 + 3 + 3)
    assert figures.rate == pytest.approx(4 / 6)
    assert len(figures.open_half_days) == 8  # 9 sessions, one cancelled


def test_a_pause_is_not_expected(cast: Cast, march):
    p = cast.participant
    head = cast.users["head"]
    people.pact_renegotiate(
        participant=p, valid_from=date(2024, 3, 4), half_days=["mon_am"], actor=Actor.of(head)
    )
    with_time = date(2025, 3, 10)
    people.participant_pause(participant=p, on=with_time, reason="", actor=Actor.of(head))
    people.participant_resume(
        participant=p, on=date(2025, 3, 24), actor=Actor.of(head)
    )  # back on the 24th
    mark(cast, march[date(2025, 3, 24)], arrived=time(9))
    person = compute(cast.programme, *MARCH).people[p.pk]
    # Mondays 10 and 17 are in the pause: expected 3, 24, 31.
    assert person.expected == 3
    assert person.attended == 1


def test_no_pact_means_no_rate_but_activity_counts(cast: Cast, march):
    mark(cast, march[date(2025, 3, 3)], arrived=time(9))
    person = compute(cast.programme, *MARCH).people[cast.participant.pk]
    assert person.expected == 0
    assert person.rate is None
    assert person.half_days == 1


def test_two_workshops_on_the_same_half_day_count_once(cast: Cast, march):
    from isa.presence.models import Workshop

    other = Workshop.objects.create(programme=cast.programme, title="Photo")
    twin = Session.objects.create(
        workshop=other, on=date(2025, 3, 3), part="am", starts_at=time(9), ends_at=time(12)
    )
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am"],
        actor=cast.actor("head"),
    )
    mark(cast, twin, arrived=time(9))
    person = compute(cast.programme, *MARCH).people[cast.participant.pk]
    assert person.expected == 5
    assert person.attended == 1


def test_the_rate_only_counts_days_of_the_stay(cast: Cast, march):
    newcomer = refer(cast.programme, cast.users["head"], "Nouveau", "Luc").participant
    people.participant_admit(participant=newcomer, on=date(2025, 3, 17), actor=cast.actor("head"))
    people.pact_renegotiate(
        participant=newcomer,
        valid_from=date(2025, 3, 17),
        half_days=["mon_am"],
        actor=cast.actor("head"),
    )
    person = compute(cast.programme, *MARCH).people[newcomer.pk]
    assert person.expected == 3  # 17, 24, 31


MONDAY = date(2025, 3, 10)


@pytest.fixture
def monday_morning(cast: Cast, march) -> Session:
    """The pact asks for Monday mornings; the session of Monday 10 March runs 9:00–12:00."""
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am"],
        actor=cast.actor("head"),
    )
    return march[MONDAY]


def monday_figures(cast: Cast):
    return compute(cast.programme, date(2025, 3, 10), date(2025, 3, 10)).people[cast.participant.pk]


def test_before_the_session_starts_the_morning_is_not_missed(
    cast: Cast, monday_morning, time_machine
):
    time_machine.move_to("2025-03-10 08:45 +01:00", tick=False)
    person = monday_figures(cast)
    assert person.expected == 0
    assert person.rate is None


def test_during_the_session_the_morning_is_not_missed_yet(cast: Cast, monday_morning, time_machine):
    time_machine.move_to("2025-03-10 11:59 +01:00", tick=False)
    assert monday_figures(cast).expected == 0


def test_once_the_session_has_ended_the_morning_counts_as_missed(
    cast: Cast, monday_morning, time_machine
):
    time_machine.move_to("2025-03-10 12:00 +01:00", tick=False)
    person = monday_figures(cast)
    assert person.expected == 1
    assert person.attended == 0
    assert person.rate == 0


def test_a_recorded_arrival_counts_before_the_session_ends(
    cast: Cast, monday_morning, time_machine
):
    time_machine.move_to("2025-03-10 09:20 +01:00", tick=False)
    mark(cast, monday_morning, arrived=time(9, 15))
    person = monday_figures(cast)
    assert person.expected == 1
    assert person.attended == 1
    assert person.rate == 1


def test_an_absence_noted_in_the_morning_counts_before_the_session_ends(
    cast: Cast, monday_morning, time_machine
):
    time_machine.move_to("2025-03-10 08:30 +01:00", tick=False)
    mark(cast, monday_morning, state=PresenceState.ABSENT)
    person = monday_figures(cast)
    assert person.expected == 1
    assert person.attended == 0


def test_the_morning_of_yesterday_counts_whatever_the_hour(
    cast: Cast, monday_morning, time_machine
):
    time_machine.move_to("2025-03-11 07:00 +01:00", tick=False)
    assert monday_figures(cast).expected == 1
