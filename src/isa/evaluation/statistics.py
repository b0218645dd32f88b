"""Honest statistics for small groups: paired change, reliable change, health costs.

Pure functions on plain numbers (numpy/scipy), no database.  The group of a workshop
programme is small (15–22 people), so:

* the Wilcoxon signed-rank test is computed exactly (no ties among the non-zero
  differences) or by the permutation distribution (ties), never by the normal
  approximation; zero differences are dropped first (Wilcoxon's original ``zero_method``);
* intervals are paired bootstrap percentile intervals with a fixed seed (the same data
  always give the same interval);
* counts are shown instead of percentages below ``SMALL_GROUP`` people (:func:`share`);
* every result carries a plain-language caution about what a small group can and cannot
  show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy import stats

from .memo import memoised

SMALL_GROUP = 10  # below: counts, never percentages
RCI_THRESHOLD = 1.96
BOOTSTRAP_RESAMPLES = 9999
DEFAULT_SEED = 20261124


@dataclass(frozen=True)
class PairedChange:
    n: int
    median_before: float | None
    median_after: float | None
    median_change: float | None  # median of (after - before), in the score's units
    ci_low: float | None
    ci_high: float | None
    statistic: float | None  # Wilcoxon T (scipy's: smaller of the signed rank sums)
    p_value: float | None
    method: str  # "exact" | "permutation" | "none"
    rank_biserial: float | None  # positive = change in the favourable direction
    improved: int
    unchanged: int
    deteriorated: int
    caution: str


@dataclass(frozen=True)
class ReliableChange:
    rci: float | None
    category: str  # "improved" | "no_reliable_change" | "deteriorated" | "unknown"


@dataclass(frozen=True)
class CostChange:
    n: int
    total_before: float
    total_after: float
    relative_change: float | None  # (sum after - sum before) / sum before, e.g. -0.51
    ci_low: float | None
    ci_high: float | None
    caution: str


def _pairs(before: Sequence[float | None], after: Sequence[float | None]):
    if len(before) != len(after):
        raise ValueError("before and after must have the same length (one pair per person)")
    kept = [
        (float(b), float(a))
        for b, a in zip(before, after, strict=True)
        if b is not None and a is not None and not (math.isnan(b) or math.isnan(a))
    ]
    if not kept:
        return np.empty(0), np.empty(0)
    arr = np.array(kept, dtype=float)
    return arr[:, 0], arr[:, 1]


def _caution(n: int) -> str:
    if n == 0:
        return _("No one has answered both times yet: nothing can be said about change.")
    if n < SMALL_GROUP:
        return ngettext(
            "Only %(n)d person answered both times. These figures describe this person, not "
            "a general effect; they cannot show that the workshops caused a change.",
            "Only %(n)d people answered both times. With so few people one person more or "
            "less changes the figures a lot; they describe these people, not a general "
            "effect, and cannot show that the workshops caused a change.",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)d person answered both times: a small group. Read intervals and p-values as "
        "rough indications; without a comparison group they cannot show that the workshops "
        "caused a change.",
        "%(n)d people answered both times: a small group. Read intervals and p-values as "
        "rough indications; without a comparison group they cannot show that the workshops "
        "caused a change.",
        n,
    ) % {"n": n}


def _cost_caution(n: int) -> str:
    if n == 0:
        return _("No costs are known for both periods yet: nothing can be said about change.")
    return ngettext(
        "Health costs of %(n)d person over two periods. Costs vary a lot from one year to the "
        "next (one hospital stay weighs heavily), and without a comparison group a fall "
        "cannot be attributed to the workshops alone.",
        "Health costs of %(n)d people over two periods. Costs vary a lot from one year to "
        "the next (one hospital stay weighs heavily), and without a comparison group a fall "
        "cannot be attributed to the workshops alone.",
        n,
    ) % {"n": n}


def _float(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _signed_rank_permutation(d: np.ndarray) -> tuple[float, float]:
    """Wilcoxon signed-rank test by its exact permutation (sign-flip) distribution.

    Used when absolute differences are tied: the midranks are doubled to whole numbers and
    the distribution of the positive rank sum over all 2**n sign assignments is counted by
    dynamic programming (no sampling, so deterministic and exact given the ties).  It is the
    distribution ``scipy.stats.wilcoxon(d, method=PermutationMethod())`` enumerates when n is
    small, without its cost for 22 people (2**22 assignments).
    """
    ranks = stats.rankdata(np.abs(d))
    doubled = np.rint(2 * ranks).astype(int)
    total = int(doubled.sum())
    observed = int(doubled[d > 0].sum())
    # The distribution is symmetric (flipping every sign maps T to total − T), so
    # P(T ≥ observed) = P(T ≤ total − observed): only its lower tail, up to the nearer of
    # the two, is counted (the same p-value, without the cost of the whole distribution for
    # the large pooled groups of a combined report: docs/performance.md).
    nearer = min(observed, total - observed)
    distribution = np.zeros(nearer + 1)
    distribution[0] = 1.0
    for rank in doubled:
        if rank <= nearer:
            distribution[rank:] = distribution[rank:] + distribution[: nearer + 1 - rank]
        distribution /= 2
    p_value = min(1.0, 2 * float(distribution.sum()))
    t_plus = observed / 2
    return min(t_plus, total / 2 - t_plus), float(p_value)


def wilcoxon(differences: Sequence[float]) -> tuple[float | None, float | None, str]:
    """Wilcoxon signed-rank test of paired differences: (statistic, p-value, method).

    Zero differences are dropped (Wilcoxon's method). With no ties among the absolute
    differences: scipy's exact null distribution (``method="exact"``). With ties: the exact
    permutation distribution of the signed ranks (``method="permutation"``, see
    :func:`_signed_rank_permutation`). Never the normal approximation. Fewer than two
    non-zero differences: no test (``method = "none"``). The statistic is the smaller of
    the positive and negative rank sums (as scipy's two-sided test).
    """
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    if d.size < 2:
        return None, None, "none"
    if np.unique(np.abs(d)).size == d.size:
        result = stats.wilcoxon(d, method="exact")
        return _float(result.statistic), min(1.0, float(result.pvalue)), "exact"
    statistic, p_value = _signed_rank_permutation(d)
    return statistic, p_value, "permutation"


def rank_biserial(differences: Sequence[float], *, higher_is_better: bool = True) -> float | None:
    """Matched-pairs rank-biserial correlation (Kerby 2014, simple difference formula).

    Rank the absolute non-zero differences (average ranks for ties); r = (sum of the ranks
    of favourable changes − sum of the ranks of unfavourable changes) / sum of all ranks.
    Favourable = increase when higher is better, decrease otherwise. None without a
    non-zero difference.
    """
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    if d.size == 0:
        return None
    if not higher_is_better:
        d = -d
    ranks = stats.rankdata(np.abs(d))
    favourable, unfavourable = ranks[d > 0].sum(), ranks[d < 0].sum()
    return float((favourable - unfavourable) / ranks.sum())


def reliable_change(
    before: float | None,
    after: float | None,
    *,
    sd: float,
    reliability: float,
    higher_is_better: bool = True,
) -> ReliableChange:
    """Reliable Change Index (Jacobson & Truax 1991) of one person.

    RCI = (after − before) / S_diff with S_diff = √2 · SD · √(1 − r). |RCI| > 1.96 is a
    change larger than measurement error alone would give in 95 % of cases; its direction
    decides improved/deteriorated according to ``higher_is_better``.
    """
    if not (sd and sd > 0) or not (0 <= reliability < 1):
        raise ValueError("reliable_change needs sd > 0 and 0 <= reliability < 1")
    if before is None or after is None or math.isnan(before) or math.isnan(after):
        return ReliableChange(rci=None, category="unknown")
    s_diff = math.sqrt(2) * sd * math.sqrt(1 - reliability)
    rci = (after - before) / s_diff
    favourable = rci if higher_is_better else -rci
    if favourable > RCI_THRESHOLD:
        category = "improved"
    elif favourable < -RCI_THRESHOLD:
        category = "deteriorated"
    else:
        category = "no_reliable_change"
    return ReliableChange(rci=rci, category=category)


def _categories(before, after, *, higher_is_better, reliability, sd, mic):
    improved = unchanged = deteriorated = 0
    for b, a in zip(before, after, strict=True):
        if reliability is not None and sd is not None:
            category = reliable_change(
                b, a, sd=sd, reliability=reliability, higher_is_better=higher_is_better
            ).category
        else:
            # A change counts when it reaches the minimal important change (any non-zero
            # change without one).
            change = (a - b) if higher_is_better else (b - a)
            threshold = mic if mic is not None else 0
            if change > 0 and change >= threshold:
                category = "improved"
            elif change < 0 and -change >= threshold:
                category = "deteriorated"
            else:
                category = "no_reliable_change"
        if category == "improved":
            improved += 1
        elif category == "deteriorated":
            deteriorated += 1
        else:
            unchanged += 1
    return improved, unchanged, deteriorated


def _median_change(b, a, axis=-1):
    return np.median(a - b, axis=axis)


def _bootstrap(data, statistic, seed):
    result = stats.bootstrap(
        data,
        statistic,
        paired=True,
        vectorized=True,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=0.95,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    low, high = _float(result.confidence_interval.low), _float(result.confidence_interval.high)
    if low is None or high is None:
        return None, None
    return low, high


@memoised
def paired_change(
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    higher_is_better: bool = True,
    reliability: float | None = None,
    sd: float | None = None,
    mic: float | None = None,
    seed: int = DEFAULT_SEED,
) -> PairedChange:
    """Change between two measurements of the same people (pairs with a missing side are left out).

    Persons are counted improved/unchanged/deteriorated by the Reliable Change Index when
    ``reliability`` and ``sd`` are given, else by the minimal important change ``mic``
    (a change at least that large), else by the sign of the change.
    """
    b, a = _pairs(before, after)
    n = int(b.size)
    if n == 0:
        return PairedChange(
            n=0,
            median_before=None,
            median_after=None,
            median_change=None,
            ci_low=None,
            ci_high=None,
            statistic=None,
            p_value=None,
            method="none",
            rank_biserial=None,
            improved=0,
            unchanged=0,
            deteriorated=0,
            caution=_caution(0),
        )
    d = a - b
    ci_low = ci_high = None
    if n >= 3 and np.unique(d).size > 1:
        ci_low, ci_high = _bootstrap((b, a), _median_change, seed)
    statistic, p_value, method = wilcoxon(d)
    improved, unchanged, deteriorated = _categories(
        b, a, higher_is_better=higher_is_better, reliability=reliability, sd=sd, mic=mic
    )
    return PairedChange(
        n=n,
        median_before=float(np.median(b)),
        median_after=float(np.median(a)),
        median_change=float(np.median(d)),
        ci_low=ci_low,
        ci_high=ci_high,
        statistic=statistic,
        p_value=p_value,
        method=method,
        rank_biserial=rank_biserial(d, higher_is_better=higher_is_better),
        improved=improved,
        unchanged=unchanged,
        deteriorated=deteriorated,
        caution=_caution(n),
    )


def _relative_change(b, a, axis=-1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(a, axis=axis) / np.sum(b, axis=axis) - 1


@memoised
def cost_change(
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    seed: int = DEFAULT_SEED,
) -> CostChange:
    """Relative change of the summed costs of the same people over two periods.

    ``relative_change`` = (Σ after − Σ before) / Σ before (−0.51 = "−51 %"), with a paired
    bootstrap 95 % percentile interval of that ratio (people resampled with both of their
    periods). None when Σ before is 0; no interval below 3 people or when every resample
    gives the same value.
    """
    b, a = _pairs(before, after)
    n = int(b.size)
    total_before, total_after = float(b.sum()), float(a.sum())
    relative = None
    ci_low = ci_high = None
    if n and total_before > 0:
        relative = total_after / total_before - 1
        if n >= 3 and np.unique(a / np.where(b == 0, np.nan, b)).size > 1:
            ci_low, ci_high = _bootstrap((b, a), _relative_change, seed)
    return CostChange(
        n=n,
        total_before=total_before,
        total_after=total_after,
        relative_change=relative,
        ci_low=ci_low,
        ci_high=ci_high,
        caution=_cost_caution(n),
    )


def share(count: int, n: int) -> str:
    """ "7 of 9" below SMALL_GROUP people, "58 % (7 of 12)" from SMALL_GROUP on."""
    if n < SMALL_GROUP or n == 0:
        return _("%(count)d of %(n)d") % {"count": count, "n": n}
    percent = round(100 * count / n)
    return _("%(percent)d %% (%(count)d of %(n)d)") % {"percent": percent, "count": count, "n": n}
