"""Time the evaluation statistics on the size of one programme (22 people).

    .venv/bin/python bench/evaluation_stats.py

Prints the median time per call of ``paired_change`` (Wilcoxon exact or permutation,
bootstrap interval, RCI categories) and ``cost_change`` (bootstrap of a ratio of sums).
The budget is 100 ms per result.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa.settings")

import django

django.setup()

import numpy as np  # noqa: E402

from isa.evaluation.statistics import cost_change, paired_change  # noqa: E402

BUDGET_MS = 100


def timed(fn, repeat=20):
    fn()  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    rng = np.random.default_rng(22)
    before = rng.integers(0, 26, 22).astype(float)  # WHO-5 raw, with ties
    after = np.clip(before + rng.integers(-3, 6, 22), 0, 25)
    distinct_after = before + np.arange(1, 23) * 0.37 * np.where(np.arange(22) % 4, 1, -1)
    costs_before = rng.gamma(1.2, 4000, 22).round(2)
    costs_after = (costs_before * rng.uniform(0.2, 1.2, 22)).round(2)
    cases = [
        ("paired_change n=22, ties (permutation)",
         lambda: paired_change(before, after, reliability=0.85, sd=5, mic=2.5)),
        ("paired_change n=22, no ties (exact)", lambda: paired_change(before, distinct_after)),
        ("cost_change n=22", lambda: cost_change(costs_before, costs_after)),
    ]  # fmt: skip
    worst = 0.0
    for name, fn in cases:
        median, slowest = timed(fn)
        worst = max(worst, slowest)
        print(f"{name:45s} median {median:6.1f} ms   max {slowest:6.1f} ms")
    print(f"budget {BUDGET_MS} ms per result: {'OK' if worst < BUDGET_MS else 'OVER'}")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
