"""The non-judgment writing aid: finds wording that labels or judges a person.

While a journal entry is written, :func:`check` returns the passages that reduce a person to
a condition or a vice (``label``), pronounce a moral verdict (``verdict``), present a guess
about someone's intent as a fact (``intent``) or turn some moments into a rule about a
person's conduct (``generalisation``), each with a short reason and a descriptive
alternative.  It advises, it never blocks: nothing here can refuse an entry.

The words and patterns are data (``lexicon_fr.toml``, ``lexicon_de.toml``,
``lexicon_en.toml``, next to this file); this module only knows how to read and apply them.
It is pure Python (no Django import), so views, forms and scripts can all use it.

A finding's ``reason`` and ``suggestion`` are English source messages (gettext msgids, from
:mod:`isa.journal.aid.messages`), shared by the three lexicons: the page that shows them
translates them into the **interface** language, which need not be the language of the text.

When the language of a text is not given, :func:`check` asks :func:`candidate_languages`:
a text whose language is clear is checked in that language, a short or mixed one in every
language.

Matching rules, the same for every pattern:

* case-insensitive, and accent-insensitive: the text and the patterns are both compared
  without diacritics, so ``Inadmissible``, ``INADMISSIBLE`` and ``inadmissible`` match the
  same entry; offsets always point into the original text;
* whole words: a pattern never matches inside a longer word;
* ``’`` and ``'`` are the same apostrophe; in ``words`` a space also matches several
  spaces or a line break, and a hyphen matches a hyphen or a space;
* an entry may list ``exclude`` patterns: a match that overlaps a match of one of them is
  not reported (descriptive uses, reported speech);
* when findings overlap, the longest wins.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from isa.journal.aid.messages import MESSAGES

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "Finding",
    "candidate_languages",
    "check",
    "detect_language",
    "lexicon",
]

LANGUAGES = ("fr", "de", "en")
CATEGORIES = ("label", "verdict", "intent", "generalisation")

_FLAGS = re.IGNORECASE | re.UNICODE
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_MACRO = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Finding:
    """One passage of the text worth a second look.

    ``start`` and ``end`` are offsets in the original text (``text[start:end] == phrase``).
    ``reason`` and ``suggestion`` are English source messages, to be translated (gettext)
    into the reader's interface language; ``message`` names them (see
    :mod:`isa.journal.aid.messages`) and ``language`` is the lexicon that matched.
    """

    start: int
    end: int
    phrase: str
    category: str
    reason: str
    suggestion: str
    message: str
    language: str


@dataclass(frozen=True)
class _Entry:
    id: str
    category: str
    message: str
    pattern: re.Pattern[str]
    excludes: tuple[re.Pattern[str], ...]


# --------------------------------------------------------------------------- folding


def _fold(text: str) -> tuple[str, list[int]]:
    """The text without diacritics, typographic apostrophes unified.

    Returns the folded text and, for each of its characters, the index of the original
    character it comes from (case is kept: patterns are compiled case-insensitive, and a
    few patterns rely on capitals, e.g. for first names).
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out.append(char)
            origin.append(index)
            continue
        plain = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        ).translate(_APOSTROPHES)
        for c in plain:
            out.append(c)
            origin.append(index)
    return "".join(out), origin


def _fold_pattern(pattern: str) -> str:
    """A pattern from the data files, without diacritics (regex syntax is ASCII, untouched)."""
    decomposed = unicodedata.normalize("NFD", pattern)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain).translate(_APOSTROPHES)


# --------------------------------------------------------------------------- the data


def _words_to_regex(phrase: str) -> str:
    """A plain phrase of the data file as a regex: whole words, flexible spaces.

    A trailing ``*`` on a word stands for any ending (``manipulat*``).
    """
    parts: list[str] = []
    for piece in re.split(r"(\s+|-|')", _fold_pattern(phrase.strip())):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
        elif piece == "-":
            parts.append(r"[-\s]?")
        elif piece == "'":
            parts.append(r"'\s*")
        elif piece.endswith("*"):
            parts.append(re.escape(piece[:-1]) + r"\w*")
        else:
            parts.append(re.escape(piece))
    return "".join(parts)


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"{where}: unknown macro {{{{{name}}}}}")
        return f"(?:{macros[name]})"

    return _MACRO.sub(replace, pattern)


def _compile(alternatives: list[str], where: str) -> re.Pattern[str]:
    body = "|".join(f"(?:{a})" for a in alternatives)
    try:
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", _FLAGS)
    except re.error as exc:
        raise ValueError(f"{where}: invalid pattern: {exc}") from exc


@cache
def lexicon(language: str) -> tuple[_Entry, ...]:
    """The entries of one language's data file, compiled once."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    source = resources.files(__package__).joinpath(f"lexicon_{language}.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))

    macros: dict[str, str] = {}
    for name, value in data.get("macros", {}).items():
        macros[name] = _expand(_fold_pattern(value), macros, f"lexicon_{language}: macro {name}")

    entries: list[_Entry] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.get("entry", []), start=1):
        ident = raw.get("id", f"#{number}")
        where = f"lexicon_{language}.toml, entry {ident}"
        if ident in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(ident)
        category = raw.get("category")
        if category not in CATEGORIES:
            raise ValueError(f"{where}: category must be one of {CATEGORIES}, not {category!r}")
        message = raw.get("message")
        if message not in MESSAGES:
            raise ValueError(f"{where}: message must name an entry of messages.py, not {message!r}")
        # Longest phrase first: a regex alternation takes the first branch that matches.
        words = sorted(raw.get("words", []), key=lambda w: -len(w))
        alternatives = [_words_to_regex(w) for w in words]
        alternatives += [_expand(_fold_pattern(r), macros, where) for r in raw.get("regex", [])]
        if not alternatives:
            raise ValueError(f"{where}: give at least one of words, regex")
        # Each exclusion on its own: in one alternation, a shorter match would hide a longer one.
        excludes = tuple(
            _compile([_expand(_fold_pattern(r), macros, where)], where + " (exclude)")
            for r in raw.get("exclude", [])
        )
        entries.append(
            _Entry(
                id=ident,
                category=category,
                message=message,
                pattern=_compile(alternatives, where),
                excludes=excludes,
            )
        )
    return tuple(entries)


# --------------------------------------------------------------------------- checking


def _languages(language: str | None, text: str) -> tuple[str, ...]:
    code = (language or "").strip().lower()[:2]
    return (code,) if code in LANGUAGES else candidate_languages(text)


def check(text: str, language: str | None = None) -> list[Finding]:
    """The judging passages of ``text``, in reading order, never overlapping.

    ``language`` is ``"fr"``, ``"de"`` or ``"en"`` (a locale such as ``"fr-ch"`` is
    accepted).  When it is empty or unknown, :func:`candidate_languages` decides: the text
    is checked in its language when that is clear, and against every language when it is
    not (a few words, a mixed text); the findings of all of them are merged.  The text is
    plain text: HTML is not interpreted, so offsets are offsets in the string given.
    """
    if not text or not text.strip():
        return []
    folded, origin = _fold(text)

    candidates: list[tuple[int, int, int, str, _Entry]] = []
    # Exclusions are searched only for an entry that matched, and each one once per call
    # (the same macros, e.g. {{quoted}}, exclude for many entries).
    exclusion_spans: dict[str, list[tuple[int, int]]] = {}

    def spans(exclude: re.Pattern[str]) -> list[tuple[int, int]]:
        if exclude.pattern not in exclusion_spans:
            exclusion_spans[exclude.pattern] = [m.span() for m in exclude.finditer(folded)]
        return exclusion_spans[exclude.pattern]

    rank = 0
    for code in _languages(language, text):
        for entry in lexicon(code):
            rank += 1
            matches = [m.span() for m in entry.pattern.finditer(folded) if m.start() != m.end()]
            if not matches:
                continue
            excluded = [span for ex in entry.excludes for span in spans(ex)]
            for start, end in matches:
                if any(s < end and start < e for s, e in excluded):
                    continue
                candidates.append((start, end, rank, code, entry))

    # Longest first; at equal length the earlier passage, then the earlier entry.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    kept: list[tuple[int, int, str, _Entry]] = []
    for start, end, _rank, code, entry in candidates:
        if all(end <= s or e <= start for s, e, _, _ in kept):
            kept.append((start, end, code, entry))
    kept.sort(key=lambda k: k[0])

    findings: list[Finding] = []
    for start, end, code, entry in kept:
        first = origin[start]
        last = origin[end - 1] + 1
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1  # a decomposed accent belongs to the letter before it
        findings.append(
            Finding(
                start=first,
                end=last,
                phrase=text[first:last],
                category=entry.category,
                reason=MESSAGES[entry.message][0],
                suggestion=MESSAGES[entry.message][1],
                message=entry.message,
                language=code,
            )
        )
    return findings


# --------------------------------------------------------------------------- language

_STOP_WORDS_RAW = {
    "fr": (
        "le la les un une des du de et est il elle ils elles on nous vous je qui que qu ne pas "
        "avec pour dans sur au aux ce cette ces son sa ses leur mais ou été était avait "
        "très aussi plus toujours jamais aujourd hui lui y en atelier"
    ),
    "de": (
        "der die das den dem des ein eine einen einem einer und ist sind war hat hatte er sie "
        "es wir ich ihr nicht mit für auf im in zu zum zur von vom bei auch noch nur immer "
        "nie heute sich dass wie aber oder sehr schon wieder atelier"
    ),
    "en": (
        "the a an and is are was were has had have he she it they we i you not with for on "
        "in at to of from by this that his her their but or very also always never today "
        "did does do about what who so my your our be been workshop"
    ),
}
_STOP_WORDS = {
    lang: frozenset(_fold_pattern(w) for w in words.split())
    for lang, words in _STOP_WORDS_RAW.items()
}


def _scores(text: str) -> dict[str, int]:
    folded = _fold_pattern(text or "").lower()
    words = re.findall(r"\w+", folded)
    return {lang: sum(1 for w in words if w in stops) for lang, stops in _STOP_WORDS.items()}


def candidate_languages(text: str) -> tuple[str, ...]:
    """The languages ``text`` may be written in: one when it is clear, all three when not.

    Clear means at least two common words of one language and more than twice as many as
    of any other.  A few words ("une personne toxicomane", "Son dessin: nul") or a text
    mixing languages gives every language, so that nothing is missed by guessing one.
    """
    scores = _scores(text)
    ranked = sorted(scores.values(), reverse=True)
    best, second = ranked[0], ranked[1]
    if best >= 2 and best > 2 * second:
        return (next(lang for lang in LANGUAGES if scores[lang] == best),)
    return LANGUAGES


def detect_language(text: str) -> str:
    """``"fr"``, ``"de"`` or ``"en"``: the language whose common words the text uses most.

    A simple count of stop words; ties, and texts without any, default to French (the
    measure is in Sion).  :func:`candidate_languages` says when this guess is unsafe.
    """
    scores = _scores(text)
    best = max(scores.values())
    if best == 0:
        return "fr"
    for lang in LANGUAGES:
        if scores[lang] == best:
            return lang
    return "fr"  # pragma: no cover
