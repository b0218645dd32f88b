"""What the parts of the generator share: the seed, the batch size, one participant's plan,
one programme's scope, and small pure helpers."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stdnum import ean
from stdnum.ch import ssn

from isa.core.models import Programme, User
from isa.people.models import Consent, Pact, Participant

SEED = 20240304
BATCH = 2000
#: Years of sessions and presence behind today, in which the people of earlier years came
#: and went (``people.ARCHIVED``): about 20,000 presence rows per programme, the budget's
#: two million at 100×.
HISTORY_YEARS = 10


@dataclass
class Plan:
    """One participant's history, before the rows exist."""

    participant: Participant
    kind: str
    programme_index: int
    referrals: list[dict[str, Any]] = field(default_factory=list)
    stays: list[dict[str, Any]] = field(default_factory=list)  # with a "pauses" list
    pacts: list[Pact] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    rng: random.Random | None = None  # its own generator (archived files), else the programme's


@dataclass
class Scope:
    """One programme being filled, with what every app's part needs of it."""

    index: int
    programme: Programme
    team: list[User]
    plans: list[Plan]  # its own files only
    media: dict[str, int]  # built-in medium code -> pk
    today: date

    @property
    def facilitators(self) -> list[User]:
        return self.team[3:6]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-")


def avs(rng: random.Random) -> str:
    digits = "756" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return ssn.format(digits + ean.calc_check_digit(digits))


def days_ago(today: date, rng: random.Random, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low, high))


def accompanied(stays: list[dict[str, Any]], end: date) -> list[tuple[date, date]]:
    """Days accompanied and not on a pause, as closed intervals (``rates.accompanied_periods``
    on the plan's dictionaries): a pause runs from its first day to the day before the
    person is back."""
    intervals = []
    for stay in stays:
        s_end = min(stay["exited_on"] or end, end)
        cursor = stay["admitted_on"]
        for pause in sorted(stay["pauses"], key=lambda p: p["started_on"]):
            back_on = pause["ended_on"] or end + timedelta(days=1)
            if pause["started_on"] > cursor:
                intervals.append((cursor, min(pause["started_on"] - timedelta(days=1), s_end)))
            cursor = max(cursor, back_on)
        if cursor <= s_end:
            intervals.append((cursor, s_end))
    return intervals


def add_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    """Sum one programme's counts into the totals, keeping the order of first appearance."""
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value
