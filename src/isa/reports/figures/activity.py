"""Activity: people accompanied, arrivals and departures, waiting list, referrals, presence,
works and exhibitions.  Reads only, through the lower apps' QuerySets and read modules
(OUTWARD.md, "Definitions"); a fixed number of queries per programme, whatever the data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Count, Q, Sum

from isa.people.models import ExitReason, Participant, Pause, Referral, Stay
from isa.presence import rates
from isa.presence.models import Medium
from isa.reports.figures.period import Period
from isa.works.models import Exhibition, PressMention, Work

#: Bands of the presence rate against the pact (the distribution beside the median).
RATE_BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01))


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """First quartile, median and third quartile (numpy's linear interpolation)."""
    if not values:
        return None
    q1, q2, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(q1), float(q2), float(q3)


@dataclass
class Activity:
    """The raw figures of one period (people counted once each)."""

    period: Period
    accompanied: set[int] = field(default_factory=set)
    admissions: int = 0
    returns: int = 0
    paused: int = 0
    exits: Counter[str] = field(default_factory=Counter)
    days_accompanied: list[int] = field(default_factory=list)
    waiting_start: int = 0
    waiting_end: int = 0
    waiting_days: list[int] = field(default_factory=list)
    referrals: Counter[str] = field(default_factory=Counter)
    half_days_held: int = 0
    presence_half_days: int = 0
    hours: float = 0.0
    rates: list[float] = field(default_factory=list)
    media_half_days: Counter[int | None] = field(default_factory=Counter)
    works: Counter[int] = field(default_factory=Counter)
    exhibitions: int = 0
    visitors: int = 0
    press: int = 0

    @property
    def rate_bands(self) -> list[int]:
        return [sum(1 for r in self.rates if low <= r < high) for low, high in RATE_BANDS]

    @property
    def empty(self) -> bool:
        return not self.accompanied and not self.referrals and not self.half_days_held


def _open_referrals_on(referrals: list[Referral], day: date) -> int:
    """People on the waiting list on ``day``: referred by then and not yet answered
    (:meth:`ReferralQuerySet.open_on` in memory)."""
    return sum(1 for r in referrals if Referral.was_open_on(r, day))


def activity(programme_ids: Sequence[int], period: Period) -> Activity:
    """The activity of the programmes over the period."""
    result = Activity(period)
    start, end = period.start, period.end
    people = Participant.objects.filter(programme_id__in=list(programme_ids))
    stays = list(
        Stay.objects.filter(participant__in=people, admitted_on__lte=end).order_by(
            "participant_id", "admitted_on", "pk"
        )
    )
    by_person: dict[int, list[Stay]] = defaultdict(list)
    for stay in stays:
        by_person[stay.participant_id].append(stay)
    pauses = list(Pause.objects.filter(stay__participant__in=people, started_on__lte=end))
    pauses_by_person: dict[int, list[Pause]] = defaultdict(list)
    stay_owner = {s.pk: s.participant_id for s in stays}
    for pause in pauses:
        if pause.stay_id in stay_owner:
            pauses_by_person[stay_owner[pause.stay_id]].append(pause)

    for pid, own in by_person.items():
        overlapping = [s for s in own if s.exited_on is None or s.exited_on >= start]
        if overlapping:
            result.accompanied.add(pid)
            # time accompanied: stay days up to the period's end, pauses excluded
            intervals = rates.accompanied_periods(own, pauses_by_person[pid], end)
            result.days_accompanied.append(
                sum((min(b, end) - a).days + 1 for a, b in intervals if a <= end)
            )
        for index, stay in enumerate(own):
            if start <= stay.admitted_on <= end:
                if index == 0:
                    result.admissions += 1
                else:
                    result.returns += 1
            if stay.exited_on is not None and start <= stay.exited_on <= end:
                result.exits[stay.exit_reason or ExitReason.OTHER] += 1
        if any(start <= p.started_on <= end for p in pauses_by_person[pid]):
            result.paused += 1

    referrals = list(
        Referral.objects.filter(participant__in=people, referred_on__lte=end).only(
            "participant_id", "referred_on", "referring_service", "status", "status_changed_on"
        )
    )
    result.waiting_start = _open_referrals_on(referrals, start)
    result.waiting_end = _open_referrals_on(referrals, end)
    for referral in referrals:
        if referral.referred_on >= start:
            result.referrals[referral.referring_service.strip() or "—"] += 1
    # waiting days: referral → admission, for the admissions and returns of the period
    referred: dict[int, list[date]] = defaultdict(list)
    for referral in referrals:
        referred[referral.participant_id].append(referral.referred_on)
    for pid, own in by_person.items():
        for stay in own:
            if start <= stay.admitted_on <= end:
                earlier = [d for d in referred.get(pid, []) if d <= stay.admitted_on]
                if earlier:
                    result.waiting_days.append((stay.admitted_on - max(earlier)).days)

    # presence: the presence app's own figures (one definition of the rate)
    for programme_id in programme_ids:
        figures = rates.compute(programme_id, start, end)
        result.half_days_held += len(figures.open_half_days)
        result.presence_half_days += figures.half_days
        result.hours += figures.hours
        for person in figures.people.values():
            if person.rate is not None:
                result.rates.append(person.rate)
        for medium, n in figures.by_medium().items():
            result.media_half_days[medium] += n

    for row in (
        Work.objects.filter(programme_id__in=list(programme_ids), made_on__range=(start, end))
        .values("medium_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result.works[row["medium_id"]] = row["n"]
    exhibitions = Exhibition.objects.filter(
        programme_id__in=list(programme_ids), starts_on__range=(start, end)
    ).aggregate(n=Count("id"), visitors=Sum("visitors"))
    result.exhibitions = exhibitions["n"] or 0
    result.visitors = exhibitions["visitors"] or 0
    result.press = PressMention.objects.filter(
        Q(exhibition__programme_id__in=list(programme_ids)), on__range=(start, end)
    ).count()
    return result


def medium_labels(ids: set[int | None]) -> dict[int | None, str]:
    labels: dict[int | None, str] = {
        m.pk: m.label for m in Medium.objects.filter(pk__in=[i for i in ids if i is not None])
    }
    return labels
