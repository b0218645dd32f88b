"""The instrument model: items, response scales, scores, bands, and the scoring itself.

Objects here are immutable and built by :mod:`isa.evaluation.instruments.loader` from a
validated TOML file; they never change once loaded.  Texts are stored in French, German and
English and read in the active language (falling back to French, then English).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

LANGUAGES = ("fr", "de", "en")


class InstrumentError(ValueError):
    """A questionnaire file or a set of answers is not valid.

    ``errors`` lists every problem found, each a complete sentence in the active language.
    """

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__(" ".join(self.errors))


@dataclass(frozen=True)
class Texts:
    """One text in the three languages of the application."""

    fr: str
    de: str
    en: str

    def get(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "fr")[:2].lower()
        text = getattr(self, language) if language in LANGUAGES else ""
        return text or self.fr or self.en

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class ScaleOption:
    """One possible answer: the stored ``value``, its label, and the points it scores."""

    value: int
    labels: Texts
    points: float

    @property
    def label(self) -> str:
        return self.labels.get()


@dataclass(frozen=True)
class Item:
    number: int
    texts: Texts
    scale: str
    reverse: bool = False

    @property
    def text(self) -> str:
        return self.texts.get()


@dataclass(frozen=True)
class Band:
    """A range of a score, both ends inclusive."""

    code: str
    labels: Texts
    low: float
    high: float

    @property
    def label(self) -> str:
        return self.labels.get()

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Score:
    """One score of an instrument (the headline score, a subscale, a rescaled total...)."""

    code: str
    labels: Texts
    minimum: float
    maximum: float
    higher_is_better: bool
    rule: str  # "sum" | "mean" | "sum_times" | "lookup"
    items: tuple[int, ...]
    max_missing: int = 0
    prorate: bool = False
    factor: float | None = None
    lookup: tuple[tuple[int, float], ...] = ()
    mic: float | None = None
    reliability: float | None = None
    reliability_source: str = ""
    sd: float | None = None
    sd_source: str = ""
    bands: tuple[Band, ...] = ()
    primary: bool = False

    @property
    def label(self) -> str:
        return self.labels.get()

    def band_for(self, value: float | None) -> Band | None:
        if value is None:
            return None
        return next((band for band in self.bands if band.contains(value)), None)


@dataclass(frozen=True)
class ScoreResult:
    score: Score
    value: float | None
    answered: int
    missing: int
    band: Band | None


@dataclass(frozen=True)
class InstrumentResult:
    results: dict[str, ScoreResult]
    complete: bool
    primary: ScoreResult
    signal: bool

    @property
    def scorable(self) -> bool:
        return self.primary.value is not None

    def as_json(self) -> dict:
        return {
            "scores": {code: r.value for code, r in self.results.items()},
            "bands": {code: (r.band.code if r.band else None) for code, r in self.results.items()},
            "complete": self.complete,
            "scorable": self.scorable,
            "signal": self.signal,
        }


@dataclass(frozen=True)
class Reference:
    """How a reference population spreads over the bands of the primary score (e.g. the Swiss
    Health Survey for the OSSS-3), so that a group can be set beside it.  Optional."""

    labels: Texts  # who the reference population is, and when
    source: str
    shares: Mapping[str, float] = field(hash=False, compare=False)  # band code -> fraction

    @property
    def label(self) -> str:
        return self.labels.get()


def _clean(value: float) -> float:
    """Round away floating-point noise (0.1 + 0.2) without losing meaningful precision."""
    value = round(value, 6)
    return float(int(value)) if value == int(value) else value


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    titles: Texts
    descriptions: Texts
    instructions: Texts
    source: str
    licence: str
    items: tuple[Item, ...]
    scales: Mapping[str, tuple[ScaleOption, ...]] = field(hash=False, compare=False)
    scores: tuple[Score, ...] = ()
    signal: tuple[str, float] | None = None
    reference: Reference | None = None
    text: str = field(default="", repr=False, compare=False)

    # --- reading -------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.titles.get()

    @property
    def description(self) -> str:
        return self.descriptions.get()

    @property
    def primary(self) -> Score:
        return next(score for score in self.scores if score.primary)

    def score_by_code(self, code: str) -> Score:
        for score in self.scores:
            if score.code == code:
                return score
        raise KeyError(code)

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def options_for(self, item: Item | int) -> tuple[ScaleOption, ...]:
        if isinstance(item, int):
            item = self.item(item)
        return self.scales[item.scale]

    def accepts(self, item_number: int, value: int) -> bool:
        try:
            item = self.item(item_number)
        except KeyError:
            return False
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return any(option.value == value for option in self.options_for(item))

    def to_text(self) -> str:
        return self.text

    def __str__(self) -> str:
        return f"{self.title} ({self.code} {self.version})"

    # --- scoring -------------------------------------------------------------------------
    def points(self, item: Item, value: int) -> float:
        """Points of one answer, reversed for a reverse-scored item.

        Reversing gives an answer the points of its mirror option in the ordered scale (the
        first option gets the last option's points, and so on): on a linear scale this is
        ``minimum + maximum - value``; on a dichotomised scale (De Jong Gierveld) it is the
        published rule for the positively worded items.
        """
        options = self.options_for(item)
        index = next(i for i, option in enumerate(options) if option.value == value)
        if item.reverse:
            index = len(options) - 1 - index
        return options[index].points

    def score(self, answers: Mapping[int, int | None]) -> InstrumentResult:
        """Score a set of answers (item number -> value; ``None`` or absent = not answered)."""
        errors = []
        known = {item.number for item in self.items}
        for number, value in answers.items():
            if number not in known:
                errors.append(
                    _("Question %(number)s does not exist in this questionnaire.")
                    % {"number": number}
                )
            elif value is not None and not self.accepts(number, value):
                errors.append(
                    _("%(value)s is not a possible answer to question %(number)s.")
                    % {"value": value, "number": number}
                )
        if errors:
            raise InstrumentError(errors)
        given = {n: v for n, v in answers.items() if v is not None}
        results = {}
        for score in self.scores:
            points = [self.points(self.item(n), given[n]) for n in score.items if n in given]
            answered = len(points)
            missing = len(score.items) - answered
            value = None
            if answered and missing <= score.max_missing:
                value = self._value(score, points)
            results[score.code] = ScoreResult(
                score=score,
                value=value,
                answered=answered,
                missing=missing,
                band=score.band_for(value),
            )
        signal = False
        if self.signal is not None:
            # At or beyond the threshold on the unfavourable side of the score.
            signal_result = results[self.signal[0]]
            signal_value, threshold = signal_result.value, self.signal[1]
            if signal_value is not None:
                if signal_result.score.higher_is_better:
                    signal = signal_value <= threshold
                else:
                    signal = signal_value >= threshold
        return InstrumentResult(
            results=results,
            complete=len(given) == len(self.items),
            primary=results[self.primary.code],
            signal=signal,
        )

    @staticmethod
    def _value(score: Score, points: list[float]) -> float:
        total = sum(points)
        if score.rule == "mean":
            return _clean(total / len(points))
        if len(points) < len(score.items) and score.prorate:
            total = total * len(score.items) / len(points)
        if score.rule == "sum_times":
            return _clean(total * score.factor)
        if score.rule == "lookup":
            return _clean(dict(score.lookup)[round(total)])
        return _clean(total)
