"""Overall figures as share-weighted means of group figures, and the inverse (unknown share) problem."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _forensics_reference import naive_counts, round_to
from simsurvey.catalog.load import load_catalog
from simsurvey.forensics.groupsizes import group_sizes
from simsurvey.forensics.rounding_intervals import printed_interval
from simsurvey.forensics.mixtures import (inverse_share_bounds, inverse_table, mixture_bounds, mixture_feasible,
                                mixtures_table)
from simsurvey.forensics.surveyfacts import survey_facts

F = Fraction
RULES = ("half_up", "half_even", "any")


def test_lead_cx_hull_by_hand():
    # 0.11*90 + 0.53*70 + 0.36*46 = 63.56, which rounds to 64, yet 63 is printed. The lowest mean puts
    # as little weight as the shares allow on the high group (10.5%) and as much on under (36.5%):
    # 0.105*89.5 + 0.53*69.5 + 0.365*45.5 = 62.84; the highest: 0.115*90.5 + 0.53*70.5 + 0.355*46.5 = 64.28
    hull = mixture_bounds([90, 70, 46], [11, 53, 36])
    assert (hull.low, hull.high) == (F(6284, 100), F(6428, 100))


def test_lead_cx_with_whole_numbers():
    # in groups of 86/416/284: 77 of 86 (only count printing 90%), 290-293 of 416, 130-132 of 284;
    # totals 497-502 meet 63% of 786 = 492-499
    ok, lo, hi = mixture_feasible(63, [90, 70, 46], [[86, 416, 284]], 786)
    assert (ok.tolist(), lo.tolist(), hi.tolist()) == ([True], [497], [502])
    assert naive_counts(90, 86, "any") == [77] and naive_counts(63, 786, "any") == list(range(492, 500))
    sizes = group_sizes(786, [11, 53, 36])
    feasible, *_ = mixture_feasible(63, [90, 70, 46], sizes, 786)
    assert feasible.sum() == 38
    # whole-number group counts total 496-504 of 786 (63.1%-64.1%): 64% fits too, 62% and 65% do not
    assert mixture_feasible(64, [90, 70, 46], sizes, 786)[0].any()
    assert not mixture_feasible(62, [90, 70, 46], sizes, 786)[0].any()
    assert not mixture_feasible(65, [90, 70, 46], sizes, 786)[0].any()


def test_unattainable_group_figure_blocks_a_size_vector():
    ok, lo, hi = mixture_feasible(50, [54, 50], [[86, 100]], 186)  # 54% of 86 is impossible
    assert ok.tolist() == [False] and lo[0] > hi[0]


def test_inverse_growing_share_by_hand():
    # w = (47 - 33) / (52 - 33) = 14/19; extremes at the corners: (46.5-33.5)/(52.5-33.5) = 13/19,
    # (47.5-32.5)/(51.5-32.5) = 15/19
    b = inverse_share_bounds(47, 52, 33)
    assert (b.low, b.high) == (F(13, 19), F(15, 19))
    # social monitoring 44 from 49/28: 15/21..17/21; CRM 35 from 41/20: 14/21..16/21
    assert (inverse_share_bounds(44, 49, 28).low, inverse_share_bounds(44, 49, 28).high) == (F(15, 21), F(17, 21))
    assert (inverse_share_bounds(35, 41, 20).low, inverse_share_bounds(35, 41, 20).high) == (F(14, 21), F(16, 21))


def test_inverse_table_of_the_harris_survey():
    t = inverse_table(survey_facts(load_catalog(), "smb-trends-2017")).set_index("item")
    joint = t.loc["(all items jointly)"]
    # jointly: max of lows (15/21) to min of highs (16/21)
    assert (joint["low"], joint["high"]) == (pytest.approx(100 * 15 / 21), pytest.approx(100 * 16 / 21))
    assert joint["verdict"] == "consistent"
    assert "weighted" in joint["note"] and "approximation" in joint["note"]
    # whole-number counts as if unweighted: growing groups of 356-367 of 490
    assert (joint["int_low"], joint["int_high"]) == (pytest.approx(100 * 356 / 490), pytest.approx(100 * 367 / 490))
    assert t.loc["has_service_department", "recomputed"] == pytest.approx(100 * 14 / 19)


def test_inverse_when_group_figures_can_be_equal_or_overall_is_outside():
    assert inverse_share_bounds(80, 81, 80).low == 0 and inverse_share_bounds(80, 81, 80).high == 1
    assert inverse_share_bounds(90, 50, 40).empty  # 90% overall cannot mix 50% and 40%


def test_mixture_bounds_refuses_impossible_shares():
    with pytest.raises(ValueError, match="same"):
        mixture_bounds([1, 2], [50])
    with pytest.raises(ValueError, match="100%"):
        mixture_bounds([10, 20], [30, 30])


def test_mixtures_table_row():
    row = mixtures_table(survey_facts(load_catalog(), "sos-smb-2016")).set_index("item").loc["lead_cx_initiatives"]
    assert row["recomputed"] == pytest.approx(63.56)
    assert (row["low"], row["high"]) == (pytest.approx(62.84), pytest.approx(64.28))
    assert (row["int_low"], row["int_high"]) == (pytest.approx(100 * 496 / 786), pytest.approx(100 * 504 / 786))
    assert row["integer_feasible"] == "yes" and row["verdict"] == "consistent"
    assert "rounds to 64" in row["note"]


# -- properties --------------------------------------------------------------------------

def _printed(x, rule, pick):
    return float(pick(sorted(round_to(x, 0, rule))))


@settings(max_examples=150, deadline=None)
@given(n=st.integers(30, 3000), data=st.data(), rule=st.sampled_from(RULES))
def test_true_counts_always_mix_consistently(n, data, rule):
    pick = data.draw(st.sampled_from([min, max]))
    n1 = data.draw(st.integers(1, n - 2))
    n2 = data.draw(st.integers(1, n - 1 - n1))
    sizes_true = [n1, n2, n - n1 - n2]
    counts = [data.draw(st.integers(0, s)) for s in sizes_true]
    shares = [_printed(F(100 * s, n), rule, pick) for s in sizes_true]
    pcts = [_printed(F(100 * k, s), rule, pick) for k, s in zip(counts, sizes_true)]
    overall = _printed(F(100 * sum(counts), n), rule, pick)
    assert mixture_bounds(pcts, shares, rule=rule).contains(F(100 * sum(counts), n))
    sizes = group_sizes(n, shares, rule=rule)
    ok, _, _ = mixture_feasible(overall, pcts, sizes, n, rule=rule)
    assert ok[sizes.tolist().index(sizes_true)]
    # an overall figure beyond the hull is flagged by both tests
    hull = mixture_bounds(pcts, shares, rule=rule)
    beyond = float(int(hull.high) + 2)
    if beyond <= 100:
        assert not hull.overlaps(printed_interval(beyond, 0, rule))
        assert not mixture_feasible(beyond, pcts, sizes, n, rule=rule)[0].any()


@settings(max_examples=150, deadline=None)
@given(n=st.integers(10, 3000), data=st.data(), rule=st.sampled_from(RULES))
def test_true_split_lies_in_the_inverse_bounds(n, data, rule):
    pick = data.draw(st.sampled_from([min, max]))
    n1 = data.draw(st.integers(1, n - 1))
    k1, k2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n - n1))
    p1, p2 = _printed(F(100 * k1, n1), rule, pick), _printed(F(100 * k2, n - n1), rule, pick)
    overall = _printed(F(100 * (k1 + k2), n), rule, pick)
    assert inverse_share_bounds(overall, p1, p2, rule=rule).contains(F(n1, n))
    sizes = group_sizes(n, [None, None])
    ok, _, _ = mixture_feasible(overall, [p1, p2], sizes, n, rule=rule)
    assert ok[n1 - 1]


@settings(max_examples=200, deadline=None)
@given(a=st.integers(0, 100), p1=st.integers(0, 100), p2=st.integers(0, 100),
       x=st.tuples(*[st.fractions(0, 1)] * 3))
def test_inverse_bounds_contain_every_share_the_true_values_allow(a, p1, p2, x):
    # true values anywhere in the three rounding intervals; any share w they imply must be inside
    box = [printed_interval(p, 0, "any", lower=0, upper=100) for p in (a, p1, p2)]
    va, v1, v2 = (i.low + t * (i.high - i.low) for i, t in zip(box, x))
    bounds = inverse_share_bounds(a, p1, p2)
    if v1 != v2:
        w = (va - v2) / (v1 - v2)
        if 0 <= w <= 1:
            assert bounds.contains(w)
    elif va == v1:
        assert bounds.low == 0 and bounds.high == 1
