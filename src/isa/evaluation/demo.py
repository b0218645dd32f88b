"""The evaluation in the demo: two rounds of questionnaires (at entry and about six months
later) for most accompanied people, some "not today", effects grids from both perspectives,
and health indicators for those who gave their health-data consent.  Fictional and
deterministic (the shared seeded random generator)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from isa.core.actor import Actor
from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.evaluation import services
from isa.evaluation.catalogue import Choice, choices_for
from isa.evaluation.effects import EFFECTS
from isa.evaluation.instruments import Instrument
from isa.evaluation.models import Administration, Mode, PeriodKind, Perspective
from isa.people.models import Participant

SOCIAL_WORKER = "nicolas.rey@demo.isa.example"
HEAD = "claire.favre@demo.isa.example"

COMMENTS_PARTICIPANT = [
    "Je sors un peu plus, je viens à l'atelier même quand il pleut.",
    "Je dors mieux les jours d'atelier.",
    "J'ai montré mes dessins à ma sœur.",
    "Parfois je ne pense qu'à l'atelier, le reste de la semaine est long.",
    "C'est moi qui ai appelé l'assurance cette fois.",
]
COMMENTS_PROFESSIONAL = [
    "Parle davantage avec les autres pendant la pause.",
    "Arrive à l'heure, organise son matériel seul·e.",
    "A évoqué un cours du soir, sans pression de notre part.",
    "Demande souvent à l'équipe de s'occuper de ses courriers : à discuter ensemble.",
    "Semble plus calme, reste jusqu'à la fin de l'atelier.",
]


def answers_around(
    instrument: Instrument, level: float, rng: random.Random
) -> dict[int, int | None]:
    """Answers whose primary score sits around ``level`` (0 = worst, 1 = best)."""
    position = level if instrument.primary.higher_is_better else 1 - level
    answers: dict[int, int | None] = {}
    for item in instrument.items:
        options = sorted(o.value for o in instrument.options_for(item))
        pos = 1 - position if item.reverse else position
        index = round(pos * (len(options) - 1) + rng.uniform(-0.6, 0.6))
        answers[item.number] = options[min(max(index, 0), len(options) - 1)]
    return answers


def _seed_questionnaires(
    people: list[Participant], choices: dict[str, Choice], rng: random.Random, actor: Actor
) -> None:
    today = timezone.localdate()
    for index, person in enumerate(people):
        entry = person.accompanied_since or today
        codes = ["who5"] + [c for c in ("djg6", "rses", "osss3", "gse") if rng.random() < 0.55]
        codes = [c for c in codes if c in choices]
        trend = rng.random()
        if index in (3, 11):
            delta = -rng.uniform(0.15, 0.25)  # things went less well
        elif trend < 0.62:
            delta = rng.uniform(0.08, 0.3)
        else:
            delta = rng.uniform(-0.05, 0.05)
        first_on = min(entry + timedelta(days=rng.randint(3, 20)), today)
        second_on = first_on + timedelta(days=rng.randint(175, 200))
        for code in codes:
            choice = choices[code]
            level = rng.uniform(0.25, 0.55)
            if index == 5 and code == "who5":
                level = 0.2
            if rng.random() < 0.08:
                services.administration_decline(
                    participant=person, choice=choice, on=first_on, actor=actor
                )
            else:
                a = services.administration_enter_paper(
                    participant=person,
                    choice=choice,
                    on=first_on,
                    answers=answers_around(choice.instrument, level, rng),
                    actor=actor,
                )
                if rng.random() < 0.5:
                    Administration.objects.filter(pk=a.pk).update(mode=Mode.TABLET)
            if second_on > today:
                continue
            if rng.random() < 0.1:
                services.administration_decline(
                    participant=person, choice=choice, on=second_on, actor=actor
                )
                continue
            later = min(max(level + delta + rng.uniform(-0.05, 0.05), 0.02), 0.98)
            answers = answers_around(choice.instrument, later, rng)
            if rng.random() < 0.07 and len(answers) > 3:
                answers[max(answers)] = None  # a question skipped
            services.administration_enter_paper(
                participant=person, choice=choice, on=second_on, answers=answers, actor=actor
            )


def _seed_effects(people: list[Participant], rng: random.Random, actor: Actor) -> None:
    today = timezone.localdate()
    for index, person in enumerate(people[:9]):
        entry = person.accompanied_since or today
        dates = [min(entry + timedelta(days=rng.randint(60, 90)), today)]
        later = dates[0] + timedelta(days=rng.randint(170, 200))
        if later <= today:
            dates.append(later)
        for round_index, on in enumerate(dates):
            for perspective in (Perspective.PARTICIPANT, Perspective.PROFESSIONAL):
                values = {}
                for effect in EFFECTS:
                    if effect.perverse:
                        level = 1 + (rng.random() < 0.35) + (index == 2 and round_index == 1)
                    else:
                        level = rng.choice([3, 3, 4, 4, 4, 5] if round_index else [3, 3, 3, 4])
                        if effect.code == "isolation":
                            level = 6 - level  # less isolation
                        if effect.code == "employment_steps":
                            level = rng.choice([3, 3, 3, 4])
                    comments = (
                        COMMENTS_PARTICIPANT
                        if perspective == Perspective.PARTICIPANT
                        else COMMENTS_PROFESSIONAL
                    )
                    comment = rng.choice(comments) if rng.random() < 0.2 else ""
                    values[effect.code] = {"level": level, "comment": comment}
                services.effects_record(
                    participant=person, perspective=perspective, on=on, values=values, actor=actor
                )


MEDICATION_PATTERNS = [
    {"antidepressants": "reduced"},
    {"antidepressants": "stopped"},
    {"antidepressants": "same", "anxiolytics": "reduced"},
    {"antipsychotics": "same"},
    {"opioid_substitution": "same"},
    {"antidepressants": "reduced", "anxiolytics": "stopped"},
    {},
    {"antidepressants": "increased"},
]


COST_SOURCE = "Décompte annuel de l'assurance maladie"


def health_baseline(rng: random.Random) -> tuple[Decimal, int, int]:
    """The year before the programme: costs (CHF), hospital days, emergency visits."""
    costs = Decimal(rng.randint(6000, 26000)) + Decimal(rng.randint(0, 99)) / 100
    return costs, rng.choice([0, 0, 0, 5, 12, 21, 30]), rng.choice([0, 1, 1, 2, 3, 4])


def health_follow_up(
    baseline: tuple[Decimal, int, int], factor: Decimal, index: int, rng: random.Random
) -> dict[str, Any]:
    """A later year: the baseline's costs times ``factor``, fewer hospital days and
    emergency visits, and the ``index``-th medication pattern (keyword arguments of
    ``health_period_record``)."""
    costs, hospital, emergency = baseline
    return {
        "costs_chf": (costs * factor).quantize(Decimal("0.05")),
        "hospital_days": max(hospital - rng.choice([0, 5, 10, 21]), 0),
        "emergency_visits": max(emergency - rng.choice([0, 1, 2]), 0),
        "medications": MEDICATION_PATTERNS[index % len(MEDICATION_PATTERNS)],
    }


def _seed_health(people: list[Participant], rng: random.Random, actor: Actor) -> None:
    today = timezone.localdate()
    year = timedelta(days=365)
    for index, person in enumerate(people):
        if not services.health_allowed(person):
            continue
        entry = person.accompanied_since or today
        baseline = health_baseline(rng)
        costs, hospital, emergency = baseline
        services.health_period_record(
            participant=person,
            kind=PeriodKind.BASELINE,
            starts_on=entry - year,
            ends_on=entry - timedelta(days=1),
            costs_chf=costs,
            cost_source=COST_SOURCE,
            hospital_days=hospital,
            emergency_visits=emergency,
            actor=actor,
        )
        if today - entry < year:
            continue
        factor = Decimal(str(round(rng.uniform(0.25, 0.62), 2)))
        if index % 7 == 3:
            factor = Decimal("1.08")  # costs rose for one person
        services.health_period_record(
            participant=person,
            kind=PeriodKind.FOLLOW_UP,
            starts_on=today - year,
            ends_on=today - timedelta(days=1),
            cost_source=COST_SOURCE,
            **health_follow_up(baseline, factor, index, rng),
            actor=actor,
        )


def seed_evaluation(context: dict[str, object]) -> None:
    rng: random.Random = context["rng"]  # type: ignore[assignment]
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    actor = demo_actor(users[SOCIAL_WORKER])
    people = list(
        Participant.objects.in_programme(programme).occupying().order_by("accompanied_since", "pk")
    )
    choices = {c.instrument.code: c for c in choices_for(programme) if c.loaded is None}
    _seed_questionnaires(people[:-2], choices, rng, actor)  # the newest two: not yet
    _seed_effects(people, rng, actor)
    _seed_health(people, rng, actor)
