"""Integer group sizes and count runs behind rounded shares and percentages."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _forensics_reference import naive_counts, naive_sizes, round_to
from simsurvey.forensics.groupsizes import MAX_SIZE_VECTORS, count_range, group_sizes, share_decimals
from simsurvey.forensics.rounding import counts_for_pct

RULES = ("half_up", "half_even", "any")


def test_eleven_percent_of_786_is_83_to_90():
    # 10.5% of 786 = 82.53 and 11.5% of 786 = 90.39
    assert [int(k) for k in count_range(11, 786)] == [83, 90]
    assert [int(k) for k in count_range(53, 786)] == [413, 420]  # 412.65 .. 420.51
    assert [int(k) for k in count_range(36, 786)] == [280, 286]  # 279.03 .. 286.89


def test_54_percent_is_unattainable_in_a_group_of_86():
    # 46/86 = 53.49% and 47/86 = 54.65%: neither prints as 54
    kmin, kmax = count_range(54, 86)
    assert kmin > kmax
    assert counts_for_pct(54, 86).size == 0


def test_tie_rules_at_an_exact_half():
    # 1 of 8 is 12.5%: half-up prints 13, half-even 12; 3 of 8 is 37.5%: both print 38
    assert [int(k) for k in count_range(13, 8, rule="half_up")] == [1, 1]
    assert int(count_range(13, 8, rule="half_even")[0]) > int(count_range(13, 8, rule="half_even")[1])
    assert [int(k) for k in count_range(12, 8, rule="half_even")] == [1, 1]
    assert [int(k) for k in count_range(12, 8, rule="any")] == [1, 1]
    assert [int(k) for k in count_range(38, 8, rule="half_even")] == [3, 3]


def test_zero_and_hundred_percent_are_clipped_to_the_base():
    assert [int(k) for k in count_range(0, 786)] == [0, 3]      # 3/786 = 0.38%
    assert [int(k) for k in count_range(100, 786)] == [783, 786]


@settings(max_examples=300, deadline=None)
@given(pct=st.integers(0, 100), base=st.integers(1, 400), rule=st.sampled_from(RULES))
def test_count_range_is_exactly_the_run_counts_for_pct_finds(pct, base, rule):
    kmin, kmax = count_range(pct, base, rule=rule)
    expected = counts_for_pct(pct, base, rule=rule)
    assert list(range(int(kmin), int(kmax) + 1)) == expected.tolist()


@settings(max_examples=100, deadline=None)
@given(pct=st.integers(0, 1000), base=st.integers(1, 3000), rule=st.sampled_from(RULES))
def test_count_range_with_one_decimal_matches_fraction_rounding(pct, base, rule):
    kmin, kmax = count_range(pct / 10, base, decimals=1, rule=rule)
    assert list(range(int(kmin), int(kmax) + 1)) == naive_counts(pct / 10, base, rule, decimals=1)


def test_count_range_broadcasts_over_bases_and_percentages():
    # 46% of 86 is empty (39/86 = 45.35%, 40/86 = 46.51%): kmin > kmax marks it
    kmin, kmax = count_range(np.array([[90.0], [46.0]]), np.array([[86, 284]]))
    assert kmin.tolist() == [[77, 255], [40, 130]]
    assert kmax.tolist() == [[77, 257], [39, 132]]


def test_group_sizes_of_the_smb_survey_match_brute_force():
    sizes = group_sizes(786, [11, 53, 36])
    assert (sizes.sum(axis=1) == 786).all()
    assert sorted(map(tuple, sizes.tolist())) == naive_sizes(786, [11, 53, 36], "any")
    assert len(sizes) == 44
    assert (sizes[:, 0].min(), sizes[:, 0].max()) == (83, 90)
    # 83 + 413 + 290 would need under = 290 (36.9%): the sum constraint removes such corners
    assert [83, 413, 290] not in sizes.tolist()


@pytest.mark.parametrize("rule", RULES)
def test_group_sizes_rules_match_brute_force(rule):
    fast = sorted(map(tuple, group_sizes(250, [13, 50, 37], rule=rule).tolist()))
    assert fast == naive_sizes(250, [13, 50, 37], rule)


def test_unpublished_shares_allow_every_split():
    sizes = group_sizes(490, [None, None])
    assert len(sizes) == 489 and sizes[0].tolist() == [1, 489] and sizes[-1].tolist() == [489, 1]
    mixed = group_sizes(100, [30, None])
    assert mixed.tolist() == [[30, 70]]  # 30% of 100 is exactly 30


@settings(max_examples=200, deadline=None)
@given(n=st.integers(3, 2000), data=st.data(), rule=st.sampled_from(RULES))
def test_true_sizes_are_always_admissible(n, data, rule):
    n1 = data.draw(st.integers(1, n - 2))
    n2 = data.draw(st.integers(1, n - 1 - n1))
    true = (n1, n2, n - n1 - n2)
    shares = [min(round_to(100 * Fraction(k, n), 0, rule)) for k in true]
    assert list(true) in group_sizes(n, shares, rule=rule).tolist()


def test_bad_input_is_refused_before_work():
    with pytest.raises(ValueError, match="n must be"):
        group_sizes(0, [50, 50])
    with pytest.raises(ValueError, match="rule must be"):
        count_range(50, 10, rule="nearest")
    with pytest.raises(ValueError, match="base must be"):
        count_range(50, 0)
    with pytest.raises(ValueError, match="MAX_SIZE_VECTORS"):
        group_sizes(10 * MAX_SIZE_VECTORS, [None, None, None])


def test_share_decimals():
    assert share_decimals(36.0) == 0 and share_decimals(10.5) == 1 and share_decimals(0.25) == 2
