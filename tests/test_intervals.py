"""Exact rounding intervals: endpoints and which of them are attained under each rule."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _forensics_reference import prints_as
from simsurvey.forensics.rounding_intervals import Interval, exact_tie, printed_interval, ratio_interval

F = Fraction


@pytest.mark.parametrize("printed, rule, closed", [
    (2.1, "half_up", (True, False)),    # [2.05, 2.15)
    (2.1, "half_even", (False, False)),  # odd last digit: (2.05, 2.15)
    (2.0, "half_even", (True, True)),    # even last digit: [1.95, 2.05]
    (2.1, "any", (True, False)),
    (2.0, "any", (True, True)),
])
def test_endpoint_flags_per_rule(printed, rule, closed):
    i = printed_interval(printed, 1, rule)
    assert (i.low_closed, i.high_closed) == closed
    assert i.high - i.low == F(1, 10)


def test_a_ratio_of_exactly_2_05():
    r = F(41, 20)
    assert printed_interval(2.1, 1, "half_up").contains(r)
    assert not printed_interval(2.0, 1, "half_up").contains(r)
    assert printed_interval(2.0, 1, "half_even").contains(r)
    assert not printed_interval(2.1, 1, "half_even").contains(r)
    assert printed_interval(2.0, 1, "any").contains(r) and printed_interval(2.1, 1, "any").contains(r)
    assert exact_tie(r, 1) and not exact_tie(F(2), 1)


@settings(max_examples=300, deadline=None)
@given(num=st.integers(0, 2000), den=st.integers(1, 200), printed=st.integers(0, 400),
       rule=st.sampled_from(["half_up", "half_even", "any"]))
def test_contains_agrees_with_fraction_rounding(num, den, printed, rule):
    x = F(num, den)
    assert printed_interval(printed / 10, 1, rule).contains(x) == prints_as(x, printed / 10, 1, rule)


def test_percentages_are_cut_at_0_and_100():
    zero = printed_interval(0, 0, "half_up", lower=0, upper=100)
    assert (zero.low, zero.high, zero.low_closed) == (0, F(1, 2), True)
    full = printed_interval(100, 0, "half_up", lower=0, upper=100)
    assert (full.low, full.high, full.high_closed) == (F(199, 2), 100, True)


def test_ratio_interval_of_printed_percentages():
    # 91% over 16%: 90.5/16.5 to 91.5/15.5
    r = ratio_interval(printed_interval(91, 0, "any"), printed_interval(16, 0, "any"))
    assert (r.low, r.high) == (F(181, 33), F(183, 31))
    assert r.low_closed and not r.high_closed  # 16 is even (16.5 attainable), 91 odd (91.5 not)
    unbounded = ratio_interval(printed_interval(10, 0, "any"), printed_interval(0, 0, "any", lower=0))
    assert unbounded.high == math.inf and not unbounded.high_closed


def test_interval_intersection_and_emptiness():
    a = Interval(F(1), F(2), True, False)
    b = Interval(F(2), F(3), True, True)
    assert a.intersect(b).empty and not a.overlaps(b)
    c = Interval(F(1), F(2), True, True)
    assert c.overlaps(b) and c.intersect(b) == Interval(F(2), F(2), True, True)


def test_bad_arguments():
    with pytest.raises(ValueError, match="rule"):
        printed_interval(2.0, 1, "banker")
    with pytest.raises(ValueError, match="decimals"):
        printed_interval(2.0, -1)
    with pytest.raises(ValueError, match="non-negative"):
        ratio_interval(Interval(F(-1), F(1)), Interval(F(1), F(2)))
