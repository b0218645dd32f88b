"""Workshops, their calendar (closure days, sessions) and everyone's presence in one
programme.  Presence rows go straight into their table (``COPY`` or ``executemany``)."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import connection
from django.utils import timezone

from isa.people.models import Pact, Status, pact_in_force
from isa.presence.demo import WORKSHOPS, closure_days_between
from isa.presence.models import (
    DEFAULT_TIMES,
    AbsenceReason,
    CheckInSymbol,
    ClosureDay,
    HalfDayPart,
    Presence,
    PresenceSource,
    PresenceState,
    Recurrence,
    Session,
    Workshop,
    half_day_code,
)
from isa.presence.symbols import CODES as SYMBOL_CODES

from .common import BATCH, HISTORY_YEARS, Plan, Scope, accompanied

WEEKS_AHEAD = 8

#: The columns of a presence row, in the order ``Marks`` builds them.
PRESENCE_COLUMNS = (
    "session_id",
    "participant_id",
    "state",
    "arrived_at",
    "left_at",
    "medium_id",
    "absence_reason",
    "source",
    "recorded_by_id",
    "recorded_at",
)


class Clock:
    """Times and timestamps as the database driver wants them, computed once each."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self._times: dict[clock, Any] = {}
        self._stamps: dict[tuple[date, clock], Any] = {}

    def time(self, value: clock | None) -> Any:
        if value is None or not self.sqlite:
            return value
        if value not in self._times:
            self._times[value] = connection.ops.adapt_timefield_value(value)
        return self._times[value]

    def stamp(self, day: date, value: clock) -> Any:
        key = (day, value)
        if key not in self._stamps:
            aware = timezone.make_aware(datetime.combine(day, value))
            self._stamps[key] = (
                connection.ops.adapt_datetimefield_value(aware) if self.sqlite else aware
            )
        return self._stamps[key]


def write_presences(rows: list[tuple[Any, ...]]) -> None:
    """Presence rows straight into their table: ``COPY`` on PostgreSQL, ``executemany``
    elsewhere (the ORM would build two million model instances)."""
    columns = {f.column for f in Presence._meta.concrete_fields if not f.primary_key}
    if columns != set(PRESENCE_COLUMNS):
        raise RuntimeError(
            f"presence_presence has changed ({sorted(columns ^ set(PRESENCE_COLUMNS))}): "
            "update PRESENCE_COLUMNS in bench/generate/presence.py"
        )
    qn = connection.ops.quote_name
    table = qn(Presence._meta.db_table)
    names = ", ".join(qn(c) for c in PRESENCE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(PRESENCE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


# -- the calendar ------------------------------------------------------------------------------


def _workshops(scope: Scope, start: date) -> tuple[list[Workshop], list[Recurrence]]:
    """The demo's five workshops with their media, facilitators and weekly half-days (the
    ten weekday half-days, once each), and their recurrences."""
    workshops = [
        Workshop(programme=scope.programme, title=title, room=room, capacity=12)
        for title, room, _codes, _slots in WORKSHOPS
    ]
    Workshop.objects.bulk_create(workshops)
    Workshop.media.through.objects.bulk_create(
        [
            Workshop.media.through(workshop_id=w.pk, medium_id=scope.media[code])
            for w, (_t, _r, codes, _s) in zip(workshops, WORKSHOPS, strict=True)
            for code in codes
        ]
    )
    Workshop.facilitators.through.objects.bulk_create(
        [
            Workshop.facilitators.through(workshop_id=w.pk, user_id=u.pk)
            for w in workshops
            for u in scope.facilitators
        ]
    )
    recurrences = [
        Recurrence(workshop=w, weekday=weekday, part=part, starts_on=start)
        for w, (_t, _r, _c, slots) in zip(workshops, WORKSHOPS, strict=True)
        for weekday, part in slots
    ]
    Recurrence.objects.bulk_create(recurrences)
    return workshops, recurrences


def _sessions(
    recurrences: list[Recurrence], closed: dict[date, str], start: date, end: date
) -> list[Session]:
    """Every week's session of every recurrence from ``start`` to ``end``, but on closure
    days, in time order."""
    sessions = []
    for recurrence in recurrences:
        day = start + timedelta(days=(recurrence.weekday - start.weekday()) % 7)
        starts_at, ends_at = DEFAULT_TIMES[HalfDayPart(recurrence.part)]
        while day <= end:
            if day not in closed:
                sessions.append(
                    Session(
                        workshop=recurrence.workshop,
                        recurrence=recurrence,
                        on=day,
                        part=recurrence.part,
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )
                )
            day += timedelta(days=7)
    sessions.sort(key=lambda s: (s.on, s.part))
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    return sessions


# -- the marks ---------------------------------------------------------------------------------


class Marks:
    """The presence rows of one programme, as the register and the kiosk write them."""

    def __init__(
        self, scope: Scope, workshop_media: dict[int, list[int]], rng: random.Random
    ) -> None:
        self.workshop_media = workshop_media  # workshop pk -> its media's pks
        self.rng = rng
        self.facilitators = scope.facilitators
        self.clock = Clock()
        self.rows: list[tuple[Any, ...]] = []
        self.present = self.absent = 0

    def mark_present(self, session: Session, person: int, favourite: int, late: bool) -> None:
        """Present, on the medium of the person's liking if the workshop has it; entered
        afterwards (``late``) without an arrival time."""
        rng, ck = self.rng, self.clock
        own = self.workshop_media[session.workshop_id]
        medium = favourite if favourite in own and rng.random() < 0.7 else rng.choice(own)
        minutes = session.starts_at.hour * 60 + session.starts_at.minute + rng.randint(0, 40)
        arrived = clock(minutes // 60, minutes % 60)
        left = None
        if rng.random() < 0.3:
            minutes = session.ends_at.hour * 60 + session.ends_at.minute - rng.randint(15, 70)
            left = clock(minutes // 60, minutes % 60)
        kiosk = rng.random() < 0.15
        self.rows.append(
            (
                session.pk,
                person,
                PresenceState.PRESENT,
                None if late else ck.time(arrived),
                ck.time(left),
                None if rng.random() < 0.08 else medium,
                "",
                PresenceSource.KIOSK if kiosk else PresenceSource.TEAM,
                None if kiosk else rng.choice(self.facilitators).pk,
                ck.stamp(session.on, arrived),
            )
        )
        self.present += 1

    def mark_absent(self, session: Session, person: int) -> None:
        """A noted absence, most of the time with its reason."""
        rng = self.rng
        reason = rng.choice(AbsenceReason.values) if rng.random() < 0.8 else ""
        recorded_by = rng.choice(self.facilitators).pk
        self.rows.append(
            (
                session.pk,
                person,
                PresenceState.ABSENT,
                None,
                None,
                None,
                reason,
                PresenceSource.TEAM,
                recorded_by,
                self.clock.stamp(session.on, session.ends_at),
            )
        )
        self.absent += 1


def _expected_days(
    plan: Plan, past: list[tuple[date, Session, str]], past_days: list[date], until: date
) -> Iterator[tuple[date, Session, bool]]:
    """The held half-days on which the person was accompanied (not on a pause), and whether
    their pact in force that day expected them."""
    versions = sorted(plan.pacts, key=lambda p: p.valid_from)
    v = -1  # the pact in force (pact_in_force), followed day by day without a rescan
    for a, b in accompanied(plan.stays, until):
        for k in range(bisect.bisect_left(past_days, a), bisect.bisect_right(past_days, b)):
            day, session, code = past[k]
            while v + 1 < len(versions) and versions[v + 1].valid_from <= day:
                v += 1
            yield day, session, v >= 0 and code in versions[v].half_days


def _mark_history(
    marks: Marks,
    plan: Plan,
    past: list[tuple[date, Session, str]],
    past_days: list[date],
    scope: Scope,
) -> None:
    """One person's marks up to yesterday: present on most half-days of the pact, with gaps
    of a few weeks now and then, some noted absences, a few presences outside the pact."""
    rng = marks.rng
    person = plan.participant.pk
    fidelity = rng.uniform(0.75, 0.97)
    favourite = rng.choice(list(scope.media.values()))
    gap_until = date.min
    yesterday = scope.today - timedelta(days=1)
    for day, session, expected in _expected_days(plan, past, past_days, yesterday):
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
        if came:
            marks.mark_present(session, person, favourite, late=rng.random() < 0.05)
        elif expected and rng.random() < 0.35:
            marks.mark_absent(session, person)


def _pact_today(plan: Plan, today: date) -> Pact | None:
    return pact_in_force(plan.pacts, today)


def _mark_today(marks: Marks, scope: Scope, markable: list[Plan], sessions: list[Session]) -> None:
    """Today, in the middle of the morning: half of the expected people are marked."""
    today = scope.today
    for session in (s for s in sessions if s.on == today):
        code = half_day_code(today, session.part)
        for plan in markable:
            pact = _pact_today(plan, today)
            if (
                plan.participant.status == Status.ACTIVE
                and pact is not None
                and code in pact.half_days
                and marks.rng.random() < 0.5
            ):
                marks.mark_present(session, plan.participant.pk, scope.media["painting"], False)


def _check_in_symbols(markable: list[Plan], rng: random.Random) -> int:
    """The kiosk's symbols of most people holding a place."""
    symbols = rng.sample(SYMBOL_CODES, len(markable))
    checkin = [
        CheckInSymbol(participant=plan.participant, symbol=symbol)
        for plan, symbol in zip(markable, symbols, strict=True)
        if rng.random() < 0.6
    ]
    CheckInSymbol.objects.bulk_create(checkin)
    return len(checkin)


def fill_presence(scope: Scope, rng: random.Random) -> dict[str, int]:
    """Workshops, their calendar from ``HISTORY_YEARS`` ago to ``WEEKS_AHEAD`` weeks ahead,
    and everyone's presence in one programme."""
    today = scope.today
    start = today - timedelta(days=HISTORY_YEARS * 365)
    end = today + timedelta(weeks=WEEKS_AHEAD)
    workshops, recurrences = _workshops(scope, start)
    closed = closure_days_between(start, end)
    ClosureDay.objects.bulk_create(
        [ClosureDay(programme=scope.programme, on=day, reason=r) for day, r in closed.items()],
        batch_size=BATCH,
    )
    sessions = _sessions(recurrences, closed, start, end)
    workshop_media = {
        w.pk: [scope.media[code] for code in codes]
        for w, (_t, _r, codes, _s) in zip(workshops, WORKSHOPS, strict=True)
    }
    marks = Marks(scope, workshop_media, rng)
    # Held half-days before today, one session each (one workshop per half-day).
    past = [(s.on, s, half_day_code(s.on, s.part)) for s in sessions if s.on < today]
    past_days = [day for day, _s, _code in past]
    for plan in scope.plans:
        if plan.stays:
            _mark_history(marks, plan, past, past_days, scope)
    markable = [p for p in scope.plans if p.participant.is_occupying]
    _mark_today(marks, scope, markable, sessions)
    write_presences(marks.rows)
    checkin = _check_in_symbols(markable, rng)
    return {
        "workshops": len(workshops),
        "closure days": len(closed),
        "sessions": len(sessions),
        "presence rows": marks.present + marks.absent,
        "of which absences": marks.absent,
        "check-in symbols": checkin,
    }
