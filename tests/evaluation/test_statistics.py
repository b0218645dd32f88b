"""Statistics for small groups, checked against scipy on fixed data and by hand."""

import math

import numpy as np
import pytest
from django.utils import translation
from scipy import stats

from isa.evaluation.statistics import (
    SMALL_GROUP,
    cost_change,
    paired_change,
    rank_biserial,
    reliable_change,
    share,
    wilcoxon,
)

# WHO-5 percentage scores of 12 people (fictional), no ties among the changes.
BEFORE = [40, 32, 60, 48, 28, 52, 44, 36, 56, 24, 40, 44]
AFTER = [52, 40, 61, 54, 31, 65, 42, 45, 70, 39, 44, 49]
# 22 people with ties and zero changes, as a full programme would give.
BEFORE_22 = [12, 8, 15, 10, 7, 14, 9, 11, 13, 6, 10, 12, 8, 15, 9, 11, 7, 13, 10, 12, 14, 8]
AFTER_22 = [14, 11, 15, 13, 9, 16, 8, 14, 15, 10, 12, 12, 11, 17, 12, 13, 9, 16, 11, 15, 16, 10]


def test_wilcoxon_without_ties_equals_scipy_exact():
    d = np.subtract(AFTER, BEFORE)
    expected = stats.wilcoxon(AFTER, BEFORE, method="exact")
    result = paired_change(BEFORE, AFTER)
    assert result.method == "exact"
    assert result.statistic == expected.statistic
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.n == 12
    assert result.median_change == float(np.median(d))
    assert result.median_before == float(np.median(BEFORE))
    assert result.median_after == float(np.median(AFTER))


def test_zero_differences_are_dropped_as_scipy_wilcox_method():
    before, after = [*BEFORE, 30, 50], [*AFTER, 30, 50]
    expected = stats.wilcoxon(after, before, method="exact", zero_method="wilcox")
    result = paired_change(before, after)
    assert result.n == 14
    assert (result.statistic, result.p_value) == (
        expected.statistic,
        pytest.approx(expected.pvalue),
    )
    assert result.method == "exact"


@pytest.mark.parametrize(
    "d",
    [
        [1, 1, -2, 3, 4],
        [2, 2, 2, -1, 3, 3, -3, 5],
        [-1, -1, -1, -1, 2, 2, 4, 4, 4, 1, 1, 1, 1],  # 13: scipy still enumerates every sign
        [0.5, 0.5, -0.5, 1.5, 2.0, 2.0],
    ],
)
def test_wilcoxon_with_ties_equals_scipy_permutation_enumeration(d):
    expected = stats.wilcoxon(d, method=stats.PermutationMethod())
    statistic, p_value, method = wilcoxon(d)
    assert method == "permutation"
    assert statistic == pytest.approx(expected.statistic)
    assert p_value == pytest.approx(expected.pvalue, rel=1e-12)


def test_wilcoxon_with_ties_on_22_people_is_close_to_scipy_sampling_and_fast():
    d = np.subtract(AFTER_22, BEFORE_22)
    result = paired_change(BEFORE_22, AFTER_22)  # its cost: bench/evaluation_stats.py
    assert result.method == "permutation"
    sampled = stats.wilcoxon(
        d[d != 0],
        method=stats.PermutationMethod(n_resamples=9_999, rng=np.random.default_rng(1)),
    )
    assert result.statistic == sampled.statistic
    # scipy's random sampling bounds its p-value below by 1/(resamples+1); ours is exact.
    assert result.p_value <= sampled.pvalue
    assert result.p_value == pytest.approx(24 / 2**22, rel=1e-9)


def test_never_the_normal_approximation():
    for n in (2, 5, 22, 60):
        rng = np.random.default_rng(n)
        before = rng.integers(0, 25, n).astype(float)
        after = before + rng.integers(-3, 5, n)
        assert paired_change(before, after).method in {"exact", "permutation", "none"}


def test_bootstrap_interval_equals_scipy_paired_bootstrap_with_the_same_seed():
    result = paired_change(BEFORE, AFTER, seed=7)
    expected = stats.bootstrap(
        (np.array(BEFORE, float), np.array(AFTER, float)),
        lambda b, a, axis=-1: np.median(a - b, axis=axis),
        paired=True,
        vectorized=True,
        n_resamples=9999,
        method="percentile",
        rng=np.random.default_rng(7),
    ).confidence_interval
    assert (result.ci_low, result.ci_high) == (expected.low, expected.high)
    assert result.ci_low <= result.median_change <= result.ci_high
    assert paired_change(BEFORE, AFTER, seed=7) == result  # same seed, same interval


def test_rank_biserial_by_hand():
    # |d| ranks 1..5; favourable 1+2+4+5 = 12, unfavourable 3, total 15 → (12 − 3)/15
    assert rank_biserial([1, 2, -3, 4, 5]) == pytest.approx(0.6)
    assert rank_biserial([1, 2, -3, 4, 5], higher_is_better=False) == pytest.approx(-0.6)
    # ties: ranks 1.5, 1.5, 3 → (3 − 3)/6
    assert rank_biserial([1, 1, -2]) == 0
    assert rank_biserial([0, 3, 0, 2]) == 1
    assert rank_biserial([0, 0]) is None


def test_rank_biserial_matches_the_wilcoxon_rank_sums():
    d = np.subtract(AFTER, BEFORE)
    t_minus = stats.wilcoxon(d, method="exact", alternative="greater").statistic  # T+
    total = len(d) * (len(d) + 1) / 2
    assert paired_change(BEFORE, AFTER).rank_biserial == pytest.approx(
        (t_minus - (total - t_minus)) / total
    )


def test_reliable_change_by_hand():
    # S_diff = √2 · 5 · √0.2 = 3.1623; (20 − 10)/3.1623 = 3.162
    result = reliable_change(10, 20, sd=5, reliability=0.8)
    assert result.rci == pytest.approx(10 / (math.sqrt(2) * 5 * math.sqrt(0.2)))
    assert result.category == "improved"
    assert reliable_change(10, 20, sd=5, reliability=0.8, higher_is_better=False).category == (
        "deteriorated"
    )
    assert reliable_change(10, 15, sd=5, reliability=0.8).category == "no_reliable_change"
    assert reliable_change(20, 10, sd=5, reliability=0.8).category == "deteriorated"
    unknown = reliable_change(None, 10, sd=5, reliability=0.8)
    assert (unknown.rci, unknown.category) == (None, "unknown")


def test_reliable_change_threshold_is_strictly_above_1_96():
    s_diff = math.sqrt(2) * 4 * math.sqrt(1 - 0.75)
    assert reliable_change(0, 1.96 * s_diff, sd=4, reliability=0.75).category == (
        "no_reliable_change"
    )
    assert reliable_change(0, 1.97 * s_diff, sd=4, reliability=0.75).category == "improved"


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (-1, 0.8), (5, 1), (5, -0.1)])
def test_reliable_change_refuses_meaningless_parameters(sd, reliability):
    with pytest.raises(ValueError):
        reliable_change(1, 2, sd=sd, reliability=reliability)


def test_categories_by_rci_then_mic_then_sign():
    before, after = [10, 10, 10, 10], [20, 14, 10, 0]
    by_rci = paired_change(before, after, reliability=0.8, sd=5)
    assert (by_rci.improved, by_rci.unchanged, by_rci.deteriorated) == (1, 2, 1)
    by_mic = paired_change(before, after, mic=5)
    assert (by_mic.improved, by_mic.unchanged, by_mic.deteriorated) == (1, 2, 1)
    by_sign = paired_change(before, after)
    assert (by_sign.improved, by_sign.unchanged, by_sign.deteriorated) == (2, 1, 1)
    lower_is_better = paired_change(before, after, higher_is_better=False)
    assert (lower_is_better.improved, lower_is_better.deteriorated) == (1, 2)
    assert lower_is_better.rank_biserial == -by_sign.rank_biserial


def test_n_zero():
    result = paired_change([], [])
    assert result.n == 0 and result.method == "none"
    assert result.median_change is None and result.ci_low is None and result.p_value is None
    assert result.caution


def test_pairs_with_a_missing_side_are_left_out():
    result = paired_change([10, None, 12, 9, float("nan")], [12, 14, None, 11, 3])
    assert result.n == 2
    assert result.median_change == 2


def test_n_one_and_two():
    one = paired_change([10], [14])
    assert one.n == 1 and one.method == "none" and one.ci_low is None
    assert one.median_change == 4 and one.improved == 1
    two = paired_change([10, 12], [14, 13])
    assert two.n == 2 and two.ci_low is None  # no interval below 3 pairs
    expected = stats.wilcoxon([4, 1], method="exact")
    assert (two.statistic, two.p_value, two.method) == (
        expected.statistic,
        expected.pvalue,
        "exact",
    )


def test_all_differences_zero():
    result = paired_change([10, 12, 8, 9], [10, 12, 8, 9])
    assert result.method == "none" and result.statistic is None and result.p_value is None
    assert result.median_change == 0
    assert result.ci_low is None and result.ci_high is None  # every change equal
    assert result.rank_biserial is None
    assert (result.improved, result.unchanged, result.deteriorated) == (0, 4, 0)


def test_all_changes_equal_gives_no_interval():
    result = paired_change([1, 2, 3, 4], [3, 4, 5, 6])
    assert result.ci_low is None and result.median_change == 2


def test_lengths_must_match():
    with pytest.raises(ValueError):
        paired_change([1, 2], [1])


def test_caution_is_always_present_and_says_how_few_people():
    with translation.override("en"):
        assert "Only 1 person" in paired_change([1], [2]).caution
        assert "Only 4 people" in paired_change([1, 2, 3, 4], [2, 3, 5, 4]).caution
        assert paired_change(BEFORE_22, AFTER_22).caution.startswith("22 people answered both")
        assert "nothing can be said" in paired_change([], []).caution


def test_cost_change_relative_change_of_the_sums():
    before = [1000, 3000, 2000, 4000]
    after = [500, 1000, 1500, 1900]
    result = cost_change(before, after, seed=3)
    assert (result.total_before, result.total_after) == (10000, 4900)
    assert result.relative_change == pytest.approx(-0.51)
    expected = stats.bootstrap(
        (np.array(before, float), np.array(after, float)),
        lambda b, a, axis=-1: np.sum(a, axis=axis) / np.sum(b, axis=axis) - 1,
        paired=True,
        vectorized=True,
        n_resamples=9999,
        method="percentile",
        rng=np.random.default_rng(3),
    ).confidence_interval
    assert (result.ci_low, result.ci_high) == (expected.low, expected.high)
    assert result.ci_low <= result.relative_change <= result.ci_high
    assert result.caution


def test_cost_change_edge_cases():
    empty = cost_change([], [])
    assert empty.n == 0 and empty.relative_change is None and empty.caution
    zero = cost_change([0, 0, 0], [100, 0, 50])
    assert zero.relative_change is None and zero.total_after == 150
    two = cost_change([100, 300], [50, 150])
    assert two.relative_change == -0.5 and two.ci_low is None
    proportional = cost_change([100, 200, 300], [50, 100, 150])
    assert proportional.relative_change == -0.5 and proportional.ci_low is None
    assert cost_change([100, None, 300], [50, 20, None]).n == 1


def test_share_counts_below_ten_people():
    with translation.override("en"):
        assert share(7, 9) == "7 of 9"
        assert share(0, 0) == "0 of 0"
        assert share(7, 12) == "58 % (7 of 12)"
        assert share(1, SMALL_GROUP) == "10 % (1 of 10)"


def _whole_distribution_p(d: np.ndarray) -> float:
    """The sign-flip p-value from the whole distribution (the former way, kept as reference)."""
    doubled = np.rint(2 * stats.rankdata(np.abs(d))).astype(int)
    total = int(doubled.sum())
    distribution = np.zeros(total + 1)
    distribution[0] = 1.0
    for rank in doubled:
        shifted = np.zeros_like(distribution)
        shifted[rank:] = distribution[: total + 1 - rank]
        distribution = (distribution + shifted) / 2
    observed = int(doubled[d > 0].sum())
    return min(1.0, 2 * min(distribution[: observed + 1].sum(), distribution[observed:].sum()))


@pytest.mark.parametrize("shift", [-4, -1, 0, 1, 4])
def test_the_lower_tail_alone_gives_the_same_p_value(shift: int):
    """Counting only the nearer tail (the distribution is symmetric) changes no p-value, for
    large tied groups (a combined report's) and one-sided ones alike."""
    from isa.evaluation.statistics import _signed_rank_permutation

    rng = np.random.default_rng(shift + 10)
    d = (rng.integers(-5, 6, 300) + shift).astype(float)
    d = d[d != 0]
    assert _signed_rank_permutation(d)[1] == pytest.approx(_whole_distribution_p(d), rel=1e-9)
