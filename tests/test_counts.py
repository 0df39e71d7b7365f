"""Exact integer counts: admissible ranges, closest counts under totals, proportional splits."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from simsurvey.synth.counts import admissible, closest_counts, nearest_sizes, split_counts, split_table
from simsurvey.forensics.rounding import counts_for_pct


def test_admissible_hand_worked():
    # 89% of 86 is impossible: 76/86 = 88.37%, 77/86 = 89.53%
    assert admissible(89, 86) == (1, 0)
    # 89% of 90: 80/90 = 88.9%, 81/90 = 90.0% -> only 80
    assert admissible(89, 90) == (80, 80)
    # 16% of 283: 44/283 = 15.55%, 46/283 = 16.25%, 47/283 = 16.61%
    assert admissible(16, 283) == (44, 46)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 3000), k=st.integers(0, 3000), decimals=st.integers(0, 2),
       rule=st.sampled_from(["any", "half_up", "half_even"]))
def test_admissible_equals_the_full_scan(n, k, decimals, rule):
    k = min(k, n)
    pct = round(100 * k / n, decimals)
    full = counts_for_pct(pct, n, decimals, rule)
    expected = (int(full[0]), int(full[-1])) if full.size else (1, 0)
    assert admissible(pct, n, decimals, rule) == expected
    if full.size:  # the admissible counts are consecutive
        assert full.size == full[-1] - full[0] + 1


def test_admissible_rejects_bad_n():
    with pytest.raises(ValueError, match="n must be a positive whole number"):
        admissible(10, 0)


def test_closest_counts_hand_worked():
    # shares 11/53/36 of 786: targets 86.46, 416.58, 282.96 round to a sum of 786 already
    assert closest_counts([1] * 3, [786] * 3, [86.46, 416.58, 282.96], 786, 786).tolist() == [86, 417, 283]
    # shares 33/33/33 of 100: rounding gives 99; the extra unit goes to the first of the tied cells
    assert closest_counts([0] * 3, [100] * 3, [33.0] * 3, 100, 100).tolist() == [34, 33, 33]
    # bounds bind: the first cell cannot move, the others take the difference
    assert closest_counts([5, 0], [5, 10], [2.0, 2.0], 10, 10).tolist() == [5, 5]
    assert closest_counts([0, 0], [1, 1], [0.5, 0.5], 3, 3) is None
    assert closest_counts([2], [1], [1.0]) is None


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_closest_counts_is_the_least_squares_optimum(data):
    k = data.draw(st.integers(1, 3))
    low = np.array(data.draw(st.lists(st.integers(0, 4), min_size=k, max_size=k)))
    high = low + np.array(data.draw(st.lists(st.integers(0, 4), min_size=k, max_size=k)))
    target = np.array(data.draw(st.lists(st.floats(-2, 10), min_size=k, max_size=k)))
    t_lo = data.draw(st.integers(0, 20))
    t_hi = t_lo + data.draw(st.integers(0, 5))
    best = None
    for combo in itertools.product(*[range(lo, hi + 1) for lo, hi in zip(low, high)]):
        if t_lo <= sum(combo) <= t_hi:
            cost = float(((np.array(combo) - target) ** 2).sum())
            best = cost if best is None else min(best, cost)
    got = closest_counts(low, high, target, t_lo, t_hi)
    if best is None:
        assert got is None
    else:
        assert np.all(got >= low) and np.all(got <= high) and t_lo <= got.sum() <= t_hi
        assert float(((got - target) ** 2).sum()) == pytest.approx(best)


def test_nearest_sizes():
    # 11/53/36 of 786 is 86.46 / 416.58 / 282.96: the closest integers that sum to 786
    assert nearest_sizes([11, 53, 36], 786).tolist() == [86, 417, 283]
    assert nearest_sizes([74.2, 25.8], 490).tolist() == [364, 126]
    assert nearest_sizes([99.9, 0.1], 10).tolist() == [9, 1]  # every group keeps one respondent
    with pytest.raises(ValueError, match="too small for 3 groups"):
        nearest_sizes([11, 53, 36], 2)


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(0, 50), min_size=1, max_size=5), data=st.data())
def test_split_table_keeps_both_margins(sizes, data):
    n = sum(sizes)
    if n == 0:
        return
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=2, max_size=2)))
    totals = [cuts[0], cuts[1] - cuts[0], n - cuts[1]]
    table = split_table(totals, sizes)
    assert table.min() >= 0
    assert table.sum(axis=1).tolist() == sizes
    assert table.sum(axis=0).tolist() == totals
    # close to proportional: a cell is the difference of two cumulative counts, each
    # less than one from its proportional value, so it is less than two off
    assert np.all(np.abs(table - np.outer(sizes, totals) / n) < 2)


def test_split_counts_is_proportional():
    # 83% of 786 = 652 respondents over groups of 90, 415, 281 (targets 74.7, 344.3, 233.1)
    assert split_counts(652, [90, 415, 281]).tolist() == [75, 344, 233]
    with pytest.raises(ValueError, match="total must be between 0 and 786"):
        split_counts(800, [90, 415, 281])
