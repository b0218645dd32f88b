"""Which instruments a programme can use: the shipped ones and those its organisation
loaded.  A *key* names one: ``who5@1998`` for a shipped instrument, ``org12`` for a loaded
file (its database id)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from isa.core.models import Programme
from isa.evaluation.instruments import (
    Instrument,
    get_instrument,
    parse_instrument,
    shipped_instruments,
)
from isa.evaluation.models import Administration, LoadedInstrument, text_hash


@dataclass(frozen=True)
class Choice:
    key: str
    instrument: Instrument
    loaded: LoadedInstrument | None = None

    @property
    def title(self) -> str:
        return self.instrument.title


@lru_cache(maxsize=256)
def _parsed(sha: str, text: str) -> Instrument:
    return parse_instrument(text)


def loaded_instrument(row: LoadedInstrument) -> Instrument:
    return _parsed(row.sha256, row.text)


def shipped_key(instrument: Instrument) -> str:
    return f"{instrument.code}@{instrument.version}"


def choices_for(programme: Programme) -> list[Choice]:
    """Shipped instruments first, then the organisation's own files."""
    result = [Choice(shipped_key(i), i) for i in shipped_instruments()]
    for row in LoadedInstrument.objects.for_programme(programme):
        try:
            result.append(Choice(row.key, loaded_instrument(row), row))
        except ValueError:  # a file valid once, no longer readable by this version
            continue
    return result


def choice_for(programme: Programme, key: str) -> Choice | None:
    """The instrument a key names, for this programme, or None."""
    key = (key or "").strip()
    if key.startswith("org") and key[3:].isdigit():
        row = LoadedInstrument.objects.for_programme(programme).filter(pk=int(key[3:])).first()
        if row is None:
            return None
        try:
            return Choice(row.key, loaded_instrument(row), row)
        except ValueError:
            return None
    code, _sep, version = key.partition("@")
    try:
        instrument = get_instrument(code, version or None)
    except (KeyError, ValueError):
        return None
    return Choice(shipped_key(instrument), instrument)


def instrument_of(administration: Administration) -> Instrument:
    """The instrument an administration was answered with (its loaded file, or the shipped
    file of its code and version)."""
    if administration.loaded_instrument_id:
        return loaded_instrument(administration.loaded_instrument)
    return get_instrument(administration.instrument_code, administration.instrument_version)


def instrument_hash(instrument: Instrument) -> str:
    return text_hash(instrument.to_text())
