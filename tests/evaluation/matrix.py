"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py).

Questionnaires, the effects grid and health data: head and social workers only (FILES);
facilitators and watchers 403, like the external roles; another organisation 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import Administration, HealthPeriod, PeriodKind
from isa.evaluation.services import administration_enter_paper
from isa.people.models import ConsentKind, ConsentMethod, ConsentState
from isa.people.services import consent_record
from tests.conftest import Cast
from tests.matrix import FILES, Case, only, participant, programme


def administration(c: Cast) -> dict[str, Any]:
    """A WHO-5 being answered on the tablet by the cast's participant, made on demand."""
    choice = choice_for(c.programme, "who5")
    a = Administration.objects.create(
        programme=c.programme,
        participant=c.participant,
        instrument_code=choice.instrument.code,
        instrument_version=choice.instrument.version,
        instrument_title="WHO-5",
        on=date(2024, 4, 1),
        mode="tablet",
        entered_by=c.users["social_worker"],
    )
    return {"programme_id": c.programme.pk, "administration_id": a.pk}


def item(c: Cast) -> dict[str, Any]:
    return {**administration(c), "number": 1}


def health_period(c: Cast) -> dict[str, Any]:
    consent_record(
        participant=c.participant,
        kind=ConsentKind.HEALTH,
        state=ConsentState.GIVEN,
        on=date(2024, 3, 4),
        method=ConsentMethod.PAPER,
        actor=c.actor("social_worker"),
    )
    p = HealthPeriod.objects.create(
        programme=c.programme,
        participant=c.participant,
        kind=PeriodKind.BASELINE,
        starts_on=date(2023, 3, 4),
        ends_on=date(2024, 3, 3),
    )
    return {"programme_id": c.programme.pk, "period_id": p.pk}


def group_chart(c: Cast) -> dict[str, Any]:
    """A chart of the group results: the cast's participant answered the WHO-5 twice."""
    for on, value in ((date(2024, 3, 10), 1), (date(2024, 9, 10), 4)):
        administration_enter_paper(
            participant=c.participant,
            choice=choice_for(c.programme, "who5"),
            on=on,
            answers=dict.fromkeys(range(1, 6), value),
            actor=c.actor("social_worker"),
        )
    return {"programme_id": c.programme.pk, "instrument": "who5", "loaded": 0, "kind": "categories"}


MATRIX: dict[str, Case] = {
    "evaluation_person": Case(kwargs=participant, expect=only(FILES)),
    "questionnaire_start": Case(kwargs=participant, expect=only(FILES)),
    "questionnaire_paper": Case(
        kwargs=participant, data=lambda c: {"instrument": "who5"}, expect=only(FILES)
    ),
    "questionnaire_decline": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"instrument": "who5"},
        expect=only(FILES, ok=302),
    ),
    "effects_grid": Case(kwargs=participant, expect=only(FILES)),
    "effects_record": Case(kwargs=participant, expect=only(FILES)),
    "health_indicators": Case(kwargs=participant, expect=only(FILES)),
    "health_delete": Case(kwargs=health_period, method="post", expect=only(FILES, ok=302)),
    "administration_detail": Case(kwargs=administration, expect=only(FILES)),
    "questionnaire_close": Case(kwargs=administration, method="post", expect=only(FILES, ok=302)),
    "questionnaire_intro": Case(kwargs=administration, expect=only(FILES)),
    "questionnaire_item": Case(kwargs=item, expect=only(FILES)),
    "questionnaire_stop": Case(kwargs=administration, method="post", expect=only(FILES, ok=302)),
    "questionnaire_done": Case(kwargs=administration, expect=only(FILES, ok=302)),
    "questionnaire_unlock": Case(kwargs=administration, expect=only(FILES)),
    "evaluation_group": Case(kwargs=programme, expect=only(FILES)),
    "evaluation_group_chart": Case(kwargs=group_chart, expect=only(FILES)),
    "instrument_list": Case(kwargs=programme, expect=only(FILES)),
    "instrument_upload": Case(kwargs=programme, expect=only({"head"})),
}
