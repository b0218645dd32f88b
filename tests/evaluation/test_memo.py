"""Charts and statistics are remembered by data and language, never served stale."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.utils import translation

from isa.evaluation import charts, memo, statistics
from isa.evaluation.instruments import get_instrument


def test_a_chart_is_drawn_once_per_data_and_language():
    memo.clear()
    score = get_instrument("who5").primary
    points = [(date(2024, 3, 1), 40.0), (date(2024, 9, 1), 52.0)]
    with translation.override("en"):
        first = charts.trajectory_svg(points, score=score, title="T")
        again = charts.trajectory_svg(list(points), score=score, title="T")
    assert again is first  # the same object: not drawn again
    assert charts.trajectory_svg.uncached(points, score=score, title="T") is not first
    with translation.override("fr"):
        french = charts.trajectory_svg(points, score=score, title="T")
    assert french != first  # the words are the language's
    with translation.override("en"):
        changed = charts.trajectory_svg([*points, (date(2025, 3, 1), 60.0)], score=score)
    assert changed != first


def test_statistics_are_remembered_and_accept_arrays():
    memo.clear()
    before, after = [10, 12, 9, 14, 8, 11], [13, 12, 12, 15, 10, 14]
    first = statistics.paired_change(before, after, seed=3)
    assert statistics.paired_change(np.array(before), np.array(after), seed=3) is first
    assert statistics.paired_change(before, after, seed=4) is not first


def test_the_memory_is_bounded(monkeypatch):
    memo.clear()
    monkeypatch.setattr(memo, "CACHE_SIZE", 3)
    for n in range(6):
        statistics.cost_change([100.0 + n, 200.0], [50.0, 100.0])
    assert len(memo._cache) == 3
