"""Sessions follow the recurrences: created, moved, removed — never a marked one."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from isa.presence import services
from isa.presence.models import ClosureDay, Presence, PresenceState, Recurrence, Session
from tests.conftest import Cast

START, END = date(2025, 3, 3), date(2025, 3, 30)


@pytest.fixture
def monday_morning(cast: Cast, time_machine) -> Recurrence:
    time_machine.move_to("2025-03-02 18:00 +01:00", tick=False)  # a Sunday evening
    Session.objects.all().delete()
    recurrence = cast.session.recurrence
    recurrence.starts_on = date(2025, 1, 6)
    recurrence.save()
    return recurrence


def generate(cast: Cast) -> int:
    return services.sessions_generate(programme=cast.programme, start=START, end=END)


def days(cast: Cast) -> list[date]:
    return list(
        Session.objects.of_programme(cast.programme).order_by("on").values_list("on", flat=True)
    )


def test_sessions_are_made_once_and_skip_closure_days(cast: Cast, monday_morning):
    ClosureDay.objects.create(programme=cast.programme, on=date(2025, 3, 17), reason="Formation")
    assert generate(cast) == 3
    assert days(cast) == [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 24)]
    assert generate(cast) == 0
    assert Session.objects.get(on=date(2025, 3, 3)).starts_at == time(9)


def test_moving_a_recurrence_moves_future_sessions_but_keeps_marked_ones(
    cast: Cast, monday_morning
):
    generate(cast)
    marked = Session.objects.get(on=date(2025, 3, 10))
    Presence.objects.create(
        session=marked, participant=cast.participant, state=PresenceState.PRESENT
    )
    monday_morning.weekday = 2  # now on Wednesdays, starting at 09:30
    monday_morning.start_time = time(9, 30)
    monday_morning.save()
    assert generate(cast) == 4
    assert days(cast) == [
        date(2025, 3, 5),
        date(2025, 3, 10),
        date(2025, 3, 12),
        date(2025, 3, 19),
        date(2025, 3, 26),
    ]
    assert Session.objects.get(on=date(2025, 3, 5)).starts_at == time(9, 30)


def test_an_inactive_workshop_loses_its_future_sessions(cast: Cast, monday_morning):
    generate(cast)
    workshop = monday_morning.workshop
    workshop.active = False
    workshop.save()
    generate(cast)
    assert days(cast) == []


def test_a_closure_is_refused_when_someone_came_but_not_for_a_noted_absence(
    cast: Cast, monday_morning
):
    generate(cast)
    session = Session.objects.get(on=date(2025, 3, 3))
    absence = Presence.objects.create(
        session=session, participant=cast.participant, state=PresenceState.ABSENT
    )
    services.closure_add(
        programme=cast.programme, on=date(2025, 3, 3), reason="Neige", actor=cast.actor("head")
    )
    assert not Presence.objects.filter(pk=absence.pk).exists()
    session.refresh_from_db()
    assert session.cancelled
    other = Session.objects.get(on=date(2025, 3, 10))
    Presence.objects.create(
        session=other, participant=cast.participant, state=PresenceState.PRESENT
    )
    with pytest.raises(ValidationError):
        services.closure_add(
            programme=cast.programme, on=date(2025, 3, 10), reason="", actor=cast.actor("head")
        )
    assert not ClosureDay.objects.filter(on=date(2025, 3, 10)).exists()


def test_the_database_keeps_recurrences_sound(cast: Cast):
    workshop = cast.session.workshop
    with pytest.raises(IntegrityError), transaction.atomic():
        Recurrence.objects.create(
            workshop=workshop, weekday=0, part="am", starts_on=date(2025, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Recurrence.objects.create(
            workshop=workshop,
            weekday=1,
            part="am",
            starts_on=date(2025, 1, 1),
            start_time=time(11),
            end_time=time(10),
        )
