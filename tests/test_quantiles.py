"""row_quantiles selects only the tails, yet gives np.quantile's numbers bit for bit."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from simsurvey.inference import quantiles
from simsurvey.inference.quantiles import row_quantiles


def _reference(rows, levels):
    levels = np.broadcast_to(np.asarray(levels, dtype=float), (len(rows), np.shape(levels)[-1]))
    return np.array([np.quantile(row, level) for row, level in zip(rows, levels)])


@settings(max_examples=60, deadline=None)
@given(k=st.integers(1, 6), m=st.sampled_from([1, 2, 7, 300, 4097, 10_000]),
       ties=st.sampled_from([None, 3, 50]), per_row=st.booleans(), seed=st.integers(0, 2**32))
def test_row_quantiles_are_np_quantile_bit_for_bit(k, m, ties, per_row, seed):
    rng = np.random.default_rng(seed)
    rows = rng.lognormal(0, 0.3, (k, m)) if ties is None else rng.integers(0, ties, (k, m)) / 7
    # tails (where intervals live), the middle, the very ends, and a random level per row
    levels = ([0.025, 0.975, 0.5, 0.0, 1.0, 1e-6, 1 - 1e-6] if not per_row
              else np.column_stack([rng.uniform(0, 0.1, k), rng.uniform(0.9, 1, k), rng.uniform(0, 1, k)]))
    assert np.array_equal(row_quantiles(rows, levels), _reference(rows, levels))


def test_a_missed_bracket_falls_back_to_the_whole_row(monkeypatch):
    # with no margin the bracket of the thinned row often misses the rank: the answer must not change
    monkeypatch.setattr(quantiles, "_MARGIN", 0)
    rows = np.random.default_rng(3).normal(size=(20, 8000))
    levels = [0.025, 0.3, 0.975]
    assert np.array_equal(row_quantiles(rows, levels), _reference(rows, levels))


@settings(max_examples=40, deadline=None)
@given(k=st.integers(1, 5), m=st.sampled_from([4100, 10_000]), first=st.sampled_from([500, 1250, 4100]),
       block=st.sampled_from([1, 97, 333]), ties=st.sampled_from([None, 3, 50]), seed=st.integers(0, 2**32))
def test_tails_gathered_block_by_block_give_np_quantile_bit_for_bit(k, m, first, block, ties, seed):
    rng = np.random.default_rng(seed)
    values = rng.lognormal(0, 0.3, (m, k)) if ties is None else rng.integers(0, ties, (m, k)) / 7
    expected = np.column_stack([rng.uniform(0.005, 0.08, k), rng.uniform(0.92, 0.995, k)])
    # the final levels differ from those expected when the cuts were placed (as BCa's do), some far off
    final = np.clip(expected + rng.normal(0, 0.01, expected.shape), 0, 1)
    final[0] = [0.3, 0.75]
    first = min(first, m)
    tails = quantiles.TailValues(values[:first], expected, total=m)
    for start in range(first, m, block):
        tails.add(values[start:start + block])
    assert np.array_equal(tails.quantiles(values.T, final), _reference(values.T, final))


def test_tails_refuse_to_answer_before_every_value_is_in():
    values = np.random.default_rng(4).normal(size=(6000, 2))
    tails = quantiles.TailValues(values[:1000], np.array([[0.025, 0.975]] * 2), total=6000)
    with pytest.raises(ValueError, match="1000 of 6000 values were added"):
        tails.quantiles(values.T, [0.025, 0.975])
