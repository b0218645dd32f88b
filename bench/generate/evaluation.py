"""Questionnaires (two rounds), effects grids and health indicators of one programme.

The rows hold what ``evaluation.services`` would store — the instrument's code, version,
title and hash, the answers keyed by item number, ``score(answers).as_json()``, the primary
value, the signal and the status (complete, partial or declined) — written with
``bulk_create``: no audit event, and no ``questionnaire_scored`` signal (so the watch's
low-score rule raises no alert for them).  Answers and health figures are drawn as the
evaluation demo draws them (``isa.evaluation.demo``)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from isa.evaluation.catalogue import instrument_hash
from isa.evaluation.demo import COST_SOURCE, answers_around, health_baseline, health_follow_up
from isa.evaluation.effects import EFFECTS
from isa.evaluation.instruments import Instrument, get_instrument
from isa.evaluation.models import (
    Administration,
    AdministrationStatus,
    EffectAssessment,
    HealthPeriod,
    Mode,
    PeriodKind,
    Perspective,
)
from isa.people.models import ConsentKind, ConsentState

from .common import BATCH, Plan, Scope

#: The shipped questionnaires, in two rounds: at entry and about six months later.
INSTRUMENTS = ("who5", "djg6", "rses", "osss3", "gse")
#: The questionnaire tool exists since this many years: people accompanied earlier have none.
EVALUATION_YEARS = 3
#: People of a programme with an effects grid (both perspectives, one or two rounds).
EFFECTS_PEOPLE = 9

#: (plan, entry, end of the last stay) of the people asked to answer.
Evaluated = tuple[Plan, date, date]


class _Rounds:
    """Fills one programme's questionnaires: the rows, and the second rounds per person."""

    def __init__(self, scope: Scope, rng: random.Random) -> None:
        self.scope, self.rng = scope, rng
        self.instruments = [get_instrument(code) for code in INSTRUMENTS]
        self.meta = {i.code: (instrument_hash(i), str(i.title)[:200]) for i in self.instruments}
        self.rows: list[Administration] = []
        self.second_rounds: dict[int, int] = {}

    def administration(
        self, plan: Plan, instrument: Instrument, on: date, number: int, value: float
    ) -> Administration:
        """One questionnaire on ``on``: declined now and then, else answered around
        ``value`` and scored."""
        rng = self.rng
        row = Administration(
            programme=self.scope.programme,
            participant=plan.participant,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            instrument_hash=self.meta[instrument.code][0],
            instrument_title=self.meta[instrument.code][1],
            on=on,
            mode=Mode.TABLET if rng.random() < 0.5 else Mode.PAPER,
            entered_by=self.scope.team[1],
        )
        if rng.random() < (0.08 if number == 0 else 0.1):
            row.mode = Mode.PAPER
            row.status = AdministrationStatus.DECLINED  # "not today"
            return row
        answers = answers_around(instrument, _clamped(value + rng.uniform(-0.05, 0.05)), rng)
        if number and rng.random() < 0.07 and len(answers) > 3:
            answers[max(answers)] = None  # a question skipped
        result = instrument.score(answers)
        row.answers = {str(k): answers.get(k) for k in sorted(answers)}
        row.scores = result.as_json()
        row.primary_value = result.primary.value
        row.signal = bool(result.signal)
        complete = result.complete
        row.status = AdministrationStatus.COMPLETE if complete else AdministrationStatus.PARTIAL
        if number:
            pk = plan.participant.pk
            self.second_rounds[pk] = self.second_rounds.get(pk, 0) + 1
        return row

    def person(self, plan: Plan, first_on: date, last: date) -> None:
        """Both rounds of the questionnaires of one person (some left out), up to ``last``:
        most get better, a few worse."""
        rng = self.rng
        second_on = first_on + timedelta(days=rng.randint(175, 200))
        trend = rng.random()
        delta = (
            rng.uniform(0.08, 0.3)
            if trend < 0.62
            else (-rng.uniform(0.1, 0.25) if trend > 0.92 else rng.uniform(-0.05, 0.05))
        )
        for instrument in self.instruments:
            if instrument.code != "who5" and rng.random() < 0.15:
                continue
            level = rng.uniform(0.25, 0.55)
            for number, on in enumerate((first_on, second_on)):
                if on > last:
                    break
                self.rows.append(
                    self.administration(plan, instrument, on, number, level + number * delta)
                )


def _clamped(value: float) -> float:
    return min(max(value, 0.02), 0.98)


def _questionnaires(scope: Scope, rng: random.Random) -> tuple[_Rounds, list[Evaluated]]:
    """Two rounds for most people whose last stay began in the last three years."""
    today = scope.today
    since = today - timedelta(days=EVALUATION_YEARS * 365)
    rounds = _Rounds(scope, rng)
    evaluated: list[Evaluated] = []
    for plan in scope.plans:
        if not plan.stays:
            continue
        entry = plan.stays[-1]["admitted_on"]
        end = plan.stays[-1]["exited_on"] or today
        first_on = entry + timedelta(days=rng.randint(3, 20))
        if first_on < since or first_on > min(end, today):
            continue
        evaluated.append((plan, entry, end))
        if rng.random() < 0.1:
            continue  # the newest, or someone never asked: nothing yet
        rounds.person(plan, first_on, min(end, today))
    rounds.rows.sort(key=lambda a: a.on)  # entered in time order
    Administration.objects.bulk_create(rounds.rows, batch_size=BATCH)
    return rounds, evaluated


def _effect_values(index: int, round_index: int, rng: random.Random) -> dict[str, Any]:
    """One grid: most effects at 3–4, better in the second round; the perverse effects low."""
    values = {}
    for effect in EFFECTS:
        if effect.perverse:
            level = 1 + (rng.random() < 0.35) + (index == 2 and round_index == 1)
        else:
            level = rng.choice([3, 3, 4, 4, 4, 5] if round_index else [3, 3, 3, 4])
            if effect.code == "isolation":
                level = 6 - level
        comment = "Vient plus volontiers à l'atelier." if rng.random() < 0.2 else ""
        values[effect.code] = {"level": level, "comment": comment}
    return values


def _effects(scope: Scope, evaluated: list[Evaluated], rng: random.Random) -> int:
    """The effects grid, from both perspectives, for some of the people accompanied now."""
    today = scope.today
    current = [e for e in evaluated if e[0].participant.is_occupying]
    assessments: list[EffectAssessment] = []
    for index, (plan, entry, _end) in enumerate(current[:EFFECTS_PEOPLE]):
        dates = [min(entry + timedelta(days=rng.randint(60, 90)), today)]
        later = dates[0] + timedelta(days=rng.randint(170, 200))
        if later <= today:
            dates.append(later)
        for round_index, on in enumerate(dates):
            for perspective in (Perspective.PARTICIPANT, Perspective.PROFESSIONAL):
                assessments.append(
                    EffectAssessment(
                        programme=scope.programme,
                        participant=plan.participant,
                        on=on,
                        perspective=perspective,
                        values=_effect_values(index, round_index, rng),
                        entered_by=scope.team[1],
                    )
                )
    EffectAssessment.objects.bulk_create(assessments, batch_size=BATCH)
    return len(assessments)


def _health(
    scope: Scope,
    evaluated: list[Evaluated],
    consent: dict[tuple[int, str], str],
    rng: random.Random,
) -> int:
    """Health indicators, only for people whose health-data consent is in force: the year
    before entry, and the last year for those accompanied a year or more."""
    year = timedelta(days=365)
    periods: list[HealthPeriod] = []
    for index, (plan, entry, end) in enumerate(evaluated):
        if consent.get((plan.participant.pk, ConsentKind.HEALTH)) != ConsentState.GIVEN:
            continue
        common = {
            "programme": scope.programme,
            "participant": plan.participant,
            "cost_source": COST_SOURCE,
            "entered_by": scope.team[1],
        }
        baseline = health_baseline(rng)
        costs, hospital, emergency = baseline
        periods.append(
            HealthPeriod(
                kind=PeriodKind.BASELINE,
                starts_on=entry - year,
                ends_on=entry - timedelta(days=1),
                costs_chf=costs,
                hospital_days=hospital,
                emergency_visits=emergency,
                **common,
            )
        )
        last = min(end, scope.today)
        if last - entry < year:
            continue
        factor = (
            Decimal("1.08") if index % 7 == 3 else Decimal(str(round(rng.uniform(0.25, 0.62), 2)))
        )
        periods.append(
            HealthPeriod(
                kind=PeriodKind.FOLLOW_UP,
                starts_on=last - year,
                ends_on=last - timedelta(days=1),
                **health_follow_up(baseline, factor, index, rng),
                **common,
            )
        )
    HealthPeriod.objects.bulk_create(periods, batch_size=BATCH)
    return len(periods)


def fill_evaluation(
    scope: Scope, consent: dict[tuple[int, str], str], rng: random.Random
) -> tuple[dict[str, int], dict[str, int]]:
    """Questionnaires, effects grids and health indicators of one programme: the counts,
    and the person measured (the richest in second rounds)."""
    rounds, evaluated = _questionnaires(scope, rng)
    effects = _effects(scope, evaluated, rng)
    health = _health(scope, evaluated, consent, rng)
    declined = AdministrationStatus.DECLINED
    counts = {
        "questionnaires": len(rounds.rows),
        "of which declined": sum(1 for a in rounds.rows if a.status == declined),
        "effects grids": effects,
        "health periods": health,
    }
    two = sorted(rounds.second_rounds, key=lambda pk: (-rounds.second_rounds[pk], pk))
    return counts, {"evaluation_participant_id": two[0] if two else 0}
