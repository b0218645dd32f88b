"""The closure days the demo and the benchmark data share (``presence.demo``)."""

from __future__ import annotations

from datetime import date

from isa.presence.demo import closure_days_between


def test_the_closure_days_between_two_dates_are_the_weekdays_of_the_breaks_in_range():
    closed = closure_days_between(date(2025, 12, 20), date(2026, 1, 5))
    assert list(closed) == [
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2025, 12, 29),
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 1, 2),
    ]
    assert closed[date(2026, 1, 1)] == "Nouvel An"


def test_a_day_closed_for_two_reasons_is_listed_once_with_the_first():
    # In 2031 Corpus Christi falls on the team's training day, 12 June.
    closed = closure_days_between(date(2031, 6, 10), date(2031, 6, 14))
    assert closed == {date(2031, 6, 12): "Fête-Dieu"}
