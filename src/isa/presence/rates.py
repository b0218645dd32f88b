"""Presence rates against the pact, half-days and hours of activity.

The rate answers: of the half-days a person usually comes (their pact in force that day),
on which the workshops were open and the person was accompanied (not on a pause), how many
did they come?  Presences on other half-days count as activity but not in the rate.  A
half-day counts once even when several workshops run at the same time.

Everything is computed from a handful of queries per programme and period, whatever the
number of people or presences.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db.models import Case, F, Max, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from isa.core.models import Programme
from isa.people.models import Pact, Participant, Pause, Stay, pact_in_force
from isa.presence.models import MinuteOfDay, Presence, PresenceState, Session, half_day_code

HalfDayKey = tuple[date, str]  # (day, "am" | "pm")
ONE_DAY = timedelta(days=1)


@dataclass
class PersonFigures:
    participant_id: int
    expected: int = 0  # pact half-days the workshops were open and the person accompanied
    attended: int = 0  # of those, the ones the person came
    extra: int = 0  # half-days present outside the pact
    hours: float = 0.0
    by_medium: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    present_days: set[HalfDayKey] = field(default_factory=set)
    expected_days: set[HalfDayKey] = field(default_factory=set)

    @property
    def half_days(self) -> int:
        """Half-days of activity (present), pact or not."""
        return len(self.present_days)

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None


@dataclass
class ProgrammeFigures:
    start: date
    end: date
    people: dict[int, PersonFigures]
    open_half_days: set[HalfDayKey]

    @property
    def expected(self) -> int:
        return sum(p.expected for p in self.people.values())

    @property
    def attended(self) -> int:
        return sum(p.attended for p in self.people.values())

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def half_days(self) -> int:
        return sum(p.half_days for p in self.people.values())

    @property
    def hours(self) -> float:
        return sum(p.hours for p in self.people.values())

    def by_medium(self) -> dict[int | None, int]:
        total: dict[int | None, int] = defaultdict(int)
        for person in self.people.values():
            for medium, n in person.by_medium.items():
                total[medium] += n
        return dict(total)


def accompanied_periods(
    stays: list[Stay], pauses: list[Pause], end: date
) -> list[tuple[date, date]]:
    """Days a person was accompanied and not on a pause, as closed intervals."""
    intervals = []
    for stay in stays:
        s_end = stay.exited_on or end
        # A pause runs from its first day to the day before the person is back on.
        cuts = sorted(
            (p.started_on, p.ended_on or end + ONE_DAY) for p in pauses if p.stay_id == stay.pk
        )
        cursor = stay.admitted_on
        for p_start, back_on in cuts:
            if p_start > cursor:
                intervals.append((cursor, min(p_start - ONE_DAY, s_end)))
            cursor = max(cursor, back_on)
        if cursor <= s_end:
            intervals.append((cursor, s_end))
    return intervals


Accompaniment = tuple[list[Stay], list[Pause], dict[int, list[Pact]]]


def _accompaniment(people: QuerySet[Participant], start: date, end: date) -> Accompaniment:
    """The stays overlapping the period, their pauses, and the pact versions by person."""
    stays = list(
        Stay.objects.filter(participant__in=people, admitted_on__lte=end).exclude(
            exited_on__lt=start
        )
    )
    pauses = list(Pause.objects.filter(stay__in=[s.pk for s in stays]))
    pacts: dict[int, list[Pact]] = defaultdict(list)
    for pact in Pact.objects.filter(
        participant_id__in={s.participant_id for s in stays}, valid_from__lte=end
    ).order_by("participant_id", "valid_from", "pk"):
        pacts[pact.participant_id].append(pact)
    return stays, pauses, pacts


def _accompaniment_of(participant: Participant, start: date, end: date) -> Accompaniment:
    """The same as :func:`_accompaniment` for one person, from what the object holds."""
    stays = [
        s
        for s in participant.stays.all()
        if s.admitted_on <= end and not (s.exited_on is not None and s.exited_on < start)
    ]
    pauses = [pause for stay in stays for pause in stay.pauses.all()]
    versions = sorted(
        (p for p in participant.pacts.all() if p.valid_from <= end),
        key=lambda p: (p.valid_from, p.pk),
    )
    return stays, pauses, {participant.pk: versions} if stays and versions else {}


def compute(
    programme: Programme | int,
    start: date,
    end: date,
    *,
    participant_ids: list[int] | None = None,
    every_open_day_from: date | None = None,
    participant: Participant | None = None,
) -> ProgrammeFigures:
    """Figures of a programme (or some of its participants) between two dates, inclusive.

    ``open_half_days`` holds every open half-day of the period; with
    ``every_open_day_from``, only those some version of the people's pacts holds before
    that day (all the rates need: a file's rate since the admission and its heat-map of
    the last months read a fraction of the half-days), and every one from it on.  With
    ``participant`` (one person's figures), their stays, pauses and pacts are those the
    object holds (``prefetch_related`` on the file's page) rather than read again."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    now = timezone.localtime()
    today = now.date()
    people = Participant.objects.filter(programme_id=programme_id)
    if participant is not None:
        participant_ids = [participant.pk]
    if participant_ids is not None:
        people = people.filter(pk__in=participant_ids)
    stays, pauses, pacts = (
        _accompaniment_of(participant, start, end)
        if participant is not None
        else _accompaniment(people, start, end)
    )
    # The open half-days: one row per half-day, with, for today's only, when its last
    # session ends (several workshops may run; nothing else needs the time).
    sessions = Session.objects.of_programme(programme_id).held().filter(on__range=(start, end))
    if every_open_day_from is not None:
        # Before that day, only the half-days some version of a pact holds: the others are
        # never expected (most of a long accompaniment's open half-days).
        held = {code for versions in pacts.values() for v in versions for code in v.half_days}
        sessions = sessions.on_half_days(held, every_day_from=every_open_day_from)
    ends_of: dict[HalfDayKey, time | None] = {
        (on, part): ends_at
        for on, part, ends_at in sessions.values_list("on", "part")
        .annotate(last_end=Max(Case(When(on=today, then=F("ends_at")))))
        .order_by()
    }
    open_days: set[HalfDayKey] = set(ends_of)
    # Presences and absences: an absence counts in no figure, but one noted today makes
    # today's half-day expected of that person (below).
    presences = (
        Presence.objects.filter(
            session__workshop__programme_id=programme_id,
            session__on__range=(start, end),
        )
        .filter(participant__in=people)
        # The time spent, in minutes, worked out by the database (arrival or the session's
        # start, departure or its end).
        .annotate(
            spent=MinuteOfDay(Coalesce("left_at", "session__ends_at"))
            - MinuteOfDay(Coalesce("arrived_at", "session__starts_at"))
        )
        .values_list(
            "state", "participant_id", "session__on", "session__part", "medium_id", "spent"
        )
    )

    figures: dict[int, PersonFigures] = {}
    stays_by_person: dict[int, list[Stay]] = defaultdict(list)
    for stay in stays:
        stays_by_person[stay.participant_id].append(stay)
    pauses_by_stay: dict[int, list[Pause]] = defaultdict(list)
    for pause in pauses:
        pauses_by_stay[pause.stay_id].append(pause)
    # Nothing is expected of a day that has not come yet.  Today's half-days are expected
    # once they have ended, or, for a person, once their presence or absence is noted:
    # before the morning session nobody's rate counts the morning as missed.
    last_expected = min(end, today)
    presences = list(presences)
    noted_today = {(row[1], row[3]) for row in presences if row[2] == today}

    def counts(pid: int, day: date, part: str) -> bool:
        if day < today:
            return True
        ends_at = ends_of[(day, part)]
        return (ends_at is not None and now.time() >= ends_at) or (pid, part) in noted_today

    ordered = sorted(open_days)
    # The pact code of each open half-day, from its weekday and part (ten codes, worked out
    # once each rather than once per day).
    code_of: dict[tuple[int, str], str] = {}
    codes: dict[HalfDayKey, str] = {}
    for key in ordered:
        weekday_part = (key[0].weekday(), key[1])
        if weekday_part not in code_of:
            code_of[weekday_part] = half_day_code(*key)
        codes[key] = code_of[weekday_part]
    for pid, person_stays in stays_by_person.items():
        person = figures.setdefault(pid, PersonFigures(pid))
        versions = pacts.get(pid, [])
        # A half-day no version of the pact holds is never expected: skip it before looking
        # for the version in force (most open half-days of a long accompaniment).
        any_version = set().union(*(v.half_days for v in versions))
        own_pauses = [p for stay in person_stays for p in pauses_by_stay[stay.pk]]
        for a, b in accompanied_periods(person_stays, own_pauses, end):
            first = bisect_left(ordered, (max(a, start), ""))
            for day, part in ordered[first:]:
                if day > min(b, last_expected):
                    break
                if codes[(day, part)] not in any_version:
                    continue
                pact = pact_in_force(versions, day)
                if (
                    pact is not None
                    and codes[(day, part)] in pact.half_days
                    and counts(pid, day, part)
                ):
                    person.expected_days.add((day, part))

    # Two presences in one half-day (two workshops) count once: the longer time, and the
    # medium that was noted.
    hours: dict[tuple[int, HalfDayKey], float] = {}
    media: dict[tuple[int, HalfDayKey], int | None] = {}
    for state, pid, day, part, medium_id, minutes in presences:
        if state != PresenceState.PRESENT:
            continue
        key = (pid, (day, part))
        hours[key] = max(hours.get(key, 0.0), max(minutes, 0) / 60)
        if media.get(key) is None:
            media[key] = medium_id
    for (pid, half_day), spent in hours.items():
        person = figures.setdefault(pid, PersonFigures(pid))
        person.present_days.add(half_day)
        person.hours += spent
        person.by_medium[media[(pid, half_day)]] += 1

    for person in figures.values():
        person.expected = len(person.expected_days)
        person.attended = len(person.expected_days & person.present_days)
        person.extra = len(person.present_days - person.expected_days)
    return ProgrammeFigures(start, end, figures, open_days)
