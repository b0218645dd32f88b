"""Effects for the persons (questionnaires, the effects grid) and health, read through the
evaluation app's own read module and statistics: one definition of a paired change, of a
reliable change, of health costs before and after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from isa.evaluation.effects import EFFECTS, Effect
from isa.evaluation.models import (
    Administration,
    EffectAssessment,
    HealthPeriod,
    Perspective,
)
from isa.evaluation.results import HealthGroup, InstrumentGroup, group_results, health_results


def instrument_groups(
    programme_ids: Sequence[int], participant_ids: set[int], end: date
) -> list[InstrumentGroup]:
    """Per questionnaire, each person's first and latest answer up to ``end`` (people
    accompanied in the period), with the paired statistics of the evaluation app."""
    administrations = list(
        Administration.objects.filter(
            programme_id__in=list(programme_ids),
            participant_id__in=list(participant_ids),
            on__lte=end,
        )
        .select_related("loaded_instrument")
        .only(
            "pk",
            "participant_id",
            "instrument_code",
            "instrument_version",
            "loaded_instrument",
            "on",
            "created_at",
            "status",
            "primary_value",
        )
    )
    return group_results(administrations)


@dataclass
class GridCounts:
    """People by level (1..5) for each effect, the latest grid of each person up to the
    end of the period, one perspective."""

    perspective: str
    levels: dict[str, list[int]]  # effect code → counts for levels 1..5


def effects_grid(
    programme_ids: Sequence[int], participant_ids: set[int], end: date
) -> dict[str, GridCounts]:
    latest: dict[tuple[str, int], EffectAssessment] = {}
    for assessment in EffectAssessment.objects.filter(
        programme_id__in=list(programme_ids),
        participant_id__in=list(participant_ids),
        on__lte=end,
    ).order_by("on", "created_at", "pk"):
        latest[(assessment.perspective, assessment.participant_id)] = assessment
    result: dict[str, GridCounts] = {}
    for perspective in Perspective.values:
        counts: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
        for (view, _pid), assessment in latest.items():
            if view != perspective:
                continue
            for effect in EFFECTS:
                level = assessment.level(effect.code)
                if isinstance(level, int) and 1 <= level <= 5:
                    counts[effect.code][level - 1] += 1
        result[perspective] = GridCounts(
            perspective, {e.code: list(counts[e.code]) for e in EFFECTS}
        )
    return result


def gains() -> list[Effect]:
    return [e for e in EFFECTS if not e.perverse]


def perverse() -> list[Effect]:
    return [e for e in EFFECTS if e.perverse]


def health(
    programme_ids: Sequence[int], participant_ids: set[int], built_on: date, until: date
) -> HealthGroup:
    """Health figures of the people accompanied in the period whose health-data consent
    is in force on the day the report is built (``with_consent``: the evaluation app's
    rule), from the health periods that ended by the period's end ``until`` (its "latest
    12 months" are the latest of that period, not of a later one)."""
    periods = HealthPeriod.objects.filter(
        programme_id__in=list(programme_ids),
        participant_id__in=list(participant_ids),
        ends_on__lte=until,
    ).with_consent(built_on)
    return health_results(periods)


def health_by_programme(
    programme_ids: Sequence[int], participant_ids: set[int], built_on: date
) -> dict[int, HealthGroup]:
    """:func:`health`, programme by programme (one query), for a combined report that values
    each programme with its own cost–benefit assumptions."""
    by_programme: dict[int, list[HealthPeriod]] = defaultdict(list)
    periods = HealthPeriod.objects.filter(
        programme_id__in=list(programme_ids), participant_id__in=list(participant_ids)
    ).with_consent(built_on)
    for period in periods:
        by_programme[period.programme_id].append(period)
    return {pid: health_results(by_programme.get(pid, [])) for pid in programme_ids}
