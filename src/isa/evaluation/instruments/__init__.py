"""Questionnaires as versioned data files: loading, validation and scoring.

The shipped instruments live in ``data/*.toml`` (one file per instrument version, each citing
its source and licence).  An organisation can load its own file with
:func:`parse_instrument`; an invalid file raises :class:`InstrumentError` listing every
problem and never loads.
"""

from __future__ import annotations

import functools
from importlib import resources

from .loader import parse_instrument
from .model import (
    LANGUAGES,
    Band,
    Instrument,
    InstrumentError,
    InstrumentResult,
    Item,
    Reference,
    ScaleOption,
    Score,
    ScoreResult,
    Texts,
)

__all__ = [
    "LANGUAGES",
    "SHIPPED",
    "Band",
    "Instrument",
    "InstrumentError",
    "InstrumentResult",
    "Item",
    "Reference",
    "ScaleOption",
    "Score",
    "ScoreResult",
    "Texts",
    "get_instrument",
    "parse_instrument",
    "shipped_instruments",
]

# Display order of the shipped instruments (file names in data/).
SHIPPED = ("who5", "djg6", "rses", "osss3", "gse")


@functools.cache
def _shipped() -> tuple[Instrument, ...]:
    folder = resources.files(__package__) / "data"
    return tuple(parse_instrument((folder / f"{name}.toml").read_bytes()) for name in SHIPPED)


def shipped_instruments() -> list[Instrument]:
    """The instruments shipped with ISA, in display order (files parsed once per process)."""
    return list(_shipped())


def get_instrument(code: str, version: str | None = None) -> Instrument:
    """A shipped instrument by code (and version; by default the latest). KeyError if unknown."""
    candidates = [i for i in shipped_instruments() if i.code == code]
    if version is not None:
        candidates = [i for i in candidates if i.version == str(version)]
    if not candidates:
        raise KeyError(f"{code} {version or ''}".strip())
    return max(candidates, key=lambda i: i.version)
