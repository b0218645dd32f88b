"""The pact in force on a day: one rule, read in memory or in the database."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import prefetch_related_objects

from isa.people.models import Pact, Participant, pact_in_force
from tests.conftest import Cast


def test_the_pact_in_force_is_the_same_in_memory_and_in_the_database(cast: Cast):
    person = cast.participant
    for valid_from, half_days in [
        (date(2024, 3, 4), ["mon_am"]),
        (date(2024, 9, 2), ["mon_am", "thu_pm"]),
        (date(2025, 1, 6), ["tue_pm"]),
    ]:
        Pact.objects.create(participant=person, valid_from=valid_from, half_days=half_days)
    versions = list(Pact.objects.filter(participant=person))
    shuffled = random.Random(7).sample(versions, len(versions))
    prefetched = Participant.objects.get(pk=person.pk)
    prefetch_related_objects([prefetched], "pacts")
    day = date(2024, 3, 1)
    while day <= date(2025, 1, 10):
        in_force = pact_in_force(versions, day)
        assert pact_in_force(shuffled, day) == in_force
        assert Pact.objects.filter(participant=person).in_force_on(day) == in_force
        assert person.pact_on(day) == in_force
        assert prefetched.pact_on(day) == in_force
        day += timedelta(days=1)
    assert pact_in_force(versions, date(2024, 3, 3)) is None
    assert pact_in_force(versions, date(2024, 9, 1)).half_days == ["mon_am"]
    assert pact_in_force(versions, date(2024, 9, 2)).half_days == ["mon_am", "thu_pm"]
    assert pact_in_force([], date(2024, 9, 2)) is None


def test_a_prefetched_file_reads_its_pact_without_a_query(cast: Cast, django_assert_num_queries):
    Pact.objects.create(participant=cast.participant, valid_from=date(2024, 3, 4), half_days=[])
    person = Participant.objects.prefetch_related("pacts").get(pk=cast.participant.pk)
    with django_assert_num_queries(0):
        assert person.pact_on(date(2024, 5, 1)).valid_from == date(2024, 3, 4)
