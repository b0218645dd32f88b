from __future__ import annotations

from datetime import date

import pytest

from isa.evaluation.catalogue import choice_for
from isa.people.models import ConsentKind, ConsentMethod, ConsentState
from isa.people.services import consent_record
from tests.conftest import Cast


@pytest.fixture
def who5(cast: Cast):
    return choice_for(cast.programme, "who5")


def give_health_consent(cast: Cast, participant=None, on: date = date(2024, 3, 4)) -> None:
    consent_record(
        participant=participant or cast.participant,
        kind=ConsentKind.HEALTH,
        state=ConsentState.GIVEN,
        on=on,
        method=ConsentMethod.PAPER,
        actor=cast.actor("social_worker"),
    )
