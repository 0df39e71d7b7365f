"""Printed multipliers against their percentages: continuous bounds and whole-number counts."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _forensics_reference import naive_ratio_feasible, round_to
from simsurvey.catalog.load import load_catalog
from simsurvey.forensics.groupsizes import group_sizes
from simsurvey.forensics.ratios import implied_pcts, ratio_bounds, ratio_feasible, ratio_possible
from simsurvey.forensics.surveyfacts import survey_facts

RULES = ("half_up", "half_even", "any")
SMB_SIZES = group_sizes(786, [11, 53, 36])


# -- hand-worked cases ------------------------------------------------------------------

def test_exact_tie_41_of_100_over_20_of_100():
    # 41/100 and 20/100 are the only counts printing 41% and 20% in bases of 100, and their
    # ratio is exactly 2.05: 2.1 when ties go up, 2.0 when they go to the even digit
    one = ([100], [100])
    assert ratio_feasible(41, 20, 2.1, *one, rule="half_up").tolist() == [True]
    assert ratio_feasible(41, 20, 2.0, *one, rule="half_up").tolist() == [False]
    assert ratio_feasible(41, 20, 2.0, *one, rule="half_even").tolist() == [True]
    assert ratio_feasible(41, 20, 2.1, *one, rule="half_even").tolist() == [False]
    assert ratio_feasible(41, 20, 2.0, *one, rule="any").tolist() == [True]
    assert ratio_feasible(41, 20, 2.1, *one, rule="any").tolist() == [True]


def test_unrounded_values_free_the_tie():
    # with unrounded percentages 41/20 covers 40.5/20.5 = 1.976 to 41.5/19.5 = 2.128: 2.0 and 2.1 both fine
    r = ratio_bounds(41, 20, rule="half_up")
    assert (r.low, r.high) == (Fraction(81, 41), Fraction(83, 39))
    assert not r.low_closed and not r.high_closed  # 20.5 and 41.5 are not attained half-up
    assert ratio_possible(41, 20, 2.0) and ratio_possible(41, 20, 2.1) and not ratio_possible(41, 20, 2.2)


def test_engage_at_scale_5_7x_by_hand():
    # 91% of 83 is impossible (75/83 = 90.36%, 76/83 = 91.57%)
    assert ratio_feasible(91, 16, 5.7, [83], [286]).tolist() == [False]
    # with 85 and 285: 77/85 = 90.59% -> 91, 45/285 = 15.79% -> 16, ratio 77*285/(85*45) = 5.737 -> 5.7
    assert Fraction(77 * 285, 85 * 45) == Fraction(21945, 3825)
    assert ratio_feasible(91, 16, 5.7, [85], [285]).tolist() == [True]
    # 5.8x would need under <= 90.59%/5.75 = 15.75% with high at 91%: some counts do it, so still possible
    assert ratio_possible(91, 16, 5.8)
    assert not ratio_possible(91, 16, 6.0)  # above 91.5/15.5 = 5.903


def test_a_multiplier_ruled_out_only_by_whole_numbers():
    # 94% / 35% allows 2.634-2.739, so 2.6x passes the continuous test, but the smallest ratio of
    # admissible counts is above 2.65: among groups of 83-90 the smallest share printing 94% is 78/83
    # and the largest printing 35% is 100/282 (=35.46%), and 78/83 / (100/282) = 2.6501 already rounds to 2.7
    assert ratio_possible(94, 35, 2.6)
    assert not ratio_feasible(94, 35, 2.6, SMB_SIZES[:, 0], SMB_SIZES[:, 2]).any()
    assert Fraction(78 * 282, 83 * 100) > Fraction(265, 100)
    assert ratio_feasible(94, 35, 2.7, SMB_SIZES[:, 0], SMB_SIZES[:, 2]).all()


def test_less_likely_is_the_reciprocal():
    # 40% vs 44%: 44/40 = 1.1, printed "1.1x less likely"
    assert ratio_possible(40, 44, 1.1, direction="less")
    assert not ratio_possible(40, 44, 1.1, direction="more")
    assert ratio_feasible(40, 44, 1.1, [500], [500], direction="less").tolist() == [True]
    r = ratio_bounds(40, 44, direction="less")
    assert (r.low, r.high) == (Fraction(87, 81), Fraction(89, 79))


def test_anticipated_growth_11_over_52():
    # "+21%": 11% plan to use over 52% currently use, both out of 786: 86/409 = 0.2103 prints 0.21
    assert ratio_possible(11, 52, 0.21, decimals=2)
    assert ratio_feasible(11, 52, 0.21, [786], [786], decimals=2).tolist() == [True]
    assert not ratio_possible(11, 52, 0.25, decimals=2)


def test_implied_underperformer_share_for_right_amount_training():
    # 90% of high performers, 2.1x: under = high / ratio in [89.5/2.15, 90.5/2.05] = [41.63, 44.15]
    iv, printable = implied_pcts(90, 2.1, SMB_SIZES[:, 0], SMB_SIZES[:, 2])
    assert (iv.low, iv.high) == (Fraction(1790, 43), Fraction(1810, 41))  # 41.628, 44.146
    assert printable == [42.0, 43.0, 44.0]
    iv2, _ = implied_pcts(40, 2.0, None, None, known="den")  # numerator = [39.5, 40.5] x [1.95, 2.05]
    assert (iv2.low, iv2.high) == (Fraction(3081, 40), Fraction(3321, 40))  # 77.025, 83.025


def test_vectorised_matches_naive_loop_on_every_smb_pair():
    facts = survey_facts(load_catalog(), "sos-smb-2016")
    pairs = sorted({(int(a), int(b)) for a, b in zip(facts.base("high"), facts.base("under"))})
    for h, u in [(90, 46), (91, 16), (86, 42), (54, 27), (94, 35)]:
        for m in (1.9, 2.0, 2.1, 2.6, 2.7, 5.7):
            for rule in RULES:
                fast = ratio_feasible(h, u, m, [p[0] for p in pairs], [p[1] for p in pairs], rule=rule)
                assert fast.tolist() == naive_ratio_feasible(h, u, m, pairs, rule=rule), (h, u, m, rule)


def test_shapes_and_errors():
    out = ratio_feasible(90, 46, 2.0, np.array([[86, 87]]), np.array([[283, 282]]))
    assert out.shape == (1, 2)
    assert ratio_feasible(90, 46, 2.0, [], []).shape == (0,)
    with pytest.raises(ValueError, match="same shape"):
        ratio_feasible(90, 46, 2.0, [86], [283, 282])
    with pytest.raises(ValueError, match="positive"):
        ratio_feasible(90, 46, 2.0, [0], [283])
    with pytest.raises(ValueError, match="direction"):
        ratio_possible(90, 46, 2.0, direction="fewer")
    with pytest.raises(ValueError, match="rule"):
        ratio_bounds(90, 46, rule="up")


# -- properties --------------------------------------------------------------------------

def _printed(x: Fraction, decimals: int, rule: str, pick) -> float:
    """Round x as the report would: under 'any' either rule may have been used."""
    return pick(sorted(round_to(x, decimals, rule))) / 10 ** decimals


@settings(max_examples=150, deadline=None)
@given(n=st.integers(60, 2500), data=st.data(), rule=st.sampled_from(RULES))
def test_counts_in_admissible_sizes_are_always_judged_consistent(n, data, rule):
    pick = data.draw(st.sampled_from([min, max]))
    n1 = data.draw(st.integers(1, n - 2))
    n2 = data.draw(st.integers(1, n - 1 - n1))
    sizes_true = (n1, n2, n - n1 - n2)
    shares = [_printed(Fraction(100 * k, n), 0, rule, pick) for k in sizes_true]
    k1 = data.draw(st.integers(0, n1))
    k3 = data.draw(st.integers(1, sizes_true[2]))
    p1 = _printed(Fraction(100 * k1, n1), 0, rule, pick)
    p3 = _printed(Fraction(100 * k3, sizes_true[2]), 0, rule, pick)
    m = _printed(Fraction(k1 * sizes_true[2], k3 * n1), 1, rule, pick)
    sizes = group_sizes(n, shares, rule=rule)
    assert list(sizes_true) in sizes.tolist()
    assert ratio_possible(p1, p3, m, rule=rule)
    assert ratio_feasible(p1, p3, m, sizes[:, 0], sizes[:, 2], rule=rule).any()


@settings(max_examples=150, deadline=None)
@given(p1=st.integers(1, 100), p2=st.integers(1, 100), rule=st.sampled_from(RULES),
       n1=st.integers(20, 400), n2=st.integers(20, 400))
def test_multipliers_beyond_the_bounds_are_flagged(p1, p2, rule, n1, n2):
    bounds = ratio_bounds(p1, p2, rule=rule)
    assume(math.isfinite(bounds.high))
    above = (math.floor(bounds.high * 10) + 2) / 10      # its interval starts 0.15 above high's tenth
    below = (math.ceil(bounds.low * 10) - 2) / 10
    assert not ratio_possible(p1, p2, above, rule=rule)
    assert not ratio_feasible(p1, p2, above, [n1], [n2], rule=rule).any()
    if below > 0:
        assert not ratio_possible(p1, p2, below, rule=rule)
        assert not ratio_feasible(p1, p2, below, [n1], [n2], rule=rule).any()


@settings(max_examples=60, deadline=None)
@given(p1=st.integers(0, 100), p2=st.integers(1, 100), m=st.integers(1, 60),
       n1=st.integers(1, 120), n2=st.integers(1, 120), rule=st.sampled_from(RULES),
       direction=st.sampled_from(["more", "less"]))
def test_vectorised_equals_naive_for_random_inputs(p1, p2, m, n1, n2, rule, direction):
    pairs = [(n1, n2), (n2, n1), (n1 + 7, n2 + 3)]
    fast = ratio_feasible(p1, p2, m / 10, [p[0] for p in pairs], [p[1] for p in pairs], rule=rule,
                          direction=direction)
    assert fast.tolist() == naive_ratio_feasible(p1, p2, m / 10, pairs, rule=rule, direction=direction)
