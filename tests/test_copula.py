"""Gaussian copula: validation of rho, latent draws, rank and threshold assignment."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from simsurvey.synth.copula import (assign_by_rank, assign_by_threshold, child_seed, correlation, cuts_from_probs,
                              latent_columns)


@pytest.mark.parametrize("rho, message", [
    (-0.1, r"rho must be within \[0, 1\] for an equicorrelation"),
    (1.5, r"rho must be within \[0, 1\]"),
    ("high", "rho must be a number or a matrix"),
    (np.eye(3), r"rho must be a 2 x 2 matrix"),
    ([[1, 0.5], [0.4, 1]], "rho must be symmetric"),
    ([[2, 0.5], [0.5, 1]], "rho must have a unit diagonal"),
    ([[1, 1.2], [1.2, 1]], "rho must be positive semi-definite; its smallest eigenvalue is -0.2"),
    ([[1, np.nan], [np.nan, 1]], "rho must be finite"),
])
def test_bad_rho_names_the_argument(rho, message):
    with pytest.raises(ValueError, match=message):
        correlation(rho, ["a", "b"])


def test_matrix_by_labels_and_semidefinite():
    frame = pd.DataFrame([[1, 0.2], [0.2, 1]], index=["b", "a"], columns=["b", "a"])
    corr = correlation(frame, ["a", "b"])
    assert corr.matrix.tolist() == [[1, 0.2], [0.2, 1]]
    with pytest.raises(ValueError, match="missing: c"):
        correlation(frame, ["a", "b", "c"])
    # perfectly correlated items: singular but positive semi-definite, accepted
    ones = correlation(np.ones((3, 3)), ["a", "b", "c"])
    assert np.allclose(ones.factor @ ones.factor.T, 1, atol=1e-6)


def test_equicorrelation_draws_have_the_correlation():
    size = 200_000
    corr = correlation(0.6, ["a", "b", "c"])
    seeds = [child_seed(np.random.SeedSequence(5), q) for q in "abc"]
    factor = np.random.default_rng(1).standard_normal(size, dtype=np.float32)
    z = np.column_stack(list(latent_columns(size, corr, seeds, factor, [0.6 ** 0.5] * 3)))
    r = np.corrcoef(z.T)[np.triu_indices(3, 1)]
    # sd of a sample correlation is about (1 - rho^2) / sqrt(n) = 0.0014; 0.01 is 7 sd
    assert np.abs(r - 0.6).max() < 0.01
    assert np.abs(z.std(axis=0) - 1).max() < 0.01


def test_matrix_draws_have_the_matrix():
    size = 200_000
    m = np.array([[1, 0.7, -0.3], [0.7, 1, 0.0], [-0.3, 0.0, 1]])
    corr = correlation(m, ["a", "b", "c"])
    seeds = [child_seed(np.random.SeedSequence(5), q) for q in "abc"]
    z = np.column_stack(list(latent_columns(size, corr, seeds)))
    assert np.abs(np.corrcoef(z.T) - m).max() < 0.01  # as above: 7 sd of a sample correlation


def test_identity_matrix_equals_rho_zero():
    seeds = [child_seed(np.random.SeedSequence(2), q) for q in "ab"]
    a = list(latent_columns(1000, correlation(0.0, "ab"), seeds))
    b = list(latent_columns(1000, correlation(np.eye(2), "ab"), seeds))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


@settings(max_examples=100, deadline=None)
@given(counts=st.lists(st.integers(0, 30), min_size=1, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_assign_by_rank_gives_exact_counts_in_rank_order(counts, seed):
    size = sum(counts)
    z = np.random.default_rng(seed).standard_normal(size).astype(np.float32)
    codes = assign_by_rank(z, counts)
    assert np.bincount(codes, minlength=len(counts)).tolist() == counts
    # every value of a higher category is at least every value of a lower one
    for c in range(len(counts) - 1):
        if counts[c] and any(counts[c + 1:]):
            assert z[codes == c].min() >= z[codes > c].max()


def test_assign_by_rank_checks_counts():
    with pytest.raises(ValueError, match="counts must sum to the number of values"):
        assign_by_rank(np.zeros(3), [1, 1])


def test_thresholds_give_the_probabilities():
    z = np.random.default_rng(0).standard_normal(400_000)
    codes = assign_by_threshold(z, cuts_from_probs([0.2, 0.5, 0.3]))
    shares = np.bincount(codes) / z.size
    # binomial sd at p=0.5, n=400k is 0.0008; 0.004 is 5 sd
    assert np.abs(shares - [0.2, 0.5, 0.3]).max() < 0.004
    assert assign_by_threshold(np.array([0.1, -0.1]), [0.0]).tolist() == [0, 1]


def test_child_seed_is_named_not_ordered():
    root = np.random.SeedSequence(7)
    a = np.random.default_rng(child_seed(root, 2, 0, "x")).random()
    b = np.random.default_rng(child_seed(root, 2, 0, "x")).random()
    c = np.random.default_rng(child_seed(root, 2, 0, "y")).random()
    assert a == b != c
