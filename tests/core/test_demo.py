"""`isa seed-demo`: a fictional, complete demo, loaded once.

The demo is seeded once for every test that reads it (the ``demo`` fixture, tests/conftest.py).
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from isa.core.models import Membership, Programme, Role
from isa.people.models import Participant, Status, Stay


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_every_role_and_a_full_programme(demo: str):
    output = demo
    programme = Programme.objects.get(name="ISA Sion")
    assert programme.capacity == 22
    roles = set(Membership.objects.filter(programme=programme).values_list("role", flat=True))
    assert roles == set(Role.values)
    people = Participant.objects.filter(programme=programme)
    assert people.filter(status__in=[Status.ACTIVE, Status.PAUSED]).count() == 22
    assert people.filter(status=Status.WAITING).count() == 5
    assert people.filter(status=Status.EXITED).count() == 3
    came_back = [p for p in people if Stay.objects.filter(participant=p).count() > 1]
    assert len(came_back) == 1
    assert "Atelier-Sion-2026" in output
    assert "claire.favre@demo.isa.example" in output


def test_seeding_twice_changes_nothing(demo: str):
    counts = (Participant.objects.count(), Stay.objects.count(), Membership.objects.count())
    assert "nothing changed" in seed()
    assert (Participant.objects.count(), Stay.objects.count(), Membership.objects.count()) == counts
