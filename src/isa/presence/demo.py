"""Two years of workshops and presence for the demo: about 80 % of pact half-days, with
gaps and returns, a few noted absences, media worked on.  Fictional and deterministic."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta

from django.utils import timezone

from isa.core.models import Programme, User
from isa.people.models import Pact, Participant, Pause, Stay, pact_in_force
from isa.presence import services
from isa.presence.models import (
    AbsenceReason,
    CheckInSymbol,
    ClosureDay,
    HalfDayPart,
    Medium,
    Presence,
    PresenceState,
    Recurrence,
    Session,
    Workshop,
    half_day_code,
)
from isa.presence.rates import accompanied_periods
from isa.presence.symbols import CODES

AM, PM = HalfDayPart.MORNING, HalfDayPart.AFTERNOON
#: (title, room, media codes, [(weekday, part)])
WORKSHOPS = [
    ("Peinture et dessin", "Grande salle", ["painting", "drawing"], [(0, AM), (2, AM), (3, PM)]),
    ("Sculpture et gravure", "Atelier du fond", ["sculpture", "engraving"], [(1, PM), (3, AM)]),
    ("Photographie", "Labo", ["photography"], [(2, PM)]),
    ("Écriture", "Bibliothèque", ["writing"], [(4, AM)]),
    (
        "Atelier libre",
        "Grande salle",
        ["painting", "drawing", "sculpture", "writing", "other"],
        [(0, PM), (1, AM), (4, PM)],
    ),
]


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return date(year, month, day)


def closure_days(year: int) -> list[tuple[date, str]]:
    """Public holidays in Valais and the Christmas break."""
    e = easter(year)
    days = [
        (date(year, 1, 1), "Nouvel An"),
        (date(year, 1, 2), "Vacances de fin d'année"),
        (date(year, 3, 19), "Saint-Joseph"),
        (e - timedelta(days=2), "Vendredi saint"),
        (e + timedelta(days=1), "Lundi de Pâques"),
        (e + timedelta(days=39), "Ascension"),
        (e + timedelta(days=50), "Lundi de Pentecôte"),
        (e + timedelta(days=60), "Fête-Dieu"),
        (date(year, 8, 1), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 12, 8), "Immaculée Conception"),
        (date(year, 6, 12), "Formation de l'équipe"),
    ]
    days += [(date(year, 12, d), "Vacances de fin d'année") for d in range(24, 32)]
    return [(d, reason) for d, reason in days if d.weekday() < 5]


def closure_days_between(start: date, end: date) -> dict[date, str]:
    """The closure days from ``start`` to ``end`` (both included), each once: on a day that
    is two things at once, the first reason of ``closure_days`` wins."""
    closed: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, reason in closure_days(year):
            if start <= day <= end:
                closed.setdefault(day, reason)
    return closed


def seed_presence(context: dict[str, object]) -> None:
    rng: random.Random = context["rng"]  # type: ignore[assignment]
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    today = timezone.localdate()
    start = today - timedelta(days=730)
    media = {m.code: m for m in Medium.objects.filter(organisation__isnull=True)}
    facilitators = [users["lea.bonvin@demo.isa.example"], users["marc.berthod@demo.isa.example"]]

    for title, room, codes, slots in WORKSHOPS:
        workshop = Workshop.objects.create(programme=programme, title=title, room=room, capacity=12)
        workshop.media.set([media[c] for c in codes])
        workshop.facilitators.set(facilitators)
        for weekday, part in slots:
            Recurrence.objects.create(
                workshop=workshop, weekday=weekday, part=part, starts_on=start
            )
    closed = closure_days_between(date(start.year, 1, 1), date(today.year + 1, 12, 31))
    ClosureDay.objects.bulk_create(
        [ClosureDay(programme=programme, on=d, reason=r) for d, r in closed.items()],
        ignore_conflicts=True,
    )
    services.sessions_generate(programme=programme, start=start, end=today + timedelta(weeks=8))

    sessions_by_half_day: dict[tuple[date, str], list[Session]] = defaultdict(list)
    for session in (
        Session.objects.of_programme(programme)
        .held()
        .filter(on__lt=today)
        .prefetch_related("workshop__media")
    ):
        sessions_by_half_day[(session.on, session.part)].append(session)

    people = list(Participant.objects.filter(programme=programme, accompanied_since__isnull=False))
    stays = defaultdict(list)
    for stay in Stay.objects.filter(participant__in=people):
        stays[stay.participant_id].append(stay)
    pauses = list(Pause.objects.filter(stay__participant__in=people))
    pacts = defaultdict(list)
    for pact in Pact.objects.filter(participant__in=people).order_by("valid_from"):
        pacts[pact.participant_id].append(pact)

    presences: list[Presence] = []
    for person in people:
        fidelity = rng.uniform(0.8, 0.97)
        favourite = rng.choice(list(media.values()))
        gap_until = date.min
        for a, b in accompanied_periods(stays[person.pk], pauses, today - timedelta(days=1)):
            for (day, part), sessions in sorted(sessions_by_half_day.items()):
                if not a <= day <= b:
                    continue
                pact = pact_in_force(pacts[person.pk], day)
                expected = pact is not None and half_day_code(day, part) in pact.half_days
                if day < gap_until:
                    came = False
                elif expected:
                    if rng.random() < 0.008:  # a harder stretch: a few weeks away
                        gap_until = day + timedelta(days=rng.randint(10, 35))
                        came = False
                    else:
                        came = rng.random() < fidelity
                else:
                    came = rng.random() < 0.03
                session = sessions[0] if len(sessions) == 1 else rng.choice(sessions)
                if came:
                    own = list(session.workshop.media.all())
                    medium = (
                        favourite if favourite in own and rng.random() < 0.7 else rng.choice(own)
                    )
                    start_minutes = (
                        session.starts_at.hour * 60 + session.starts_at.minute + rng.randint(0, 40)
                    )
                    left = None
                    if rng.random() < 0.3:
                        end_minutes = (
                            session.ends_at.hour * 60 + session.ends_at.minute - rng.randint(15, 70)
                        )
                        left = time(end_minutes // 60, end_minutes % 60)
                    presences.append(
                        Presence(
                            session=session,
                            participant=person,
                            state=PresenceState.PRESENT,
                            arrived_at=time(start_minutes // 60, start_minutes % 60),
                            left_at=left,
                            medium=None if rng.random() < 0.08 else medium,
                        )
                    )
                elif expected and rng.random() < 0.3:
                    presences.append(
                        Presence(
                            session=session,
                            participant=person,
                            state=PresenceState.ABSENT,
                            absence_reason=rng.choice(AbsenceReason.values),
                        )
                    )
    Presence.objects.bulk_create(presences, batch_size=1000, ignore_conflicts=True)

    for person, symbol in zip(people, rng.sample(CODES, len(people)), strict=False):
        CheckInSymbol.objects.create(participant=person, symbol=symbol)
