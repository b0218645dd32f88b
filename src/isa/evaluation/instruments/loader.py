"""Read and validate an instrument file (TOML).

``parse_instrument(text)`` checks the whole file and raises :class:`InstrumentError` with
*every* problem found (not only the first), each as a translated sentence an organisation
can act on; an invalid file never gives an instrument.  The format is documented in
``data/README.md`` and shown by the shipped files.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from .model import (
    LANGUAGES,
    Band,
    Instrument,
    InstrumentError,
    Item,
    Reference,
    ScaleOption,
    Score,
    Texts,
)

RULES = ("sum", "mean", "sum_times", "lookup")
CODE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
TOP_KEYS = {
    "format",
    "code",
    "version",
    "title",
    "description",
    "instructions",
    "source",
    "licence",
    "notes",
    "scales",
    "items",
    "reverse",
    "scores",
    "signal",
    "reference",
}
ITEM_KEYS = {"number", "scale", *LANGUAGES}
OPTION_KEYS = {"value", "points", *LANGUAGES}
SCORE_KEYS = {
    "code",
    "label",
    "rule",
    "items",
    "factor",
    "lookup",
    "max_missing",
    "prorate",
    "minimum",
    "maximum",
    "higher_is_better",
    "mic",
    "reliability",
    "reliability_source",
    "sd",
    "sd_source",
    "bands",
    "primary",
    "notes",
}
BAND_KEYS = {"code", "low", "high", *LANGUAGES}
LANGUAGE_NAMES = {"fr": "French", "de": "German", "en": "English"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def language(self, code: str) -> str:
        names = {"fr": _("French"), "de": _("German"), "en": _("English")}
        return names[code]

    def unknown_keys(self, data: dict, allowed: set[str], where: str) -> None:
        for key in sorted(set(data) - allowed):
            self.error(_("%(where)s: unknown field “%(field)s”.") % {"where": where, "field": key})

    def texts(self, data: Any, where: str) -> Texts | None:
        """A table with a non-empty text per language (``fr``, ``de``, ``en``)."""
        if not isinstance(data, dict):
            self.error(
                _("%(where)s: texts in French, German and English are missing.") % {"where": where}
            )
            return None
        ok = True
        for code in LANGUAGES:
            value = data.get(code)
            if not isinstance(value, str) or not value.strip():
                ok = False
                self.error(
                    _("%(where)s has no text in %(language)s.")
                    % {"where": where, "language": self.language(code)}
                )
        return Texts(**{code: data[code].strip() for code in LANGUAGES}) if ok else None

    def string(self, data: dict, key: str, where: str) -> str | None:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(
                _("%(where)s: the field “%(field)s” is missing.") % {"where": where, "field": key}
            )
            return None
        return value.strip()

    def number(self, data: dict, key: str, where: str, *, required: bool = True) -> float | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(
                    _("%(where)s: the field “%(field)s” is missing.")
                    % {"where": where, "field": key}
                )
            return None
        if not _is_number(value):
            self.error(
                _("%(where)s: “%(field)s” must be a number.") % {"where": where, "field": key}
            )
            return None
        return float(value)


def parse_instrument(text: str | bytes) -> Instrument:
    """Build an instrument from its file's text, or raise InstrumentError listing every problem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InstrumentError(_("The file is not UTF-8 text.")) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(
            _("The file is not valid TOML: %(reason)s") % {"reason": exc}
        ) from exc
    except RecursionError:
        # Lists or tables inside one another thousands of times: no questionnaire is.
        raise InstrumentError(
            _("The file is not a questionnaire: its lists or tables are nested too deeply.")
        ) from None
    check = _Checker()
    instrument = _build(data, text, check)
    if check.errors or instrument is None:
        raise InstrumentError(check.errors or [_("The file could not be read.")])
    return instrument


def _build(data: dict, text: str, check: _Checker) -> Instrument | None:
    top = _("The questionnaire")
    check.unknown_keys(data, TOP_KEYS, top)
    code = check.string(data, "code", top)
    if code is not None and not CODE_RE.match(code):
        check.error(
            _("The code “%(code)s” must be lower-case letters, digits, “-” or “_”.")
            % {"code": code}
        )
    version = data.get("version")
    if _is_int(version):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        check.error(
            _("%(where)s: the field “%(field)s” is missing.") % {"where": top, "field": "version"}
        )
        version = None
    titles = check.texts(data.get("title"), _("The title"))
    descriptions = check.texts(data.get("description"), _("The description"))
    instructions = (
        check.texts(data["instructions"], _("The instructions"))
        if "instructions" in data
        else Texts("", "", "")
    )
    source = check.string(data, "source", top)
    licence = check.string(data, "licence", top)

    scales = _scales(data.get("scales"), check)
    declared_scales = set(data["scales"]) if isinstance(data.get("scales"), dict) else set()
    items = _items(data.get("items"), data.get("reverse", []), scales, declared_scales, check)
    # Checks of the scores that depend on every item (ranges, lookup coverage) only run when
    # every item and scale is valid, so one mistake is not reported three times.
    items_ok = isinstance(data.get("items"), list) and len(items) == len(data["items"])
    scores = _scores(
        data.get("scores"),
        items if items_ok else {},
        scales,
        check,
        declared_items=_declared_numbers(data.get("items")),
    )
    signal = _signal(data.get("signal"), scores, check)
    reference = _reference(data.get("reference"), scores, check)

    if check.errors or None in (code, version, titles, descriptions, instructions, source, licence):
        return None
    return Instrument(
        code=code,
        version=version.strip(),
        titles=titles,
        descriptions=descriptions,
        instructions=instructions,
        source=source,
        licence=licence,
        items=tuple(items.values()),
        scales=MappingProxyType(scales),
        scores=tuple(scores.values()),
        signal=signal,
        reference=reference,
        text=text,
    )


def _scales(data: Any, check: _Checker) -> dict[str, tuple[ScaleOption, ...]]:
    scales: dict[str, tuple[ScaleOption, ...]] = {}
    if not isinstance(data, dict) or not data:
        check.error(_("The questionnaire has no response scale (section “scales”)."))
        return scales
    for name, scale in data.items():
        where = _("Scale “%(scale)s”") % {"scale": name}
        if isinstance(scale, dict):
            check.unknown_keys(scale, {"options"}, where)
        options_data = scale.get("options") if isinstance(scale, dict) else None
        if not isinstance(options_data, list) or len(options_data) < 2:
            check.error(_("%(where)s needs at least two answer options.") % {"where": where})
            continue
        options, values, ok = [], set(), True
        for position, option in enumerate(options_data, start=1):
            owhere = _("Scale “%(scale)s”, option %(position)s") % {
                "scale": name,
                "position": position,
            }
            if not isinstance(option, dict):
                check.error(_("%(where)s is not a table.") % {"where": owhere})
                ok = False
                continue
            check.unknown_keys(option, OPTION_KEYS, owhere)
            value = option.get("value")
            if not _is_int(value):
                check.error(_("%(where)s: the value must be a whole number.") % {"where": owhere})
                ok = False
            elif value in values:
                check.error(
                    _("%(where)s: the value %(value)s appears twice in the scale.")
                    % {"where": owhere, "value": value}
                )
                ok = False
            else:
                values.add(value)
            points = option.get("points", value)
            if not _is_number(points):
                check.error(_("%(where)s: the points must be a number.") % {"where": owhere})
                ok = False
            labels = check.texts(option, owhere)
            if ok and labels is not None:
                options.append(ScaleOption(value=value, labels=labels, points=float(points)))
        if ok and len(options) == len(options_data):
            scales[name] = tuple(options)
    return scales


def _declared_numbers(data: Any) -> list[int]:
    if not isinstance(data, list):
        return []
    return sorted({i["number"] for i in data if isinstance(i, dict) and _is_int(i.get("number"))})


def _items(
    data: Any, reverse: Any, scales: dict, declared_scales: set, check: _Checker
) -> dict[int, Item]:
    items: dict[int, Item] = {}
    if not isinstance(data, list) or not data:
        check.error(_("The questionnaire has no question (section “items”)."))
        return items
    if not isinstance(reverse, list) or not all(_is_int(n) for n in reverse):
        check.error(_("“reverse” must be a list of question numbers."))
        reverse = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            check.error(_("Question %(number)s is not a table.") % {"number": position})
            continue
        number = item.get("number")
        if not _is_int(number) or number < 1:
            check.error(
                _("Question in position %(position)s: the number must be a whole number from 1.")
                % {"position": position}
            )
            continue
        where = _("Question %(number)s") % {"number": number}
        check.unknown_keys(item, ITEM_KEYS, where)
        if number in items:
            check.error(_("The question number %(number)s is used twice.") % {"number": number})
            continue
        scale = item.get("scale")
        if not isinstance(scale, str) or scale not in declared_scales:
            check.error(
                _("%(where)s uses the scale “%(scale)s”, which is not defined.")
                % {"where": where, "scale": scale}
            )
        texts = check.texts(item, where)
        if texts is not None and scale in scales:
            items[number] = Item(number=number, texts=texts, scale=scale, reverse=number in reverse)
    numbers = sorted(items)
    if numbers and numbers != list(range(1, len(numbers) + 1)) and len(numbers) == len(data):
        check.error(_("Questions must be numbered 1, 2, 3… without gaps."))
    for number in sorted(set(reverse)):
        if not any(
            _is_int(i.get("number")) and i["number"] == number for i in data if isinstance(i, dict)
        ):
            check.error(
                _("Question %(number)s is marked as reverse-scored but does not exist.")
                % {"number": number}
            )
    if len(set(reverse)) != len(reverse):
        check.error(_("A question appears twice in “reverse”."))
    return items


def _item_range(item: Item, scales: dict) -> tuple[float, float]:
    points = [option.points for option in scales[item.scale]]
    return min(points), max(points)


def _expected_range(
    rule: str,
    numbers: list[int],
    items: dict,
    scales: dict,
    max_missing: int,
    factor: float | None,
    lookup: dict | None,
) -> tuple[float, float] | None:
    ranges = [_item_range(items[n], scales) for n in numbers]
    low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
    if rule == "mean":
        if max_missing:
            return min(r[0] for r in ranges), max(r[1] for r in ranges)
        return low / len(ranges), high / len(ranges)
    if rule == "sum_times":
        if factor is None:
            return None
        return tuple(sorted((low * factor, high * factor)))
    if rule == "lookup":
        if not lookup:
            return None
        return min(lookup.values()), max(lookup.values())
    return low, high


def _scores(
    data: Any, items: dict, scales: dict, check: _Checker, *, declared_items: list[int]
) -> dict[str, Score]:
    """The scores; ``items`` is empty when an item is invalid (range checks are then skipped)."""
    scores: dict[str, Score] = {}
    if not isinstance(data, list) or not data:
        check.error(_("The questionnaire has no score (section “scores”)."))
        return scores
    primaries = 0
    for position, score in enumerate(data, start=1):
        if not isinstance(score, dict):
            check.error(_("Score %(position)s is not a table.") % {"position": position})
            continue
        code = score.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            check.error(
                _("Score %(position)s: the code is missing or not made of lower-case letters.")
                % {"position": position}
            )
            continue
        where = _("Score “%(code)s”") % {"code": code}
        check.unknown_keys(score, SCORE_KEYS, where)
        if code in scores or any(
            s.get("code") == code for s in data[: position - 1] if isinstance(s, dict)
        ):
            check.error(_("The score code “%(code)s” is used twice.") % {"code": code})
            continue
        ok = True
        labels = check.texts(score.get("label"), where)
        rule = score.get("rule")
        if rule not in RULES:
            check.error(
                _("%(where)s: unknown scoring rule “%(rule)s” (known: %(rules)s).")
                % {"where": where, "rule": rule, "rules": ", ".join(RULES)}
            )
            ok = False
        numbers = score.get("items", declared_items)
        if not isinstance(numbers, list) or not numbers or not all(_is_int(n) for n in numbers):
            check.error(
                _("%(where)s: “items” must be a list of question numbers.") % {"where": where}
            )
            numbers, ok = [], False
        for number in numbers:
            if number not in declared_items:
                check.error(
                    _("%(where)s uses question %(number)s, which does not exist.")
                    % {"where": where, "number": number}
                )
                ok = False
        if len(set(numbers)) != len(numbers):
            check.error(_("%(where)s counts a question twice.") % {"where": where})
            ok = False
        max_missing = score.get("max_missing", 0)
        if not _is_int(max_missing) or max_missing < 0 or (numbers and max_missing >= len(numbers)):
            check.error(
                _(
                    "%(where)s: “max_missing” must be a whole number from 0 to the number of "
                    "questions minus one."
                )
                % {"where": where}
            )
            max_missing, ok = 0, False
        prorate = score.get("prorate", False)
        if not isinstance(prorate, bool):
            check.error(_("%(where)s: “prorate” must be true or false.") % {"where": where})
            prorate, ok = False, False
        if rule in ("sum", "sum_times") and max_missing and not prorate:
            check.error(
                _(
                    "%(where)s allows missing answers in a sum: set “prorate = true” (the sum "
                    "of the answered questions would be too low) or “max_missing = 0”."
                )
                % {"where": where}
            )
            ok = False
        factor = None
        if rule == "sum_times":
            factor = check.number(score, "factor", where)
            if factor == 0:
                check.error(_("%(where)s: the factor cannot be 0.") % {"where": where})
                factor = None
            ok = ok and factor is not None
        lookup = None
        if rule == "lookup":
            lookup = _lookup(score.get("lookup"), numbers, items, scales, where, check, max_missing)
            ok = ok and lookup is not None
        minimum = check.number(score, "minimum", where)
        maximum = check.number(score, "maximum", where)
        if minimum is not None and maximum is not None and minimum >= maximum:
            check.error(_("%(where)s: the minimum must be below the maximum.") % {"where": where})
            ok = False
        elif (
            ok and minimum is not None and maximum is not None and all(n in items for n in numbers)
        ):
            expected = _expected_range(rule, numbers, items, scales, max_missing, factor, lookup)
            if expected and not (
                math.isclose(expected[0], minimum) and math.isclose(expected[1], maximum)
            ):
                check.error(
                    _(
                        "%(where)s: the declared range %(minimum)s–%(maximum)s does not match "
                        "the range the questions give, %(low)s–%(high)s."
                    )
                    % {
                        "where": where,
                        "minimum": _fmt(minimum),
                        "maximum": _fmt(maximum),
                        "low": _fmt(expected[0]),
                        "high": _fmt(expected[1]),
                    }
                )
                ok = False
        higher_is_better = score.get("higher_is_better")
        if not isinstance(higher_is_better, bool):
            check.error(
                _("%(where)s: “higher_is_better” must be true or false.") % {"where": where}
            )
            ok = False
        mic = check.number(score, "mic", where, required=False)
        if mic is not None and mic <= 0:
            check.error(
                _("%(where)s: the minimal important change must be positive.") % {"where": where}
            )
            ok = False
        reliability = check.number(score, "reliability", where, required=False)
        if reliability is not None and not 0 < reliability < 1:
            check.error(_("%(where)s: the reliability must be between 0 and 1.") % {"where": where})
            ok = False
        if reliability is not None and not score.get("reliability_source"):
            check.error(
                _("%(where)s: give the source of the reliability (“reliability_source”).")
                % {"where": where}
            )
            ok = False
        sd = check.number(score, "sd", where, required=False)
        if sd is not None and sd <= 0:
            check.error(
                _("%(where)s: the reference standard deviation must be positive.")
                % {"where": where}
            )
            ok = False
        if sd is not None and not score.get("sd_source"):
            check.error(
                _("%(where)s: give the source of the standard deviation (“sd_source”).")
                % {"where": where}
            )
            ok = False
        bands = _bands(score.get("bands", []), minimum, maximum, where, check)
        primary = score.get("primary", False)
        if not isinstance(primary, bool):
            check.error(_("%(where)s: “primary” must be true or false.") % {"where": where})
            primary, ok = False, False
        primaries += primary
        if (
            ok
            and labels is not None
            and bands is not None
            and minimum is not None
            and maximum is not None
        ):
            scores[code] = Score(
                code=code,
                labels=labels,
                minimum=minimum,
                maximum=maximum,
                higher_is_better=higher_is_better,
                rule=rule,
                items=tuple(numbers),
                max_missing=max_missing,
                prorate=prorate,
                factor=factor,
                lookup=tuple(sorted(lookup.items())) if lookup else (),
                mic=mic,
                reliability=reliability,
                reliability_source=str(score.get("reliability_source", "")),
                sd=sd,
                sd_source=str(score.get("sd_source", "")),
                bands=bands,
                primary=primary,
            )
    if primaries != 1:
        check.error(_("Exactly one score must be marked “primary = true” (the headline score)."))
    return scores


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _lookup(
    data: Any, numbers, items, scales, where, check, max_missing
) -> dict[int, float] | None:
    if not isinstance(data, dict) or not data:
        check.error(_("%(where)s: the lookup table (“lookup”) is missing.") % {"where": where})
        return None
    if max_missing:
        check.error(
            _("%(where)s: a lookup table needs every answer (“max_missing = 0”).")
            % {"where": where}
        )
        return None
    table: dict[int, float] = {}
    for key, value in data.items():
        try:
            raw = int(key)
        except ValueError:
            raw = None
        if raw is None or not _is_number(value):
            check.error(
                _("%(where)s: the lookup entry “%(key)s” must map a whole raw score to a number.")
                % {"where": where, "key": key}
            )
            return None
        table[raw] = float(value)
    if not numbers or not all(n in items for n in numbers):
        return table
    ranges = [_item_range(items[n], scales) for n in numbers]
    if any(p != int(p) for n in numbers for p in (o.points for o in scales[items[n].scale])):
        check.error(_("%(where)s: a lookup table needs whole-number points.") % {"where": where})
        return None
    low, high = int(sum(r[0] for r in ranges)), int(sum(r[1] for r in ranges))
    absent = [raw for raw in range(low, high + 1) if raw not in table]
    if absent:
        check.error(
            _(
                "%(where)s: the lookup table does not cover the raw scores %(raws)s "
                "(it must cover %(low)s–%(high)s)."
            )
            % {"where": where, "raws": ", ".join(map(str, absent)), "low": low, "high": high}
        )
        return None
    return table


def _bands(data: Any, minimum, maximum, where: str, check: _Checker) -> tuple[Band, ...] | None:
    if not isinstance(data, list):
        check.error(_("%(where)s: “bands” must be a list.") % {"where": where})
        return None
    bands, ok, codes = [], True, set()
    for position, band in enumerate(data, start=1):
        bwhere = _("%(where)s, band %(position)s") % {"where": where, "position": position}
        if not isinstance(band, dict):
            check.error(_("%(where)s is not a table.") % {"where": bwhere})
            ok = False
            continue
        check.unknown_keys(band, BAND_KEYS, bwhere)
        code = band.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code) or code in codes:
            check.error(_("%(where)s: the code is missing or used twice.") % {"where": bwhere})
            ok = False
        codes.add(code)
        low = check.number(band, "low", bwhere)
        high = check.number(band, "high", bwhere)
        labels = check.texts(band, bwhere)
        if low is None or high is None or labels is None:
            ok = False
            continue
        if low > high:
            check.error(
                _("%(where)s: the lower limit is above the upper limit.") % {"where": bwhere}
            )
            ok = False
        if minimum is not None and maximum is not None and (low < minimum or high > maximum):
            check.error(
                _(
                    "%(where)s (%(low)s–%(high)s) lies outside the score range "
                    "%(minimum)s–%(maximum)s."
                )
                % {
                    "where": bwhere,
                    "low": _fmt(low),
                    "high": _fmt(high),
                    "minimum": _fmt(minimum),
                    "maximum": _fmt(maximum),
                }
            )
            ok = False
        bands.append(Band(code=str(code), labels=labels, low=low, high=high))
    ordered = sorted(bands, key=lambda b: (b.low, b.high))
    for first, second in itertools.pairwise(ordered):
        if second.low <= first.high:
            check.error(
                _("%(where)s: the bands “%(first)s” and “%(second)s” overlap.")
                % {"where": where, "first": first.code, "second": second.code}
            )
            ok = False
    return tuple(ordered) if ok else None


def _signal(data: Any, scores: dict[str, Score], check: _Checker) -> tuple[str, float] | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        check.error(_("“signal” must be a table with a score and a threshold."))
        return None
    code = data.get("score")
    threshold = data.get("threshold")
    if not _is_number(threshold):
        check.error(_("The signal needs a numeric “threshold”."))
        return None
    if code not in scores:
        check.error(
            _("The signal refers to the score “%(code)s”, which does not exist.") % {"code": code}
        )
        return None
    score = scores[code]
    if not score.minimum <= threshold <= score.maximum:
        check.error(_("The signal threshold lies outside the range of its score."))
        return None
    return code, float(threshold)


def _reference(data: Any, scores: dict[str, Score], check: _Checker) -> Reference | None:
    """``[reference]``: a label in three languages, a source, and ``[reference.shares]``, the
    fraction of the reference population in each band of the primary score (summing to 1)."""
    if data is None:
        return None
    where = _("The reference")
    if not isinstance(data, dict):
        check.error(_("“reference” must be a table with a label, a source and shares."))
        return None
    check.unknown_keys(data, {"label", "source", "shares"}, where)
    labels = check.texts(data.get("label"), where)
    source = check.string(data, "source", where)
    primary = next((s for s in scores.values() if s.primary), None)
    shares = data.get("shares")
    if not isinstance(shares, dict) or not shares:
        check.error(_("%(where)s: the shares per band are missing.") % {"where": where})
        return None
    if primary is None:
        return None
    bands = {band.code for band in primary.bands}
    clean: dict[str, float] = {}
    for code, value in shares.items():
        if code not in bands:
            check.error(
                _("%(where)s: “%(band)s” is not a band of the primary score.")
                % {"where": where, "band": code}
            )
        elif not _is_number(value) or not 0 <= value <= 1:
            check.error(
                _("%(where)s: the share of “%(band)s” must be a fraction between 0 and 1.")
                % {"where": where, "band": code}
            )
        else:
            clean[code] = float(value)
    if len(clean) == len(shares) and abs(sum(clean.values()) - 1) > 0.02:
        check.error(_("%(where)s: the shares must add up to 1.") % {"where": where})
    if check.errors or labels is None or source is None:
        return None
    return Reference(labels=labels, source=source, shares=MappingProxyType(clean))
