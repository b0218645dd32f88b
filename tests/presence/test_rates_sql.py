"""The file's presence panel reads only the half-days its rate needs (issue 17): the weekday
and the minutes worked out by the database, and the same figures as reading them all."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db.models import F

from isa.people import services as people
from isa.presence.models import (
    MinuteOfDay,
    Presence,
    PresenceState,
    Session,
    SundayWeekday,
)
from isa.presence.rates import compute
from tests.conftest import Cast

FIRST = date(2025, 3, 3)  # a Monday
LAST = date(2025, 4, 30)


def test_the_weekday_is_the_databases_and_sunday_is_zero(cast: Cast):
    workshop = cast.session.workshop
    days = [date(2025, 3, 2) + timedelta(days=n) for n in range(7)]  # Sunday to Saturday
    for day in days:
        Session.objects.create(
            workshop=workshop, on=day, part="am", starts_at=time(9), ends_at=time(12)
        )
    rows = dict(
        Session.objects.filter(on__in=days)
        .annotate(dow=SundayWeekday("on"))
        .values_list("on", "dow")
    )
    assert rows == {day: (day.weekday() + 1) % 7 for day in days}


def test_on_half_days_keeps_the_pacts_half_days_and_every_day_from_a_date(cast: Cast):
    workshop = cast.session.workshop
    for n in range(14):
        day = FIRST + timedelta(days=n)
        for part, starts in (("am", time(9)), ("pm", time(14))):
            Session.objects.create(
                workshop=workshop, on=day, part=part, starts_at=starts, ends_at=time(17)
            )
    ours = Session.objects.filter(on__range=(FIRST, FIRST + timedelta(days=13)))
    kept = set(ours.on_half_days(["mon_am", "wed_pm", "fri_pm"]).values_list("on", "part"))
    assert kept == {
        (date(2025, 3, 3), "am"),
        (date(2025, 3, 10), "am"),
        (date(2025, 3, 5), "pm"),
        (date(2025, 3, 12), "pm"),
        (date(2025, 3, 7), "pm"),
        (date(2025, 3, 14), "pm"),
    }
    assert not ours.on_half_days([]).exists()
    late = set(ours.on_half_days([], every_day_from=date(2025, 3, 15)).values_list("on", "part"))
    assert late == {(date(2025, 3, d), p) for d in (15, 16) for p in ("am", "pm")}


def test_minutes_of_the_day_drop_the_seconds(cast: Cast):
    presence = Presence.objects.create(
        session=cast.session,
        participant=cast.participant,
        state=PresenceState.PRESENT,
        arrived_at=time(9, 5, 59),
        left_at=time(16, 45),
    )
    row = (
        Presence.objects.filter(pk=presence.pk)
        .annotate(a=MinuteOfDay(F("arrived_at")), b=MinuteOfDay(F("left_at")))
        .values_list("a", "b")
        .get()
    )
    assert row == (9 * 60 + 5, 16 * 60 + 45)


@pytest.fixture
def two_months(cast: Cast) -> None:
    """Sessions on every weekday half-day of March and April 2025, two workshops on Monday
    mornings, a closure (cancelled sessions) on Wednesday 9 April, the pact changed twice,
    a pause, and presences with and without times, on and off the pact."""
    from isa.presence.models import Workshop

    other = Workshop.objects.create(programme=cast.programme, title="Photo")
    sessions = {}
    day = FIRST
    while day <= LAST:
        if day.weekday() < 5:
            for part, starts, ends in (("am", time(9), time(12)), ("pm", time(13, 30), time(16))):
                sessions[(day, part)] = Session.objects.create(
                    workshop=cast.session.workshop,
                    on=day,
                    part=part,
                    starts_at=starts,
                    ends_at=ends,
                    cancelled=day == date(2025, 4, 9),
                )
            if day.weekday() == 0:
                sessions[(day, "twin")] = Session.objects.create(
                    workshop=other, on=day, part="am", starts_at=time(8), ends_at=time(12, 30)
                )
        day += timedelta(days=1)
    p, head = cast.participant, cast.actor("head")
    people.pact_renegotiate(participant=p, valid_from=FIRST, half_days=["mon_am"], actor=head)
    people.pact_renegotiate(
        participant=p, valid_from=date(2025, 3, 20), half_days=["tue_pm", "thu_am"], actor=head
    )
    people.pact_renegotiate(
        participant=p, valid_from=date(2025, 4, 10), half_days=["wed_pm", "mon_am"], actor=head
    )
    people.participant_pause(participant=p, on=date(2025, 3, 25), reason="", actor=head)
    people.participant_resume(participant=p, on=date(2025, 4, 1), actor=head)
    for n, (_key, session) in enumerate(sorted(sessions.items(), key=lambda kv: kv[0])):
        if n % 3 == 0:
            continue
        Presence.objects.create(
            session=session,
            participant=p,
            state=PresenceState.ABSENT if n % 7 == 0 else PresenceState.PRESENT,
            arrived_at=None if n % 7 == 0 or n % 2 else time(session.starts_at.hour, 20),
            left_at=time(session.ends_at.hour - 1, 10) if n % 5 == 0 and n % 7 else None,
        )


def test_reading_only_the_pacts_half_days_gives_the_same_figures(cast: Cast, two_months):
    p = cast.participant
    window = date(2025, 4, 14)
    every = compute(cast.programme, FIRST, LAST, participant_ids=[p.pk])
    some = compute(cast.programme, FIRST, LAST, participant_ids=[p.pk], every_open_day_from=window)
    a, b = every.people[p.pk], some.people[p.pk]
    assert a.expected > 10 and a.extra > 5  # the data is not trivial
    assert (a.expected, a.attended, a.extra) == (b.expected, b.attended, b.extra)
    assert a.expected_days == b.expected_days
    assert a.present_days == b.present_days
    assert a.hours == pytest.approx(b.hours)
    assert dict(a.by_medium) == dict(b.by_medium)
    # From the window on, every open half-day (the heat-map's closed days); before it, fewer.
    assert {k for k in every.open_half_days if k[0] >= window} == {
        k for k in some.open_half_days if k[0] >= window
    }
    assert (date(2025, 4, 9), "am") not in some.open_half_days  # closed
    assert len(some.open_half_days) < len(every.open_half_days)
