"""What the team reads of the questionnaires and health indicators: one person's results
over time, and the programme's paired before/after figures.  Reads only, through the
QuerySets; each page makes a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from isa.evaluation.catalogue import instrument_of
from isa.evaluation.instruments import Instrument, Score
from isa.evaluation.models import (
    Administration,
    AdministrationStatus,
    HealthPeriod,
    MedicationChange,
    MedicationClass,
    PeriodKind,
)
from isa.evaluation.statistics import (
    CostChange,
    PairedChange,
    cost_change,
    paired_change,
    reliable_change,
    share,
)


def rci_label(category: str) -> str:
    return {
        "improved": _("reliable improvement"),
        "deteriorated": _("reliable deterioration"),
        "no_reliable_change": _("no reliable change"),
        "unknown": _("change not assessable"),
    }.get(category, category)


def wilcoxon_method_label(method: str) -> str:
    """How the Wilcoxon p-value was computed, in the reader's language."""
    return {
        "exact": _("exact test"),
        "permutation": _("exact, with ties (permutation)"),
        "none": _("not computed"),
    }.get(method, method)


def _instrument(administration: Administration) -> Instrument | None:
    try:
        return instrument_of(administration)
    except (KeyError, ValueError):
        return None


def administrations_of(participant: Any) -> list[Administration]:
    """Every questionnaire of a person, oldest first: one query, kept on the participant
    object for the rest of the request (the file's timeline and panel share it)."""
    cached = getattr(participant, "_evaluation_administrations", None)
    if cached is None:
        cached = list(
            Administration.objects.filter(participant=participant)
            .select_related("loaded_instrument")
            .order_by("on", "created_at", "pk")
        )
        participant._evaluation_administrations = cached
    return cached


def instrument_title(administration: Administration) -> str:
    """The questionnaire's title in the reader's language (the stored one as a fallback)."""
    instrument = _instrument(administration)
    return str(instrument.title) if instrument is not None else administration.instrument_title


def band_label(score: Score, code: str | None) -> str:
    if not code:
        return ""
    return next((str(b.label) for b in score.bands if b.code == code), "")


def group_key(a: Administration) -> tuple[str, int | None]:
    return (a.instrument_code, a.loaded_instrument_id)


# -- one person --------------------------------------------------------------------------------


@dataclass
class PersonSeries:
    instrument: Instrument
    score: Score
    administrations: list[Administration]  # every one, oldest first (declined too)
    scored: list[Administration] = field(default_factory=list)
    rci: str | None = None  # category between the first and the latest scored
    rci_value: float | None = None

    @property
    def latest(self) -> Administration | None:
        return self.scored[-1] if self.scored else None

    @property
    def first(self) -> Administration | None:
        return self.scored[0] if self.scored else None

    @property
    def latest_band(self) -> str:
        latest = self.latest
        if latest is None:
            return ""
        return band_label(self.score, latest.score_bands.get(self.score.code))

    @property
    def rci_text(self) -> str:
        return rci_label(self.rci) if self.rci else ""

    def points(self) -> list[tuple[date, float | None]]:
        return [(a.on, a.primary_value) for a in self.scored]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "administration": a,
                "value": a.primary_value,
                "band": band_label(self.score, a.score_bands.get(self.score.code))
                if a.primary_value is not None
                else "",
            }
            for a in reversed(self.administrations)
        ]


def person_series(administrations: Iterable[Administration]) -> list[PersonSeries]:
    """The person's administrations grouped by instrument, each with its first→latest RCI."""
    groups: dict[tuple[str, int | None], list[Administration]] = defaultdict(list)
    for a in sorted(administrations, key=lambda a: (a.on, a.created_at, a.pk)):
        if a.status == AdministrationStatus.IN_PROGRESS:
            continue
        groups[group_key(a)].append(a)
    series: list[PersonSeries] = []
    for rows in groups.values():
        instrument = _instrument(rows[-1])
        if instrument is None:
            continue
        score = instrument.primary
        s = PersonSeries(instrument, score, rows, [a for a in rows if a.scorable])
        if len(s.scored) >= 2 and score.sd and score.reliability is not None:
            change = reliable_change(
                s.scored[0].primary_value,
                s.scored[-1].primary_value,
                sd=score.sd,
                reliability=score.reliability,
                higher_is_better=score.higher_is_better,
            )
            s.rci, s.rci_value = change.category, change.rci
        elif len(s.scored) >= 2:
            s.rci = "unknown"
        series.append(s)
    series.sort(key=lambda s: str(s.instrument.title))
    return series


# -- the group ---------------------------------------------------------------------------------


@dataclass
class InstrumentGroup:
    instrument: Instrument
    score: Score
    before: list[float]
    after: list[float]
    change: PairedChange
    answered_once: int  # people with only one scored questionnaire (not paired)
    declined: int  # "declined today" recorded (respected answers)
    key: tuple[str, int | None] = ("", None)  # group_key of its administrations

    def share(self, count: int) -> str:
        return share(count, self.change.n)

    @property
    def reliable(self) -> bool:
        """Whether people are counted by a threshold of the questionnaire (the reliable
        change index, or the minimal important change), not by the mere sign of a change."""
        score = self.score
        return (score.reliability is not None and score.sd is not None) or score.mic is not None

    @property
    def summary(self) -> str:
        """The paired change in plain words: how many people feel better, the same, worse."""
        c = self.change
        if not c.n:
            return _("Nobody has answered this questionnaire twice yet.")
        lead = ngettext(
            "Of %(n)d person who answered twice",
            "Of %(n)d people who answered twice",
            c.n,
        ) % {"n": c.n}
        if self.reliable:
            parts = [
                ngettext(
                    "%(k)d feels better in a reliable way",
                    "%(k)d feel better in a reliable way",
                    c.improved,
                ),
                ngettext(
                    "%(k)d did not change reliably",
                    "%(k)d did not change reliably",
                    c.unchanged,
                ),
                ngettext("%(k)d feels worse", "%(k)d feel worse", c.deteriorated),
            ]
        else:
            parts = [
                ngettext("%(k)d has a better score", "%(k)d have a better score", c.improved),
                ngettext("%(k)d has the same score", "%(k)d have the same score", c.unchanged),
                ngettext("%(k)d has a worse score", "%(k)d have a worse score", c.deteriorated),
            ]
        counts = (c.improved, c.unchanged, c.deteriorated)
        said = ", ".join(part % {"k": k} for part, k in zip(parts, counts, strict=True))
        return _("%(lead)s: %(parts)s.") % {"lead": lead, "parts": said}

    @property
    def threshold_note(self) -> str:
        """What "reliable" means for this questionnaire, in one sentence."""
        score = self.score
        if score.reliability is not None and score.sd is not None:
            return _(
                "Reliable: a change too large to come from this questionnaire's measurement "
                "error alone (reliable change index)."
            )
        if score.mic is not None:
            return _(
                "Reliable: a change of at least %(mic)s points, the smallest change that "
                "matters for this questionnaire (minimal important change)."
            ) % {"mic": f"{score.mic:g}"}
        return _(
            "This questionnaire gives no threshold of reliable change: every change, even "
            "small, is counted."
        )

    @property
    def bands(self) -> list[dict[str, Any]]:
        """How the paired people spread over the bands at their first and latest answer, and
        the reference population's spread when the instrument file gives one."""
        reference = self.instrument.reference
        rows = []
        for band in self.score.bands:
            first = sum(1 for v in self.before if band.contains(v))
            latest = sum(1 for v in self.after if band.contains(v))
            share_of = reference.shares.get(band.code) if reference else None
            rows.append(
                {
                    "label": band.label,
                    "first": self.share(first),
                    "latest": self.share(latest),
                    "reference": None if share_of is None else f"{share_of * 100:.0f} %",
                }
            )
        return rows


def group_administrations(user: Any, programme: Any) -> list[Administration]:
    """The programme's questionnaires that ``user`` may count, with only the fields the
    group's figures need."""
    return list(
        Administration.objects.visible_to(user)
        .filter(programme=programme)
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


def group_results(administrations: Iterable[Administration]) -> list[InstrumentGroup]:
    """Per instrument, the first and the latest scored questionnaire of each person who has
    two: the paired change, honest for a small group."""
    per_instrument: dict[tuple[str, int | None], dict[int, list[Administration]]] = defaultdict(
        lambda: defaultdict(list)
    )
    declined: dict[tuple[str, int | None], int] = defaultdict(int)
    latest_of: dict[tuple[str, int | None], Administration] = {}
    for a in sorted(administrations, key=lambda a: (a.on, a.created_at, a.pk)):
        key = group_key(a)
        if a.status == AdministrationStatus.DECLINED:
            declined[key] += 1
        if not a.scorable:
            continue
        per_instrument[key][a.participant_id].append(a)
        latest_of[key] = a
    groups: list[InstrumentGroup] = []
    for key, people in per_instrument.items():
        instrument = _instrument(latest_of[key])
        if instrument is None:
            continue
        score = instrument.primary
        before: list[float] = []
        after: list[float] = []
        once = 0
        for rows in people.values():
            if len(rows) < 2:
                once += 1
                continue
            before.append(float(rows[0].primary_value))
            after.append(float(rows[-1].primary_value))
        change = paired_change(
            before,
            after,
            higher_is_better=score.higher_is_better,
            reliability=score.reliability,
            sd=score.sd,
            mic=score.mic,
        )
        groups.append(
            InstrumentGroup(instrument, score, before, after, change, once, declined[key], key=key)
        )
    groups.sort(key=lambda g: str(g.instrument.title))
    return groups


def group_of(
    groups: Iterable[InstrumentGroup], code: str, loaded: int | None
) -> InstrumentGroup | None:
    """The group of one questionnaire (``loaded``: the uploaded instrument's id, None for a
    built-in one), or None."""
    return next((g for g in groups if g.key == (code, loaded)), None)


@dataclass
class HealthGroup:
    people: int  # people with a baseline and a later period (consent in force)
    costs: CostChange | None
    cost_people: int
    hospital_before: float  # per 12 months, summed over the people
    hospital_after: float
    hospital_people: int
    emergency_before: float  # per 12 months, summed over the people
    emergency_after: float
    emergency_people: int
    medications: list[dict[str, Any]]  # per class: counts per change

    @property
    def any(self) -> bool:
        return self.people > 0

    @property
    def cost_percent(self) -> str:
        return signed_percent(self.costs.relative_change if self.costs else None)

    @property
    def cost_interval(self) -> tuple[str, str] | None:
        c = self.costs
        if c is None or c.ci_low is None or c.ci_high is None:
            return None
        return signed_percent(c.ci_low), signed_percent(c.ci_high)


def signed_percent(value: float | None) -> str:
    """-0.512 → "−51 %" (a true minus sign), 0.1 → "+10 %"."""
    if value is None:
        return ""
    pct = round(100 * value)
    sign = "\u2212" if pct < 0 else ("+" if pct > 0 else "")
    return f"{sign}{abs(pct)}\u00a0%"


YEAR_DAYS = Decimal("365")

#: Periods shorter than this are left out of the before/after comparisons: brought to
#: twelve months, a few weeks would weigh like a year.
MIN_COMPARED_DAYS = 90


def period_days(period: HealthPeriod) -> int:
    return (period.ends_on - period.starts_on).days + 1


def per_year(amount: Decimal | int, period: HealthPeriod) -> float:
    """An amount or a count brought to twelve months (periods of other lengths are
    scaled)."""
    days = period_days(period)
    if 350 <= days <= 380:
        return float(amount)
    return float(Decimal(amount) * YEAR_DAYS / Decimal(max(days, 1)))


def cost_per_year(period: HealthPeriod) -> float | None:
    """The one definition of a period's health costs per person-year: the amount brought
    to twelve months (:func:`per_year`).  On an anonymised file the amount is gone and the
    figure kept at the anonymisation (computed here, exactly) stands in for it."""
    if period.costs_chf is not None:
        return per_year(period.costs_chf, period)
    return period.anonymised_cost_per_year


@dataclass
class ComparedPeriods:
    """Each person's before (the baseline, 12 months before entry) and after (the latest
    period of at least 90 days), in a fixed order (by the baseline's end, then its id), and
    the latest period of any length (for the medication changes)."""

    pairs: list[tuple[HealthPeriod, HealthPeriod]]
    latest: dict[int, HealthPeriod]


def compared_periods(periods: Iterable[HealthPeriod]) -> ComparedPeriods:
    baseline: dict[int, HealthPeriod] = {}
    latest: dict[int, HealthPeriod] = {}
    latest_compared: dict[int, HealthPeriod] = {}
    for p in sorted(periods, key=lambda p: (p.ends_on, p.pk)):
        long_enough = period_days(p) >= MIN_COMPARED_DAYS
        if p.kind == PeriodKind.BASELINE:
            if long_enough:
                baseline[p.participant_id] = p
        else:
            latest[p.participant_id] = p
            if long_enough:
                latest_compared[p.participant_id] = p
    pairs = [(baseline[pid], latest_compared[pid]) for pid in baseline if pid in latest_compared]
    return ComparedPeriods(pairs, latest)


def costs_per_person(periods: Iterable[HealthPeriod]) -> dict[int, tuple[float, float]]:
    """Per person (participant id), the health costs per person-year before entry and in
    the latest 12 months, as the reports count them (:func:`health_results`); only people
    with both figures.  Periods come from a consent-checked QuerySet."""
    costs = {}
    for b, a in compared_periods(periods).pairs:
        before, after = cost_per_year(b), cost_per_year(a)
        if before is not None and after is not None:
            costs[b.participant_id] = (before, after)
    return costs


def health_results(periods: Iterable[HealthPeriod]) -> HealthGroup:
    """Before (the baseline, 12 months before entry) against after (the latest period of
    at least 90 days), for each person who has both, every figure brought to 12 months;
    periods come from a consent-checked QuerySet.  Medication changes are read on the
    latest period of any length (they are not scaled)."""
    compared = compared_periods(periods)
    pairs, latest = compared.pairs, compared.latest
    costs_before, costs_after = [], []
    hosp_before, hosp_after, hosp_people = 0.0, 0.0, 0
    emerg_before, emerg_after, emerg_people = 0.0, 0.0, 0
    for b, a in pairs:
        cost_before, cost_after = cost_per_year(b), cost_per_year(a)
        if cost_before is not None and cost_after is not None:
            costs_before.append(cost_before)
            costs_after.append(cost_after)
        if b.hospital_days is not None and a.hospital_days is not None:
            hosp_before += per_year(b.hospital_days, b)
            hosp_after += per_year(a.hospital_days, a)
            hosp_people += 1
        if b.emergency_visits is not None and a.emergency_visits is not None:
            emerg_before += per_year(b.emergency_visits, b)
            emerg_after += per_year(a.emergency_visits, a)
            emerg_people += 1
    medications = []
    for cls, label in MedicationClass.choices:
        counts = dict.fromkeys(MedicationChange.values, 0)
        for period in latest.values():
            change = period.medications.get(cls)
            if change in counts:
                counts[change] += 1
        total = sum(counts.values())
        if total:
            medications.append(
                {
                    "label": label,
                    "total": total,
                    "counts": [
                        (lbl, counts[value], share(counts[value], total))
                        for value, lbl in MedicationChange.choices
                    ],
                }
            )
    return HealthGroup(
        people=len(pairs),
        costs=cost_change(costs_before, costs_after) if costs_before else None,
        cost_people=len(costs_before),
        hospital_before=hosp_before,
        hospital_after=hosp_after,
        hospital_people=hosp_people,
        emergency_before=emerg_before,
        emergency_after=emerg_after,
        emergency_people=emerg_people,
        medications=medications,
    )


# -- the person's own reading ------------------------------------------------------------------


@dataclass
class AnswersInWords:
    """A questionnaire as the person who answered it reads it again: each question with
    their answer, and what the instrument says, in words (never a score or a rank)."""

    administration: Administration
    title: str
    description: str
    answers: list[tuple[str, str]]
    meaning: str


def answers_in_words(administration: Administration) -> AnswersInWords:
    instrument = _instrument(administration)
    if instrument is None:
        return AnswersInWords(administration, administration.instrument_title, "", [], "")
    given = administration.answer_map()
    answers = []
    for item in instrument.items:
        value = given.get(item.number)
        options = {o.value: o.label for o in instrument.scales.get(item.scale, ())}
        answers.append(
            (item.text, options.get(value, _("no answer")) if value is not None else _("no answer"))
        )
    meaning = ""
    if administration.status == AdministrationStatus.DECLINED:
        meaning = _("You chose not to answer that day. That is fine.")
    elif administration.scorable:
        primary = instrument.primary
        meaning = band_label(primary, administration.score_bands.get(primary.code))
    return AnswersInWords(
        administration, str(instrument.title), str(instrument.description), answers, meaning
    )
