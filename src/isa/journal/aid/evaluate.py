"""How well the writing aid separates judging sentences from descriptive ones.

The labelled samples (``sample_fr.tsv``, ``sample_de.tsv``, ``sample_en.tsv``) hold one
sentence per line, ``label<TAB>sentence``, label 1 for a sentence that labels or judges a
person, 0 for a descriptive one.  A sentence counts as flagged when :func:`isa.journal.aid.check`
returns at least one finding for it.

    python -m isa.journal.aid.evaluate          # the table and every error, three languages
    python -m isa.journal.aid.evaluate fr de    # only some languages
    python -m isa.journal.aid.evaluate --round 5   # a blind round, by language and family

A blind round (``blind_round_<n>.tsv``) is written after the lexicon it tests and is measured
on it before any change it inspires.  Its lines are ``language<TAB>family<TAB>label<TAB>
sentence``: ``family`` says which kind of wording the sentence is about (a category of the
aid, or a finer family such as ``work``, a verdict on what a person made), for judging and
descriptive sentences alike (a descriptive sentence's family is the kind of wording its
trigger words belong to).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from importlib import resources

from isa.journal.aid import LANGUAGES, check


@dataclass(frozen=True)
class Metrics:
    """Sentence-level confusion counts, with precision and recall of the "judging" class."""

    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    false_positives: tuple[str, ...] = field(default=(), repr=False, compare=False)
    false_negatives: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def load_sample(language: str) -> list[tuple[int, str]]:
    """The labelled sentences of one language, as ``(label, sentence)`` pairs."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    text = resources.files(__package__).joinpath(f"sample_{language}.tsv").read_text("utf-8")
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != ["label", "sentence"]:
        raise ValueError(f"sample_{language}.tsv must begin with the header 'label<TAB>sentence'")
    sample: list[tuple[int, str]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2 or row[0] not in ("0", "1") or not row[1].strip():
            raise ValueError(f"sample_{language}.tsv, line {number}: expected 0|1<TAB>sentence")
        sample.append((int(row[0]), row[1].strip()))
    return sample


def rounds() -> tuple[int, ...]:
    """The numbers of the blind rounds kept next to the samples."""
    found = []
    for item in resources.files(__package__).iterdir():
        name = item.name
        if name.startswith("blind_round_") and name.endswith(".tsv"):
            found.append(int(name.removeprefix("blind_round_").removesuffix(".tsv")))
    return tuple(sorted(found))


def load_round(number: int) -> list[tuple[str, str, int, str]]:
    """The sentences of one blind round, as ``(language, family, label, sentence)``."""
    name = f"blind_round_{number}.tsv"
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != ["language", "family", "label", "sentence"]:
        raise ValueError(f"{name} must begin with 'language<TAB>family<TAB>label<TAB>sentence'")
    sample: list[tuple[str, str, int, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if (
            len(row) != 4
            or row[0] not in LANGUAGES
            or not row[1].strip()
            or row[2] not in ("0", "1")
            or not row[3].strip()
        ):
            raise ValueError(f"{name}, line {line}: expected language, family, 0|1, sentence")
        sample.append((row[0], row[1].strip(), int(row[2]), row[3].strip()))
    return sample


def evaluate_round(number: int, language: str, family: str | None = None) -> Metrics:
    """Precision and recall on the sentences of one language (and family) of a blind round."""
    return _measure(
        [
            (label, sentence)
            for lang, fam, label, sentence in load_round(number)
            if lang == language and family in (None, fam)
        ],
        language,
    )


def evaluate(language: str) -> Metrics:
    """Precision and recall of :func:`check` on the labelled sample of ``language``."""
    return _measure(load_sample(language), language)


def _measure(sample: list[tuple[int, str]], language: str) -> Metrics:
    tp = fp = fn = tn = 0
    false_positives: list[str] = []
    false_negatives: list[str] = []
    for label, sentence in sample:
        flagged = bool(check(sentence, language))
        if flagged and label:
            tp += 1
        elif flagged:
            fp += 1
            false_positives.append(sentence)
        elif label:
            fn += 1
            false_negatives.append(sentence)
        else:
            tn += 1
    return Metrics(
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        false_positives=tuple(false_positives),
        false_negatives=tuple(false_negatives),
    )


def report(languages: tuple[str, ...] = LANGUAGES) -> str:
    """The Markdown table of docs/writing-aid.md, then the errors of each language."""
    results = {language: evaluate(language) for language in languages}
    lines = [
        "| language | sentences | judging | descriptive | TP | FP | FN | TN | precision | recall |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for language, m in results.items():
        lines.append(
            f"| {language} | {m.total} | {m.tp + m.fn} | {m.fp + m.tn} | {m.tp} | {m.fp} "
            f"| {m.fn} | {m.tn} | {m.precision:.2f} | {m.recall:.2f} |"
        )
    for language, m in results.items():
        lines.append("")
        lines.append(f"{language}: false positives (descriptive, flagged): {m.fp}")
        for sentence in m.false_positives:
            found = ", ".join(f"{f.phrase!r} ({f.category})" for f in check(sentence, language))
            lines.append(f"  - {sentence}  <- {found}")
        lines.append(f"{language}: false negatives (judging, not flagged): {m.fn}")
        lines.extend(f"  - {sentence}" for sentence in m.false_negatives)
    return "\n".join(lines)


def round_report(number: int) -> str:
    """The table of one blind round (as in docs/writing-aid.md), by family, then its errors."""
    sample = load_round(number)
    lines = [
        "| language | sentences | judging | descriptive | TP | FP | FN | TN | precision | recall |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    results = {language: evaluate_round(number, language) for language in LANGUAGES}
    for language, m in results.items():
        lines.append(
            f"| {language} | {m.total} | {m.tp + m.fn} | {m.fp + m.tn} | {m.tp} | {m.fp} "
            f"| {m.fn} | {m.tn} | {m.precision:.2f} | {m.recall:.2f} |"
        )
    lines += ["", "| family | " + " | ".join(LANGUAGES) + " |", "|---|---|---|---|"]
    for family in dict.fromkeys(fam for _, fam, _, _ in sample):
        cells = []
        for language in LANGUAGES:
            m = evaluate_round(number, language, family)
            cells.append(f"TP {m.tp}, FN {m.fn}, FP {m.fp}, TN {m.tn}")
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    for language, m in results.items():
        lines.append("")
        lines.append(f"{language}: false positives (descriptive, flagged): {m.fp}")
        for sentence in m.false_positives:
            found = ", ".join(f"{f.phrase!r} ({f.category})" for f in check(sentence, language))
            lines.append(f"  - {sentence}  <- {found}")
        lines.append(f"{language}: false negatives (judging, not flagged): {m.fn}")
        lines.extend(f"  - {sentence}" for sentence in m.false_negatives)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--round"]:
        if len(args) != 2 or not args[1].isdigit() or int(args[1]) not in rounds():
            print(f"usage: --round N, with N one of {', '.join(map(str, rounds()))}")
            return 2
        print(round_report(int(args[1])))
        return 0
    languages = tuple(args) or LANGUAGES
    unknown = [a for a in languages if a not in LANGUAGES]
    if unknown:
        print(f"unknown language(s): {', '.join(unknown)}; choose from {', '.join(LANGUAGES)}")
        return 2
    print(report(languages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
