"""The journal of small steps: about 5,000 entries per programme (500,000 at 100×).

Everyone accompanied now has 120–220 entries over their stays (an active file has hundreds,
the richest file of the measured programme about 200), the people of earlier years 10–25
each; about one entry in thirty is a group moment about two to four people.  The wording is
the journal demo's (``isa.journal.demo.ENTRIES``, one sentence in eight German) followed, most
of the time, by a second descriptive sentence; some sentences name another person of the
group.  So the searches the benchmark measures have the shapes of real ones:

- a **common word**, ``atelier``, in about 40 % of the entries;
- a **rare word**, ``accordeon``, in about one entry in 500 (about ten per programme);
- a **name**, the first name of the measured file's person, in their own entries and in a
  few of the others'.

Visibility as in the demo: restricted for half of a social worker's conversations, shared
for a third of the small steps, the team for the rest.  Rows are written with
``bulk_create`` (``search_text`` filled as ``Entry.save`` fills it); the search index of
migration 0004 follows by itself (PostgreSQL's generated columns, SQLite's triggers).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from isa.journal.demo import ENTRIES
from isa.journal.models import Entry, EntryKind, Posture, Visibility
from isa.people.models import normalize_name

from .common import BATCH, Scope, accompanied

#: Entries per person: accompanied now (or on a pause, or came back), earlier years.
CURRENT_ENTRIES = (120, 220)
ARCHIVED_ENTRIES = (10, 25)
GROUP_SHARE = 1 / 30
COMMON_WORD, RARE_WORD = "atelier", "accordeon"
RARE_SHARE = 1 / 500

SECOND = [
    "L'atelier était calme ce jour-là.",
    "Retour à l'atelier après une semaine d'absence.",
    "Le reste de l'atelier s'est passé sans difficulté.",
    "A rangé le matériel de l'atelier avec {other}.",
    "A pris le café avec {other} à la pause.",
    "Est reparti·e en bus avec {other}.",
    "Le groupe était petit, l'ambiance détendue.",
    "À reprendre lors du prochain entretien.",
    "Pas d'inquiétude particulière.",
    "A demandé quand aura lieu la prochaine sortie.",
    "Travaille sur la même série depuis trois semaines.",
    "S'est installé·e à la grande table de l'atelier.",
    "",
    "",
]
RARE = "A raconté qu'il jouait de l'accordéon dans une fanfare du val d'Hérens."
#: Who writes, by the team's index (core.TEAM): the head and social workers, facilitators.
AUTHORS = [
    (0, Posture.SOCIAL_WORKER),
    (1, Posture.SOCIAL_WORKER),
    (2, Posture.SOCIAL_WORKER),
    (3, Posture.FACILITATOR),
    (4, Posture.FACILITATOR),
    (5, Posture.WATCHER),
]


def _text(rng: random.Random, name: str, other: str) -> tuple[str, str, list[str]]:
    kind, tags, first = rng.choice(ENTRIES)
    parts = [first.format(name=name)]
    if rng.random() < RARE_SHARE:
        parts.append(RARE)
    else:
        parts.append(rng.choice(SECOND).format(other=other))
    if rng.random() < 0.25:
        parts.append(rng.choice(SECOND).format(other=other))
    return str(kind), " ".join(p for p in parts if p), [str(t) for t in tags]


def fill_journal(scope: Scope, rng: random.Random) -> dict[str, int]:
    """One programme's entries and the people they are about."""
    today = scope.today
    people = [(plan, accompanied(plan.stays, today)) for plan in scope.plans if plan.stays]
    current = [plan for plan, _ in people if any(s["exited_on"] is None for s in plan.stays)]
    entries: list[Entry] = []
    about: list[list[int]] = []
    for plan, periods in people:
        periods = [(start, end) for start, end in periods if end >= start]
        if not periods:
            continue
        low, high = CURRENT_ENTRIES if plan in current else ARCHIVED_ENTRIES
        days = sum((end - start).days + 1 for start, end in periods)
        for _ in range(rng.randint(low, high)):
            offset = rng.randrange(days)
            written_on = _day_at(periods, offset)
            index, posture = rng.choice(AUTHORS)
            others = [p for p in current if p is not plan] or [plan]
            other = rng.choice(others).participant
            kind, text, tags = _text(rng, plan.participant.first_name, other.first_name)
            visibility = Visibility.TEAM
            if kind == EntryKind.CONVERSATION and posture == Posture.SOCIAL_WORKER:
                if rng.random() < 0.5:
                    visibility = Visibility.RESTRICTED
            elif kind == EntryKind.SMALL_STEP and rng.random() < 0.3:
                visibility = Visibility.SHARED
            participants = [plan.participant.pk]
            if rng.random() < GROUP_SHARE:
                participants += [p.participant.pk for p in rng.sample(others, min(len(others), 3))][
                    : rng.randint(1, 3)
                ]
            entries.append(
                Entry(
                    programme=scope.programme,
                    author=scope.team[index],
                    written_on=written_on,
                    kind=kind,
                    tags=tags,
                    posture=posture,
                    visibility=visibility,
                    text=text,
                    search_text=normalize_name(text),
                )
            )
            about.append(participants)
    Entry.objects.bulk_create(entries, batch_size=BATCH)
    through = Entry.participants.through
    links = [
        through(entry_id=entry.pk, participant_id=pid)
        for entry, pids in zip(entries, about, strict=True)
        for pid in dict.fromkeys(pids)
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return {"journal entries": len(entries), "journal links to people": len(links)}


def _day_at(periods: list[tuple[date, date]], offset: int) -> date:
    for start, end in periods:
        length = (end - start).days + 1
        if offset < length:
            return start + timedelta(days=offset)
        offset -= length
    return periods[-1][1]
